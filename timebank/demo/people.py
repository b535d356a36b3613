"""Who is in the demonstration time bank, and what they give, need, offer and ask for.

Plain data, read by `timebank.demo.builder`. Names, places and phone numbers are made up;
the phone numbers are from Ofcom's ranges kept for drama (07700 900xxx, 0131 496 0xxx).
Categories are the slugs of the default service list (`timebank.services.banks`).
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "DEMO_BANK_SLUG",
    "DEMO_BANK_NAME",
    "DEMO_BANK_PHONE",
    "DEMO_PASSWORD",
    "COORDINATOR_EMAIL",
    "MEMBER_EMAIL",
    "SOCIAL_WORKER_EMAIL",
    "Person",
    "Offer",
    "Request",
    "Waiting",
    "Need",
    "Capability",
    "Assessed",
    "PEOPLE",
    "QUIET",
    "CLOSED",
    "SAFEGUARDED",
    "EXPIRING_SOON",
    "WELCOMED",
    "WHAT",
    "OFFERS",
    "REQUESTS",
    "ASKED_OFFERS",
    "SHARE_PHONE",
    "SHARE_EMAIL",
    "WAITING",
    "ASSESSMENTS",
]

DEMO_BANK_SLUG = "leith"
DEMO_BANK_NAME = "Leith Time Bank"
# An Ofcom number kept for drama (0131 496 0000 to 0999): it rings no one.
DEMO_BANK_PHONE = "0131 496 0000"
DEMO_PASSWORD = "timebank-demo"
COORDINATOR_EMAIL = "coordinator@example.org"
MEMBER_EMAIL = "member@example.org"
SOCIAL_WORKER_EMAIL = "social.worker@example.org"


class Person(NamedTuple):
    """A member: a person, or an organisation."""

    name: str
    area: str
    email: str | None  # None: run by the coordinator
    phone: str | None
    gives: tuple[str, ...]  # categories this member helps with
    needs: tuple[str, ...]  # categories this member is helped with
    joined_days_ago: int
    organisation: bool = False


class Offer(NamedTuple):
    """A skill a member offers on the offers page."""

    member: str
    category: str
    description: str


class Request(NamedTuple):
    """A member's request for help, the members who answered it, and whether it is closed."""

    asker: str
    category: str
    what: str
    when: str
    where: str
    helper_notes: str | None = None
    answered_by: tuple[str, ...] = ()
    closed: bool = False
    # The helper the asker chose from `answered_by` (the others are thanked), and the
    # hours then logged from the request (which closes it).
    chosen: str | None = None
    logged_minutes: int | None = None


class Waiting(NamedTuple):
    """An exchange a member logged in the last days, waiting for the other to confirm it."""

    provider: str
    receiver: str
    minutes: int
    category: str
    days_ago: int
    logged_by: str


class Need(NamedTuple):
    category: str
    words: str
    only_checked_helper: bool = False  # a helper with a current safeguarding check


class Capability(NamedTuple):
    category: str
    words: str
    status: str  # "doing" already, or "could" if encouraged
    capacity: int  # people at once
    max_km: float
    remote: bool = False


class Assessed(NamedTuple):
    """A Needs and Capabilities Assessment the demonstration social worker recorded."""

    name: str
    area: str
    location: tuple[float, float]  # latitude, longitude
    consent_days_ago: int
    needs: tuple[Need, ...]
    capabilities: tuple[Capability, ...]
    free: tuple[str, ...] | None = None  # availability slots; None: any time
    member: bool = True  # False: not (yet) a member of the bank


PEOPLE: tuple[Person, ...] = (
    Person("Morag Henderson", "Leith", MEMBER_EMAIL, "07700 900101",
            ("baking", "phone_befriending", "sewing_alterations"), ("diy_repairs", "lifts", "tech_help"), 540),
    Person("Jean Paterson", "Leith", None, "0131 496 0112",
            ("phone_befriending",), ("shopping", "prescriptions", "befriending", "lifts", "phone_befriending"), 600),
    Person("Alasdair MacLeod", "Portobello", "alasdair.macleod@example.org", "07700 900215",
            ("diy_repairs", "flatpack", "heavy_lifting"), ("tech_help", "paperwork"), 700),
    Person("Priya Sharma", "Gorgie", "priya.sharma@example.org", None,
            ("tech_help", "tutoring", "cv_jobs"), ("childcare", "gardening"), 650),
    Person("Tomasz Nowak", "Leith", "tomasz.nowak@example.org", "07700 900322",
            ("translate_polish", "diy_repairs", "decorating"), ("english_practice", "paperwork"), 690),
    Person("Fiona Campbell", "Corstorphine", "fiona.campbell@example.org", None,
            ("gardening", "garden_advice", "walking_buddy"), ("tech_help", "haircuts"), 620),
    Person("Hamish Grant", "Morningside", "hamish.grant@example.org", "0131 496 0347",
            ("lifts", "appointment_escort"), ("gardening", "meals"), 580),
    Person("Aisha Rahman", "Leith", "aisha.rahman@example.org", None,
            ("translate_urdu", "translate_arabic", "cooking_lessons"), ("tutoring", "tech_help"), 560),
    Person("Callum Fraser", "Portobello", "callum.fraser@example.org", None,
            ("pet_care", "walking_buddy", "heavy_lifting"), ("cooking_lessons", "haircuts", "sewing_alterations"), 500),
    Person("Eilidh Robertson", "Stockbridge", "eilidh.robertson@example.org", "07700 900418",
            ("music_lessons", "befriending"), ("diy_repairs", "flatpack"), 610),
    Person("Graham Stewart", "Gorgie", "graham.stewart@example.org", None,
            ("diy_repairs", "appliance_repair"), ("paperwork", "meals"), 670),
    Person("Margaret Wilson", "Corstorphine", None, "0131 496 0523",
            (), ("shopping", "befriending", "gardening", "lifts", "phone_befriending"), 640),
    Person("Duncan Murray", "Granton", "duncan.murray@example.org", None,
            ("lifts", "shopping"), ("tech_help",), 520),
    Person("Sophie Thomson", "Leith", "sophie.thomson@example.org", "07700 900634",
            ("befriending", "dementia_sitting", "shopping"), ("music_lessons", "childcare"), 480),
    Person("Ewan Mackenzie", "Craigmillar", "ewan.mackenzie@example.org", None,
            ("heavy_lifting", "snow_clearing", "gardening"), ("paperwork", "cv_jobs"), 450),
    Person("Catriona Ross", "Portobello", "catriona.ross@example.org", None,
            ("haircuts", "befriending"), ("pet_care", "diy_repairs"), 590),
    Person("Rashid Hussain", "Gorgie", "rashid.hussain@example.org", "07700 900745",
            ("translate_urdu", "lifts", "budgeting"), ("tech_help", "english_practice"), 470),
    Person("Isla Reid", "Leith", "isla.reid@example.org", None,
            ("childcare", "arts_crafts"), ("diy_repairs", "meals"), 430),
    Person("Kenneth Scott", "Pilton", "kenneth.scott@example.org", "0131 496 0856",
            ("gardening", "diy_repairs"), ("tech_help", "shopping"), 610),
    Person("Agnieszka Kowalska", "Leith", "agnieszka.kowalska@example.org", None,
            ("translate_polish", "cleaning", "cooking_lessons"), ("english_practice", "childcare"), 420),
    Person("Brian Johnstone", "Corstorphine", "brian.johnstone@example.org", None,
            ("paperwork", "budgeting"), ("gardening", "lifts"), 660),
    Person("Heather Kerr", "Morningside", "heather.kerr@example.org", "07700 900967",
            ("chair_yoga", "walking_buddy"), ("tech_help",), 630),
    Person("Lewis Baird", "Granton", "lewis.baird@example.org", None,
            ("tech_help", "photography"), ("diy_repairs",), 600),
    Person("Shona McIntyre", "Abbeyhill", "shona.mcintyre@example.org", None,
            ("phone_befriending", "english_practice"), ("lifts", "shopping"), 510),
    Person("Malcolm Ferguson", "Portobello", "malcolm.ferguson@example.org", "0131 496 0178",
            ("appliance_repair", "diy_repairs"), ("meals", "befriending"), 680),
    Person("Chidi Okafor", "Gorgie", "chidi.okafor@example.org", None,
            ("tutoring", "tech_help", "heavy_lifting"), ("haircuts", "cooking_lessons"), 400),
    Person("Rona Gillespie", "Stockbridge", "rona.gillespie@example.org", None,
            ("sewing_alterations", "arts_crafts"), ("gardening", "tech_help"), 570),
    Person("Iain Drummond", "Craigmillar", "iain.drummond@example.org", "07700 900289",
            ("shopping",), ("befriending", "diy_repairs"), 620),
    Person("Mairi Sinclair", "Leith", "mairi.sinclair@example.org", None,
            ("befriending", "meals", "baking"), ("tech_help", "flatpack"), 530),
    Person("Peter Walker", "Corstorphine", "peter.walker@example.org", None,
            ("lifts", "gardening"), ("tech_help", "paperwork"), 490),
    Person("Grace Anderson", "Pilton", "grace.anderson@example.org", "07700 900390",
            ("childcare", "tutoring"), ("diy_repairs", "lifts"), 460),
    Person("Stuart Lindsay", "Abbeyhill", "stuart.lindsay@example.org", None,
            ("flatpack", "decorating"), ("english_practice", "meals"), 440),
    Person("Kirsty Muir", "Leith", "kirsty.muir@example.org", None,
            ("pet_care", "shopping", "walking_buddy"), ("haircuts", "sewing_alterations"), 410),
    Person("Yusuf Ahmed", "Gorgie", "yusuf.ahmed@example.org", None,
            ("translate_arabic", "lifts"), ("english_practice", "cv_jobs"), 300),
    Person("Elspeth Munro", "Morningside", None, "0131 496 0591",
            ("phone_befriending",), ("befriending", "shopping", "tech_help"), 660),
    Person("Douglas Watt", "Granton", "douglas.watt@example.org", None,
            ("diy_repairs",), ("befriending", "tech_help"), 640),
    Person("Niamh O'Brien", "Portobello", "niamh.obrien@example.org", "07700 900412",
            ("befriending", "baking"), ("diy_repairs",), 40),
    Person("Ruairidh Macdonald", "Leith", "ruairidh.macdonald@example.org", None,
            ("music_lessons", "heavy_lifting"), ("cooking_lessons", "paperwork"), 330),
    Person("Ann-Marie Crawford", "Craigmillar", "annmarie.crawford@example.org", None,
            ("cleaning", "laundry_ironing"), ("paperwork", "budgeting"), 28),
    Person("Wei Chen", "Stockbridge", "wei.chen@example.org", None,
            ("tech_help", "tutoring"), ("english_practice",), 55),
    Person("Bill Dunlop", "Corstorphine", None, "0131 496 0634",
            ("garden_advice",), ("lifts", "diy_repairs"), 650),
    Person("Leith Community Food Hub", "Leith", "food.hub@example.org", "0131 496 0700",
            ("meals",), ("heavy_lifting", "baking", "cooking_lessons"), 700, organisation=True),
    Person("Portobello Men's Shed", "Portobello", "shed@example.org", None,
            ("appliance_repair", "diy_repairs"), ("heavy_lifting",), 700, organisation=True),
    Person("Gorgie Farm Friends", "Gorgie", "friends@gorgiefarm.example.org", None,
            ("arts_crafts",), ("gardening", "heavy_lifting"), 690, organisation=True),
    Person("Corstorphine Community Centre", "Corstorphine", "centre@example.org", "0131 496 0811",
            (), ("decorating", "cleaning", "tech_help", "baking"), 700, organisation=True),
)

# Members who have not exchanged for more than 90 days: people the coordinator should ring.
QUIET = ("Elspeth Munro", "Douglas Watt", "Iain Drummond", "Bill Dunlop")
# A member who moved away: closed, history kept.
CLOSED = "Lewis Baird"
# Members with a safeguarding check (PVG), because they visit people at home.
SAFEGUARDED = ("Sophie Thomson", "Mairi Sinclair", "Hamish Grant", "Eilidh Robertson",
                "Catriona Ross", "Isla Reid", "Grace Anderson", "Duncan Murray")
EXPIRING_SOON = "Hamish Grant"  # expires within 30 days
# Members who joined during the year were welcomed with two hours from the bank.
WELCOMED = ("Niamh O'Brien", "Ann-Marie Crawford", "Wei Chen", "Ruairidh Macdonald", "Yusuf Ahmed")

# What the help was, by category: an exchange's description is one of these.
WHAT = {
    "shopping": ["Weekly shop at the Co-op", "Shopping from Great Junction Street",
                 "Picked up groceries and the paper"],
    "prescriptions": ["Collected a prescription from the chemist"],
    "gardening": ["Weeding and cutting the grass", "Cut back the hedge", "Planted bulbs"],
    "garden_advice": ["Advice on a vegetable patch", "Planned a small herb garden"],
    "snow_clearing": ["Cleared and gritted the path"],
    "befriending": ["A cup of tea and a chat", "Afternoon visit", "Visit and a walk to the shore"],
    "phone_befriending": ["Weekly phone call", "Phone chat"],
    "dementia_sitting": ["Sat with Dad so the family could go out"],
    "tech_help": ["Set up video calls on a tablet", "Helped with online banking",
                  "Sorted out a new phone", "Printer working again"],
    "diy_repairs": ["Fixed a dripping tap", "Put up shelves", "Rehung a door"],
    "appliance_repair": ["Repaired a toaster", "Fixed a sewing machine"],
    "decorating": ["Painted the hall", "Papered the back bedroom"],
    "flatpack": ["Built a wardrobe", "Put together a bookcase"],
    "heavy_lifting": ["Moved a sofa", "Helped with a flit", "Unloaded the food delivery"],
    "cleaning": ["Deep clean of the kitchen", "Cleaning before a visit"],
    "laundry_ironing": ["Ironing"],
    "meals": ["Cooked a week of meals", "Soup and a hot dinner"],
    "cooking_lessons": ["Taught bread making", "Cooking on a budget"],
    "baking": ["Baked for the coffee morning", "Birthday cake"],
    "lifts": ["Lift to the Western General", "Lift to the dentist", "Lift to the Royal Infirmary"],
    "appointment_escort": ["Went along to a hospital appointment"],
    "pet_care": ["Walked the dog", "Fed the cat for a week"],
    "walking_buddy": ["Walk along the Water of Leith", "Walk round Figgate Park"],
    "chair_yoga": ["Chair yoga"],
    "music_lessons": ["Piano lesson", "Fiddle lesson"],
    "sewing_alterations": ["Took up trousers", "Mended a coat"],
    "arts_crafts": ["Card making", "Knitting circle"],
    "photography": ["Photos for the newsletter"],
    "paperwork": ["Filled in a benefits form", "Wrote a letter to the council"],
    "budgeting": ["Went through the household budget"],
    "cv_jobs": ["Wrote a CV", "Practised for an interview"],
    "english_practice": ["English conversation", "Practised English for the citizenship test"],
    "translate_polish": ["Translated at the GP surgery", "Translated a school letter"],
    "translate_urdu": ["Interpreted at the housing office"],
    "translate_arabic": ["Translated a letter from the council"],
    "tutoring": ["Maths homework help", "Higher Physics revision"],
    "childcare": ["Babysitting", "School pick-up"],
    "haircuts": ["Haircut at home"],
}

OFFERS = (
    Offer("Morag Henderson", "baking", "Scones, tray bakes and birthday cakes for your event."),
    Offer("Morag Henderson", "phone_befriending", "A friendly phone call once a week, afternoons."),
    Offer("Alasdair MacLeod", "diy_repairs", "Shelves, curtain rails, sticking doors: I bring my own tools."),
    Offer("Priya Sharma", "tech_help", "Phones, tablets and laptops: video calls, email, online shopping."),
    Offer("Tomasz Nowak", "translate_polish", "Polish and English: letters, phone calls, appointments."),
    Offer("Fiona Campbell", "gardening", "Weeding, pruning and grass cutting, spring to autumn."),
    Offer("Hamish Grant", "lifts", "Lifts to hospital and GP appointments in my car, weekdays."),
    Offer("Aisha Rahman", "translate_urdu", "Urdu and Punjabi interpreting at appointments."),
    Offer("Callum Fraser", "pet_care", "Dog walking in Portobello and along the prom."),
    Offer("Eilidh Robertson", "music_lessons", "Beginner piano and fiddle lessons for any age."),
    Offer("Graham Stewart", "appliance_repair", "Small appliances, lamps and sewing machines mended."),
    Offer("Sophie Thomson", "dementia_sitting", "Sitting with someone with dementia so carers get a break."),
    Offer("Ewan Mackenzie", "heavy_lifting", "Moving furniture and helping with flits."),
    Offer("Catriona Ross", "haircuts", "Haircuts at home for people who cannot get out."),
    Offer("Rashid Hussain", "budgeting", "Going through bills and budgets, in English or Urdu."),
    Offer("Isla Reid", "childcare", "After-school childcare in Leith."),
    Offer("Agnieszka Kowalska", "cooking_lessons", "Polish cooking and cooking on a budget."),
    Offer("Brian Johnstone", "paperwork", "Forms, letters and benefit applications."),
    Offer("Heather Kerr", "chair_yoga", "Chair yoga at the community centre, first Tuesday of the month."),
    Offer("Rona Gillespie", "sewing_alterations", "Hems, zips and repairs to clothes."),
    Offer("Mairi Sinclair", "meals", "Home-cooked meals for someone just out of hospital."),
    Offer("Grace Anderson", "tutoring", "Primary maths and reading help."),
    Offer("Stuart Lindsay", "flatpack", "Flat-pack furniture built and put in place."),
    Offer("Chidi Okafor", "tutoring", "National 5 and Higher maths and physics."),
    Offer("Leith Community Food Hub", "meals", "Hot lunches on Wednesdays at the hub on Academy Street."),
    Offer("Portobello Men's Shed", "appliance_repair", "Repair café on the last Saturday of the month."),
    Offer("Wei Chen", "tech_help", "Help setting up smartphones and apps."),
    Offer("Niamh O'Brien", "befriending", "A visit and a chat, Portobello and Joppa."),
)

REQUESTS = (
    Request("Morag Henderson", "diy_repairs", "Someone to put up two shelves in my kitchen.",
            when="Any weekday morning", where="Leith, near the Kirkgate",
            helper_notes="I have the shelves and brackets, not a drill.",
            answered_by=("Alasdair MacLeod", "Tomasz Nowak")),
    Request("Morag Henderson", "lifts", "A lift to the Western General for an eye appointment.", when="Thursday 10am",
            where="From Leith Walk", answered_by=("Hamish Grant",), chosen="Hamish Grant", logged_minutes=120),
    Request("Morag Henderson", "tech_help", "Help to video call my grandson in Canada on my tablet.",
            when="Afternoons", where="At home in Leith", helper_notes="I am hard of hearing: please knock loudly."),
    Request("Jean Paterson", "shopping", "Weekly shop while my hip mends.", when="Fridays", where="Leith",
            helper_notes="The coordinator will ring you with the list.", answered_by=("Kirsty Muir",),
            chosen="Kirsty Muir"),
    Request("Margaret Wilson", "befriending", "Someone to visit for a cup of tea and a chat.",
            when="Tuesday or Wednesday afternoons", where="Corstorphine", answered_by=("Sophie Thomson",)),
    Request("Tomasz Nowak", "english_practice", "Conversation practice before a job interview.", when="Evenings",
            where="Leith library or a café"),
    Request("Priya Sharma", "childcare", "School pick-up two days a week.", when="Mondays and Thursdays, 3pm",
            where="Gorgie", answered_by=("Grace Anderson",)),
    Request("Fiona Campbell", "haircuts", "A haircut at home.", when="Next week", where="Corstorphine"),
    Request("Callum Fraser", "cooking_lessons", "Learn to cook a few cheap healthy meals.", when="Weekends",
            where="Portobello", answered_by=("Agnieszka Kowalska",)),
    Request("Corstorphine Community Centre", "decorating", "Paint the small hall before the spring fair.",
            when="March, any weekend", where="Corstorphine Community Centre",
            helper_notes="Paint and brushes provided."),
    Request("Chidi Okafor", "haircuts", "A quick trim.", when="Any time", where="Gorgie", closed=True),
    Request("Yusuf Ahmed", "cv_jobs", "Help writing a CV for warehouse jobs.", when="Mornings",
            where="Gorgie library", answered_by=("Priya Sharma",)),
    Request("Stuart Lindsay", "english_practice", "Practise English for the citizenship test.", when="Saturdays",
            where="Abbeyhill"),
    Request("Gorgie Farm Friends", "gardening", "Volunteers to dig new raised beds.", when="April weekends",
            where="Gorgie City Farm", helper_notes="Wear boots; gloves provided.",
            answered_by=("Fiona Campbell", "Ewan Mackenzie")),
)


class AskedOffer(NamedTuple):
    """A request made to the member behind an offer ("Ask this person"), not yet answered."""

    asker: str
    offer_member: str
    offer_category: str
    what: str
    when: str


ASKED_OFFERS = (
    AskedOffer("Sophie Thomson", "Morag Henderson", "baking",
               "A birthday cake for my mum's 80th, for about twelve people.", "Saturday week"),
)

# Who agreed, at take-on, that the member they are put in touch with may see their phone
# (and Kirsty, who has none, her email); everyone else shares nothing.
SHARE_PHONE = ("Morag Henderson", "Hamish Grant", "Jean Paterson", "Alasdair MacLeod",
               "Tomasz Nowak", "Sophie Thomson")
SHARE_EMAIL = ("Kirsty Muir",)


WAITING = (
    Waiting("Alasdair MacLeod", "Morag Henderson", 60, "diy_repairs", days_ago=3, logged_by="Alasdair MacLeod"),
    Waiting("Morag Henderson", "Sophie Thomson", 90, "baking", days_ago=2, logged_by="Morag Henderson"),
    Waiting("Kirsty Muir", "Jean Paterson", 60, "shopping", days_ago=4, logged_by="Kirsty Muir"),
    Waiting("Priya Sharma", "Peter Walker", 45, "tech_help", days_ago=1, logged_by="Peter Walker"),
)

# Recorded so that a match can be run at once (none is run here: a person decides when).
# The words of needs and capabilities differ, as people's own words do. Two needs ask for a
# helper with a current safeguarding check: Margaret's has one in reach (Eilidh); Agnes's
# only nearby sitter (Ann-Marie) holds no check and the checked one (Sophie) is too far, so
# it stays unmatched, with that reason.
ASSESSMENTS = (
    Assessed(
        "Margaret Wilson", "Corstorphine", location=(55.9405, -3.28), consent_days_ago=40,
        free=("tue-pm", "wed-pm", "thu-pm"),
        needs=(
            Need("befriending",
                 "Someone to pop in for a cuppa and a blether once a week. I hardly see anybody since my "
                 "sister died.", only_checked_helper=True),
        ),
        capabilities=(
            Capability("sewing_alterations",
                       "Was a dressmaker for forty years: could show someone how to take up a hem or let out "
                       "a waistband.", "could", capacity=1, max_km=3),
        ),
    ),
    Assessed(
        "Jean Paterson", "Leith", location=(55.9752, -3.1705), consent_days_ago=35,
        needs=(
            Need("lifts", "My hip is sore and I cannot get the bus up to the Royal Infirmary for my physio.",
                 only_checked_helper=True),
        ),
        capabilities=(
            Capability("phone_befriending", "Rings a few folk every week just to check they are all right.", "doing",
                       capacity=3, max_km=1, remote=True),
        ),
    ),
    Assessed(
        "Eilidh Robertson", "Stockbridge", location=(55.9583, -3.2085), consent_days_ago=30,
        needs=(
            Need("diy_repairs", "The shelves in the hall keep coming off the wall and need putting back up properly."),
        ),
        capabilities=(
            Capability("befriending", "Visits older neighbours for tea and company, has done for years.", "doing",
                       capacity=2, max_km=6),
            Capability("music_lessons", "Teaches the piano to beginners, children or grown-ups.", "doing", capacity=2,
                       max_km=5),
        ),
    ),
    Assessed(
        "Alasdair MacLeod", "Portobello", location=(55.9535, -3.114), consent_days_ago=28,
        needs=(
            Need("tech_help", "Cannot make sense of the new phone: the bank app keeps asking for codes."),
        ),
        capabilities=(
            Capability("diy_repairs", "Retired joiner, handy with a drill: fixes sticking doors and puts up shelves.",
                       "doing", capacity=2, max_km=8),
            Capability("heavy_lifting", "Can shift a wardrobe or a sofa when someone is flitting.", "could",
                       capacity=1, max_km=5),
        ),
    ),
    Assessed(
        "Priya Sharma", "Gorgie", location=(55.9385, -3.235), consent_days_ago=26,
        needs=(
            Need("gardening", "A hand in the back garden: the weeds are taking over."),
        ),
        capabilities=(
            Capability("tech_help", "Sorts out laptops and mobiles, sets up email and video calls.", "doing",
                       capacity=2, max_km=10),
            Capability("cv_jobs", "Looks over CVs and practises interview questions, over a video call if easier.",
                       "doing", capacity=2, max_km=5, remote=True),
            Capability("tutoring", "Could help a teenager with maths homework.", "could", capacity=1, max_km=4),
        ),
    ),
    Assessed(
        "Fiona Campbell", "Corstorphine", location=(55.942, -3.276), consent_days_ago=24,
        free=("sat-am", "sun-am", "wed-pm"),
        needs=(
            Need("haircuts", "A trim at home: I do not like going into the hairdresser's now."),
        ),
        capabilities=(
            Capability("gardening", "Loves pottering outside: weeding, pruning, cutting the grass.", "doing",
                       capacity=2, max_km=6),
        ),
    ),
    Assessed(
        "Kirsty Muir", "Leith", location=(55.974, -3.175), consent_days_ago=21,
        needs=(),
        capabilities=(
            Capability("shopping",
                       "Does her own big shop at Tesco on a Friday and could pick up a few things for someone.",
                       "doing", capacity=2, max_km=3),
            Capability("walking_buddy",
                       "Takes the dog along the Water of Leith every morning and would like company.", "doing",
                       capacity=1, max_km=3),
        ),
    ),
    Assessed(
        "Hamish Grant", "Morningside", location=(55.9285, -3.2095), consent_days_ago=20,
        needs=(
            Need("meals", "Hot dinners for a few weeks after my operation, while I cannot stand at the cooker."),
        ),
        capabilities=(
            Capability("lifts", "Drives people to hospital and GP appointments in his own car.", "doing", capacity=1,
                       max_km=10),
        ),
    ),
    Assessed(
        "Ann-Marie Crawford", "Craigmillar", location=(55.932, -3.139), consent_days_ago=18,
        needs=(
            Need("paperwork", "Filling in the council tax reduction form: the questions make no sense to me."),
        ),
        capabilities=(
            Capability("dementia_sitting",
                       "Looked after her mum with dementia for years; could sit with someone so the family "
                       "gets a break.", "could", capacity=1, max_km=4),
            Capability("laundry_ironing", "Happy to do a basket of ironing.", "doing", capacity=2, max_km=3),
        ),
    ),
    Assessed(
        "Sophie Thomson", "Leith", location=(55.9765, -3.172), consent_days_ago=15,
        needs=(
            Need("music_lessons", "Piano lessons for my son, who is nine and keen."),
        ),
        capabilities=(
            Capability("dementia_sitting", "Sits with people who have dementia so their carers can go out.", "doing",
                       capacity=1, max_km=2),
        ),
    ),
    Assessed(
        "Brian Johnstone", "Corstorphine", location=(55.943, -3.283), consent_days_ago=12,
        needs=(
            Need("gardening", "Someone to cut the hedge and tidy the front garden before winter."),
        ),
        capabilities=(
            Capability("paperwork", "Good with forms and letters: did the accounts at work for thirty years.",
                       "doing", capacity=2, max_km=5, remote=True),
        ),
    ),
    Assessed(
        "Agnes Bell", "Craigmillar", location=(55.933, -3.137), consent_days_ago=8,
        free=("mon-am", "wed-am", "fri-am"), member=False,
        needs=(
            Need("dementia_sitting",
                 "Someone to stay with my husband Tam, who has dementia and cannot be left, while I go to my "
                 "own appointments.", only_checked_helper=True),
        ),
        capabilities=(
            Capability("meals", "Makes soup and stovies and always cooks too much.", "could", capacity=2, max_km=5),
        ),
    ),
    Assessed(
        "Daniel Kerr", "Abbeyhill", location=(55.9555, -3.17), consent_days_ago=5, member=False,
        needs=(
            Need("cv_jobs", "Someone to look over my CV before I apply for warehouse jobs."),
        ),
        capabilities=(
            Capability("bike_repair", "Fixes bikes: punctures, brakes and gears.", "doing", capacity=2, max_km=4),
            Capability("heavy_lifting", "Could help carry boxes when someone is moving house.", "could", capacity=1,
                       max_km=3),
        ),
    ),
)
