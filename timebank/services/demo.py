"""The demonstration time bank: a year of a plausible Leith time bank, made through the services.

Everything is written through the same use cases the web application and the CLI call
(banks, members, ledger, help, auth), so the demonstration data obeys every rule of the
ledger: the plan below tracks each balance and only asks for moves the limits allow.
A fixed random seed makes the bank the same every time, relative to the day it is made
(exchanges are dated over the twelve months before `today`).

Three sign-ins share one password, printed by `timebank demo` and given in the README:
a coordinator, a member and a social worker. Only those three are hashed, because an
argon2id hash costs about 0.2 s.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import event

from timebank.db.engine import Database
from timebank.domain.errors import UnknownBank
from timebank.services import assessments, auth, banks, help, ledger, members

__all__ = [
    "DEMO_BANK_SLUG",
    "DEMO_BANK_NAME",
    "DEMO_PASSWORD",
    "COORDINATOR_EMAIL",
    "MEMBER_EMAIL",
    "SOCIAL_WORKER_EMAIL",
    "DemoSummary",
    "demo_bank_exists",
    "create_demo_bank",
]

DEMO_BANK_SLUG = "leith"
DEMO_BANK_NAME = "Leith Time Bank"
DEMO_PASSWORD = "timebank-demo"
COORDINATOR_EMAIL = "coordinator@example.org"
MEMBER_EMAIL = "member@example.org"
SOCIAL_WORKER_EMAIL = "social.worker@example.org"
SEED = 20260401
RECORDED_BY = "coordinator@example.org"

# Margins kept inside the bank's limits (-10h, +100h), so that a member can still
# log an exchange in the demonstration without meeting a limit at once.
_FLOOR_MARGIN_MINUTES = 60


@dataclass(frozen=True)
class _Person:
    name: str
    area: str
    email: str | None  # None: run by the coordinator
    phone: str | None
    skills: tuple[str, ...]  # categories this member gives
    needs: tuple[str, ...]  # categories this member receives
    joined_days_ago: int
    organisation: bool = False


# Phone numbers are from Ofcom's ranges kept for drama (07700 900xxx, 0131 496 0xxx).
_PEOPLE: tuple[_Person, ...] = (
    _Person("Morag Henderson", "Leith", MEMBER_EMAIL, "07700 900101",
            ("baking", "phone_befriending", "sewing_alterations"), ("diy_repairs", "lifts", "tech_help"), 540),
    _Person("Jean Paterson", "Leith", None, "0131 496 0112",
            ("phone_befriending",), ("shopping", "prescriptions", "befriending", "lifts", "phone_befriending"), 600),
    _Person("Alasdair MacLeod", "Portobello", "alasdair.macleod@example.org", "07700 900215",
            ("diy_repairs", "flatpack", "heavy_lifting"), ("tech_help", "paperwork"), 700),
    _Person("Priya Sharma", "Gorgie", "priya.sharma@example.org", None,
            ("tech_help", "tutoring", "cv_jobs"), ("childcare", "gardening"), 650),
    _Person("Tomasz Nowak", "Leith", "tomasz.nowak@example.org", "07700 900322",
            ("translate_polish", "diy_repairs", "decorating"), ("english_practice", "paperwork"), 690),
    _Person("Fiona Campbell", "Corstorphine", "fiona.campbell@example.org", None,
            ("gardening", "garden_advice", "walking_buddy"), ("tech_help", "haircuts"), 620),
    _Person("Hamish Grant", "Morningside", "hamish.grant@example.org", "0131 496 0347",
            ("lifts", "appointment_escort"), ("gardening", "meals"), 580),
    _Person("Aisha Rahman", "Leith", "aisha.rahman@example.org", None,
            ("translate_urdu", "translate_arabic", "cooking_lessons"), ("tutoring", "tech_help"), 560),
    _Person("Callum Fraser", "Portobello", "callum.fraser@example.org", None,
            ("pet_care", "walking_buddy", "heavy_lifting"), ("cooking_lessons", "haircuts", "sewing_alterations"), 500),
    _Person("Eilidh Robertson", "Stockbridge", "eilidh.robertson@example.org", "07700 900418",
            ("music_lessons", "befriending"), ("diy_repairs", "flatpack"), 610),
    _Person("Graham Stewart", "Gorgie", "graham.stewart@example.org", None,
            ("diy_repairs", "appliance_repair"), ("paperwork", "meals"), 670),
    _Person("Margaret Wilson", "Corstorphine", None, "0131 496 0523",
            (), ("shopping", "befriending", "gardening", "lifts", "phone_befriending"), 640),
    _Person("Duncan Murray", "Granton", "duncan.murray@example.org", None,
            ("lifts", "shopping"), ("tech_help",), 520),
    _Person("Sophie Thomson", "Leith", "sophie.thomson@example.org", "07700 900634",
            ("befriending", "dementia_sitting", "shopping"), ("music_lessons", "childcare"), 480),
    _Person("Ewan Mackenzie", "Craigmillar", "ewan.mackenzie@example.org", None,
            ("heavy_lifting", "snow_clearing", "gardening"), ("paperwork", "cv_jobs"), 450),
    _Person("Catriona Ross", "Portobello", "catriona.ross@example.org", None,
            ("haircuts", "befriending"), ("pet_care", "diy_repairs"), 590),
    _Person("Rashid Hussain", "Gorgie", "rashid.hussain@example.org", "07700 900745",
            ("translate_urdu", "lifts", "budgeting"), ("tech_help", "english_practice"), 470),
    _Person("Isla Reid", "Leith", "isla.reid@example.org", None,
            ("childcare", "arts_crafts"), ("diy_repairs", "meals"), 430),
    _Person("Kenneth Scott", "Pilton", "kenneth.scott@example.org", "0131 496 0856",
            ("gardening", "diy_repairs"), ("tech_help", "shopping"), 610),
    _Person("Agnieszka Kowalska", "Leith", "agnieszka.kowalska@example.org", None,
            ("translate_polish", "cleaning", "cooking_lessons"), ("english_practice", "childcare"), 420),
    _Person("Brian Johnstone", "Corstorphine", "brian.johnstone@example.org", None,
            ("paperwork", "budgeting"), ("gardening", "lifts"), 660),
    _Person("Heather Kerr", "Morningside", "heather.kerr@example.org", "07700 900967",
            ("chair_yoga", "walking_buddy"), ("tech_help",), 630),
    _Person("Lewis Baird", "Granton", "lewis.baird@example.org", None,
            ("tech_help", "photography"), ("diy_repairs",), 600),
    _Person("Shona McIntyre", "Abbeyhill", "shona.mcintyre@example.org", None,
            ("phone_befriending", "english_practice"), ("lifts", "shopping"), 510),
    _Person("Malcolm Ferguson", "Portobello", "malcolm.ferguson@example.org", "0131 496 0178",
            ("appliance_repair", "diy_repairs"), ("meals", "befriending"), 680),
    _Person("Chidi Okafor", "Gorgie", "chidi.okafor@example.org", None,
            ("tutoring", "tech_help", "heavy_lifting"), ("haircuts", "cooking_lessons"), 400),
    _Person("Rona Gillespie", "Stockbridge", "rona.gillespie@example.org", None,
            ("sewing_alterations", "arts_crafts"), ("gardening", "tech_help"), 570),
    _Person("Iain Drummond", "Craigmillar", "iain.drummond@example.org", "07700 900289",
            ("shopping",), ("befriending", "diy_repairs"), 620),
    _Person("Mairi Sinclair", "Leith", "mairi.sinclair@example.org", None,
            ("befriending", "meals", "baking"), ("tech_help", "flatpack"), 530),
    _Person("Peter Walker", "Corstorphine", "peter.walker@example.org", None,
            ("lifts", "gardening"), ("tech_help", "paperwork"), 490),
    _Person("Grace Anderson", "Pilton", "grace.anderson@example.org", "07700 900390",
            ("childcare", "tutoring"), ("diy_repairs", "lifts"), 460),
    _Person("Stuart Lindsay", "Abbeyhill", "stuart.lindsay@example.org", None,
            ("flatpack", "decorating"), ("english_practice", "meals"), 440),
    _Person("Kirsty Muir", "Leith", "kirsty.muir@example.org", None,
            ("pet_care", "shopping", "walking_buddy"), ("haircuts", "sewing_alterations"), 410),
    _Person("Yusuf Ahmed", "Gorgie", "yusuf.ahmed@example.org", None,
            ("translate_arabic", "lifts"), ("english_practice", "cv_jobs"), 300),
    _Person("Elspeth Munro", "Morningside", None, "0131 496 0591",
            ("phone_befriending",), ("befriending", "shopping", "tech_help"), 660),
    _Person("Douglas Watt", "Granton", "douglas.watt@example.org", None,
            ("diy_repairs",), ("befriending", "tech_help"), 640),
    _Person("Niamh O'Brien", "Portobello", "niamh.obrien@example.org", "07700 900412",
            ("befriending", "baking"), ("diy_repairs",), 40),
    _Person("Ruairidh Macdonald", "Leith", "ruairidh.macdonald@example.org", None,
            ("music_lessons", "heavy_lifting"), ("cooking_lessons", "paperwork"), 330),
    _Person("Ann-Marie Crawford", "Craigmillar", "annmarie.crawford@example.org", None,
            ("cleaning", "laundry_ironing"), ("paperwork", "budgeting"), 28),
    _Person("Wei Chen", "Stockbridge", "wei.chen@example.org", None,
            ("tech_help", "tutoring"), ("english_practice",), 55),
    _Person("Bill Dunlop", "Corstorphine", None, "0131 496 0634",
            ("garden_advice",), ("lifts", "diy_repairs"), 650),
    _Person("Leith Community Food Hub", "Leith", "food.hub@example.org", "0131 496 0700",
            ("meals",), ("heavy_lifting", "baking", "cooking_lessons"), 700, organisation=True),
    _Person("Portobello Men's Shed", "Portobello", "shed@example.org", None,
            ("appliance_repair", "diy_repairs"), ("heavy_lifting",), 700, organisation=True),
    _Person("Gorgie Farm Friends", "Gorgie", "friends@gorgiefarm.example.org", None,
            ("arts_crafts",), ("gardening", "heavy_lifting"), 690, organisation=True),
    _Person("Corstorphine Community Centre", "Corstorphine", "centre@example.org", "0131 496 0811",
            (), ("decorating", "cleaning", "tech_help", "baking"), 700, organisation=True),
)

# Members who have not exchanged for more than 90 days: people the coordinator should ring.
_QUIET = ("Elspeth Munro", "Douglas Watt", "Iain Drummond", "Bill Dunlop")
# A member who moved away: closed, history kept.
_CLOSED = "Lewis Baird"
# Members with a safeguarding check (PVG), because they visit people at home.
_SAFEGUARDED = ("Sophie Thomson", "Mairi Sinclair", "Hamish Grant", "Eilidh Robertson",
                "Catriona Ross", "Isla Reid", "Grace Anderson", "Duncan Murray")
_EXPIRING_SOON = "Hamish Grant"  # expires within 30 days
# Members who joined during the year were welcomed with two hours from the bank.
_WELCOMED = ("Niamh O'Brien", "Ann-Marie Crawford", "Wei Chen", "Ruairidh Macdonald", "Yusuf Ahmed")

_WHAT = {
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

_OFFERS = (
    ("Morag Henderson", "baking", "Scones, tray bakes and birthday cakes for your event."),
    ("Morag Henderson", "phone_befriending", "A friendly phone call once a week, afternoons."),
    ("Alasdair MacLeod", "diy_repairs", "Shelves, curtain rails, sticking doors: I bring my own tools."),
    ("Priya Sharma", "tech_help", "Phones, tablets and laptops: video calls, email, online shopping."),
    ("Tomasz Nowak", "translate_polish", "Polish and English: letters, phone calls, appointments."),
    ("Fiona Campbell", "gardening", "Weeding, pruning and grass cutting, spring to autumn."),
    ("Hamish Grant", "lifts", "Lifts to hospital and GP appointments in my car, weekdays."),
    ("Aisha Rahman", "translate_urdu", "Urdu and Punjabi interpreting at appointments."),
    ("Callum Fraser", "pet_care", "Dog walking in Portobello and along the prom."),
    ("Eilidh Robertson", "music_lessons", "Beginner piano and fiddle lessons for any age."),
    ("Graham Stewart", "appliance_repair", "Small appliances, lamps and sewing machines mended."),
    ("Sophie Thomson", "dementia_sitting", "Sitting with someone with dementia so carers get a break."),
    ("Ewan Mackenzie", "heavy_lifting", "Moving furniture and helping with flits."),
    ("Catriona Ross", "haircuts", "Haircuts at home for people who cannot get out."),
    ("Rashid Hussain", "budgeting", "Going through bills and budgets, in English or Urdu."),
    ("Isla Reid", "childcare", "After-school childcare in Leith."),
    ("Agnieszka Kowalska", "cooking_lessons", "Polish cooking and cooking on a budget."),
    ("Brian Johnstone", "paperwork", "Forms, letters and benefit applications."),
    ("Heather Kerr", "chair_yoga", "Chair yoga at the community centre, first Tuesday of the month."),
    ("Rona Gillespie", "sewing_alterations", "Hems, zips and repairs to clothes."),
    ("Mairi Sinclair", "meals", "Home-cooked meals for someone just out of hospital."),
    ("Grace Anderson", "tutoring", "Primary maths and reading help."),
    ("Stuart Lindsay", "flatpack", "Flat-pack furniture built and put in place."),
    ("Chidi Okafor", "tutoring", "National 5 and Higher maths and physics."),
    ("Leith Community Food Hub", "meals", "Hot lunches on Wednesdays at the hub on Academy Street."),
    ("Portobello Men's Shed", "appliance_repair", "Repair café on the last Saturday of the month."),
    ("Wei Chen", "tech_help", "Help setting up smartphones and apps."),
    ("Niamh O'Brien", "befriending", "A visit and a chat, Portobello and Joppa."),
)

# (asker, category, what, when, where, helper notes, answered by, closed)
_REQUESTS = (
    ("Morag Henderson", "diy_repairs", "Someone to put up two shelves in my kitchen.",
     "Any weekday morning", "Leith, near the Kirkgate", "I have the shelves and brackets, not a drill.",
     ("Alasdair MacLeod", "Tomasz Nowak"), False),
    ("Morag Henderson", "lifts", "A lift to the Western General for an eye appointment.",
     "Thursday 10am", "From Leith Walk", None, ("Hamish Grant",), True),
    ("Morag Henderson", "tech_help", "Help to video call my grandson in Canada on my tablet.",
     "Afternoons", "At home in Leith", "I am hard of hearing: please knock loudly.", (), False),
    ("Jean Paterson", "shopping", "Weekly shop while my hip mends.", "Fridays",
     "Leith", "The coordinator will ring you with the list.", ("Kirsty Muir",), False),
    ("Margaret Wilson", "befriending", "Someone to visit for a cup of tea and a chat.",
     "Tuesday or Wednesday afternoons", "Corstorphine", None, ("Sophie Thomson",), False),
    ("Tomasz Nowak", "english_practice", "Conversation practice before a job interview.",
     "Evenings", "Leith library or a café", None, (), False),
    ("Priya Sharma", "childcare", "School pick-up two days a week.", "Mondays and Thursdays, 3pm",
     "Gorgie", None, ("Grace Anderson",), False),
    ("Fiona Campbell", "haircuts", "A haircut at home.", "Next week", "Corstorphine", None, (), False),
    ("Callum Fraser", "cooking_lessons", "Learn to cook a few cheap healthy meals.", "Weekends",
     "Portobello", None, ("Agnieszka Kowalska",), False),
    ("Corstorphine Community Centre", "decorating", "Paint the small hall before the spring fair.",
     "March, any weekend", "Corstorphine Community Centre", "Paint and brushes provided.", (), False),
    ("Chidi Okafor", "haircuts", "A quick trim.", "Any time", "Gorgie", None, (), True),
    ("Yusuf Ahmed", "cv_jobs", "Help writing a CV for warehouse jobs.", "Mornings",
     "Gorgie library", None, ("Priya Sharma",), False),
    ("Stuart Lindsay", "english_practice", "Practise English for the citizenship test.",
     "Saturdays", "Abbeyhill", None, (), False),
    ("Gorgie Farm Friends", "gardening", "Volunteers to dig new raised beds.", "April weekends",
     "Gorgie City Farm", "Wear boots; gloves provided.", ("Fiona Campbell", "Ewan Mackenzie"), False),
)

# Needs and Capabilities Assessments the demonstration social worker has recorded, so that
# a match can be run at once (none is run here: a person decides when). Each entry:
# (name, member?, area, (latitude, longitude), consent days ago, availability or None,
#  needs as (category, words, only a checked helper?),
#  capabilities as (category, words, doing/could, capacity, km, remote?)).
# The words of needs and capabilities differ, as people's own words do. Two needs ask for a
# helper with a current safeguarding check: Margaret's has one in reach (Eilidh); Agnes's
# only nearby sitter (Ann-Marie) holds no check and the checked one (Sophie) is too far, so
# it stays unmatched, with that reason.
_ASSESSMENTS = (
    ("Margaret Wilson", True, "Corstorphine", (55.9405, -3.2800), 40, ("tue-pm", "wed-pm", "thu-pm"),
     (("befriending", "Someone to pop in for a cuppa and a blether once a week. I hardly see "
                      "anybody since my sister died.", True),),
     (("sewing_alterations", "Was a dressmaker for forty years: could show someone how to take "
                             "up a hem or let out a waistband.", "could", 1, 3, False),)),
    ("Jean Paterson", True, "Leith", (55.9752, -3.1705), 35, None,
     (("lifts", "My hip is sore and I cannot get the bus up to the Royal Infirmary for my physio.",
       True),),
     (("phone_befriending", "Rings a few folk every week just to check they are all right.",
       "doing", 3, 1, True),)),
    ("Eilidh Robertson", True, "Stockbridge", (55.9583, -3.2085), 30, None,
     (("diy_repairs", "The shelves in the hall keep coming off the wall and need putting back up "
                      "properly.", False),),
     (("befriending", "Visits older neighbours for tea and company, has done for years.",
       "doing", 2, 6, False),
      ("music_lessons", "Teaches the piano to beginners, children or grown-ups.", "doing", 2, 5, False))),
    ("Alasdair MacLeod", True, "Portobello", (55.9535, -3.1140), 28, None,
     (("tech_help", "Cannot make sense of the new phone: the bank app keeps asking for codes.", False),),
     (("diy_repairs", "Retired joiner, handy with a drill: fixes sticking doors and puts up shelves.",
       "doing", 2, 8, False),
      ("heavy_lifting", "Can shift a wardrobe or a sofa when someone is flitting.", "could", 1, 5, False))),
    ("Priya Sharma", True, "Gorgie", (55.9385, -3.2350), 26, None,
     (("gardening", "A hand in the back garden: the weeds are taking over.", False),),
     (("tech_help", "Sorts out laptops and mobiles, sets up email and video calls.",
       "doing", 2, 10, False),
      ("cv_jobs", "Looks over CVs and practises interview questions, over a video call if easier.",
       "doing", 2, 5, True),
      ("tutoring", "Could help a teenager with maths homework.", "could", 1, 4, False))),
    ("Fiona Campbell", True, "Corstorphine", (55.9420, -3.2760), 24, ("sat-am", "sun-am", "wed-pm"),
     (("haircuts", "A trim at home: I do not like going into the hairdresser's now.", False),),
     (("gardening", "Loves pottering outside: weeding, pruning, cutting the grass.", "doing", 2, 6, False),)),
    ("Kirsty Muir", True, "Leith", (55.9740, -3.1750), 21, None,
     (),
     (("shopping", "Does her own big shop at Tesco on a Friday and could pick up a few things for "
                   "someone.", "doing", 2, 3, False),
      ("walking_buddy", "Takes the dog along the Water of Leith every morning and would like company.",
       "doing", 1, 3, False))),
    ("Hamish Grant", True, "Morningside", (55.9285, -3.2095), 20, None,
     (("meals", "Hot dinners for a few weeks after my operation, while I cannot stand at the cooker.",
       False),),
     (("lifts", "Drives people to hospital and GP appointments in his own car.", "doing", 1, 10, False),)),
    ("Ann-Marie Crawford", True, "Craigmillar", (55.9320, -3.1390), 18, None,
     (("paperwork", "Filling in the council tax reduction form: the questions make no sense to me.",
       False),),
     (("dementia_sitting", "Looked after her mum with dementia for years; could sit with someone so "
                           "the family gets a break.", "could", 1, 4, False),
      ("laundry_ironing", "Happy to do a basket of ironing.", "doing", 2, 3, False))),
    ("Sophie Thomson", True, "Leith", (55.9765, -3.1720), 15, None,
     (("music_lessons", "Piano lessons for my son, who is nine and keen.", False),),
     (("dementia_sitting", "Sits with people who have dementia so their carers can go out.",
       "doing", 1, 2, False),)),
    ("Brian Johnstone", True, "Corstorphine", (55.9430, -3.2830), 12, None,
     (("gardening", "Someone to cut the hedge and tidy the front garden before winter.", False),),
     (("paperwork", "Good with forms and letters: did the accounts at work for thirty years.",
       "doing", 2, 5, True),)),
    ("Agnes Bell", False, "Craigmillar", (55.9330, -3.1370), 8, ("mon-am", "wed-am", "fri-am"),
     (("dementia_sitting", "Someone to stay with my husband Tam, who has dementia and cannot be left, "
                           "while I go to my own appointments.", True),),
     (("meals", "Makes soup and stovies and always cooks too much.", "could", 2, 5, False),)),
    ("Daniel Kerr", False, "Abbeyhill", (55.9555, -3.1700), 5, None,
     (("cv_jobs", "Someone to look over my CV before I apply for warehouse jobs.", False),),
     (("bike_repair", "Fixes bikes: punctures, brakes and gears.", "doing", 2, 4, False),
      ("heavy_lifting", "Could help carry boxes when someone is moving house.", "could", 1, 3, False))),
)


@dataclass(frozen=True)
class DemoSummary:
    """What `create_demo_bank` made (or found), for the command to print."""

    created: bool
    bank_slug: str
    members: int = 0
    organisations: int = 0
    exchanges: int = 0
    group_exchanges: int = 0
    pending: int = 0
    categories: int = 0
    offers: int = 0
    requests: int = 0
    sign_ins: tuple[tuple[str, str], ...] = ()
    password: str = DEMO_PASSWORD


def demo_bank_exists(database: Database) -> bool:
    try:
        banks.get_bank(database, DEMO_BANK_SLUG)
    except UnknownBank:
        return False
    return True


def create_demo_bank(database: Database, *, if_empty: bool = False,
                     today: dt.date | None = None) -> DemoSummary:
    """Fill the database with the demonstration bank; BankSlugTaken if it is there already.

    With `if_empty`, an existing demonstration bank is left as it is and nothing is written.
    """
    if if_empty and demo_bank_exists(database):
        return DemoSummary(created=False, bank_slug=DEMO_BANK_SLUG)
    with _sqlite_made_quickly(database):
        return _Builder(database, today or dt.date.today()).build()


@contextlib.contextmanager
def _sqlite_made_quickly(database: Database):
    """On SQLite, write the demonstration without waiting for the disk at every commit.

    The bank takes about a thousand units of work, each committing once, and with
    `synchronous=FULL` every commit waits for the disk. While the demonstration is
    written, new connections use NORMAL instead (still safe from corruption in WAL mode;
    a power cut could lose the last few writes of data that can be made again). The pool
    is emptied before and after, so no connection with NORMAL outlives the demonstration.
    """
    if database.dialect != "sqlite":
        yield
        return

    def normal_sync(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    event.listen(database.engine, "connect", normal_sync)
    database.engine.dispose()
    try:
        yield
    finally:
        event.remove(database.engine, "connect", normal_sync)
        database.engine.dispose()


class _Builder:
    """Writes the bank in date order, keeping a copy of every balance to plan within limits."""

    def __init__(self, database: Database, today: dt.date):
        self.db = database
        self.today = today
        self.rng = random.Random(SEED)
        self.ids: dict[str, int] = {}
        self.balance: dict[int, int] = {}
        self.people: dict[str, _Person] = {p.name: p for p in _PEOPLE}
        self.exchanges = 0
        self.groups = 0
        self.pending = 0
        self.categories_used: set[str] = set()
        self.last_exchange_day: dict[int, dt.date] = {}

    # ---------------------------------------------------------------- the whole bank

    def build(self) -> DemoSummary:
        bank = banks.create_bank(self.db, DEMO_BANK_SLUG, DEMO_BANK_NAME)
        self.floor = bank.floor_minutes + _FLOOR_MARGIN_MINUTES
        self.ceiling = bank.ceiling_minutes - 10 * 60
        self.known_categories = {slug for slug, _ in banks.list_categories(self.db, DEMO_BANK_SLUG)}
        self._add_members()
        self._run_the_year()
        self._leave_some_pending()
        self._close_a_member()
        self._set_safeguarding()
        offers = self._offers()
        requests = self._requests()
        sign_ins = self._sign_ins()
        self._assessments()
        return DemoSummary(
            created=True, bank_slug=DEMO_BANK_SLUG,
            members=len(self.ids), organisations=sum(p.organisation for p in _PEOPLE),
            exchanges=self.exchanges, group_exchanges=self.groups, pending=self.pending,
            categories=len(self.categories_used), offers=offers, requests=requests,
            sign_ins=sign_ins,
        )

    def _category(self, slug: str | None) -> str | None:
        return slug if slug in self.known_categories else None

    def _add_members(self) -> None:
        for person in _PEOPLE:
            view = members.add_member(
                self.db, DEMO_BANK_SLUG, person.name, email=person.email,
                organisation=person.organisation, phone=person.phone, area=person.area,
                joined_on=self.today - dt.timedelta(days=person.joined_days_ago),
            )
            self.ids[person.name] = view.id
            self.balance[view.id] = 0

    # ---------------------------------------------------------------- a year of exchanges

    def _joined(self, name: str) -> dt.date:
        return self.today - dt.timedelta(days=self.people[name].joined_days_ago)

    def _active_on(self, name: str, day: dt.date) -> bool:
        if day < self._joined(name):
            return False
        if name in _QUIET and (self.today - day).days < 120:
            return False
        return not (name == _CLOSED and (self.today - day).days < 200)

    def _run_the_year(self) -> None:
        """Day by day, oldest first, so that statements read in date order."""
        events = self._dated_events()
        group_days = {self.today - dt.timedelta(days=d) for d in range(357, 0, -30)}
        due: list[str] = []
        for days_ago in range(365, 0, -1):
            day = self.today - dt.timedelta(days=days_ago)
            for happening in events.get(day, ()):
                happening(day)
            if day in group_days:
                self._group_session(day)
            for _ in range(self._poisson(0.9)):
                self._one_exchange(day)
            if days_ago == 80:
                due = [p.name for p in _PEOPLE if p.name not in _QUIET and p.name != _CLOSED]
            if days_ago <= 78:
                due = self._bring_in(due, day)
        if due:  # pragma: no cover - a guard on the plan
            raise AssertionError(f"the demonstration plan left out {', '.join(due)}")

    def _dated_events(self) -> dict[dt.date, list]:
        events: dict[dt.date, list] = {}

        def on(days_ago: int, event) -> None:
            events.setdefault(self.today - dt.timedelta(days=days_ago), []).append(event)

        for person in _PEOPLE:
            if person.name in _WELCOMED:
                on(person.joined_days_ago, lambda day, name=person.name: self._grant(
                    name, 120, "Welcome hours for a new member", day))
        on(150, lambda day: self._grant("Margaret Wilson", 3 * 60,
                                        "Hours for lifts during a long illness", day))
        on(62, self._donate)
        on(58, lambda day: self._grant(
            "Jean Paterson", 4 * 60, "From the community pot: help with shopping over the winter",
            day, from_pot=True))
        on(47, self._reverse_a_duplicate)
        return events

    def _bring_in(self, due: list[str], day: dt.date) -> list[str]:
        """Every member who is not meant to be quiet exchanges in the last 80 days."""
        for name in [n for n in due if self._active_on(n, day)][:2]:
            if not self.people[name].skills and self.balance[self.ids[name]] - 180 < self.floor:
                # Someone who cannot give back: the bank tops up their hours, as coordinators do.
                self._grant(name, 6 * 60, "Hours from the bank: more help needed than can be given back",
                            day)
            if self.people[name].needs and self.rng.random() < 0.5:
                self._one_exchange(day, receiver=name, member_logged=False)
            else:
                self._give_something(name, day)
        return [n for n in due
                if self.last_exchange_day.get(self.ids[n], dt.date.min) < self.today - dt.timedelta(days=80)]

    def _poisson(self, mean: float) -> int:
        count, limit, product = 0, pow(2.718281828459045, -mean), self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def _fits(self, provider: int, receivers: list[int], minutes: int, share: int) -> bool:
        if self.balance[provider] + minutes > self.ceiling:
            return False
        return all(self.balance[r] - share >= self.floor for r in receivers)

    def _one_exchange(self, day: dt.date, receiver: str | None = None,
                      member_logged: bool | None = None) -> bool:
        names = [n for n in self.people if self._active_on(n, day)]
        if receiver is None:
            needy = [n for n in names if self.people[n].needs]
            receiver = self.rng.choice(needy)
        category = self.rng.choice(self.people[receiver].needs)
        providers = [n for n in names if n != receiver and category in self.people[n].skills]
        if not providers:
            return False
        provider = self.rng.choice(providers)
        minutes = self.rng.choice((30, 45, 60, 60, 60, 90, 90, 120, 120, 150, 180))
        if not self._fits(self.ids[provider], [self.ids[receiver]], minutes, minutes):
            return False
        if member_logged is None:
            member_logged = (self.rng.random() < 0.25 and self.people[provider].email is not None
                             and self.people[receiver].email is not None)
        self._exchange(provider, receiver, minutes, category, day, member_logged=member_logged)
        return True

    def _exchange(self, provider: str, receiver: str, minutes: int, category: str | None,
                  day: dt.date, *, member_logged: bool = False, key: str | None = None) -> int:
        slug = self._category(category)
        what = self.rng.choice(_WHAT.get(category or "", ["Help"]))
        p, r = self.ids[provider], self.ids[receiver]
        if member_logged:
            # The provider logs it and the receiver confirms, as members do on the web.
            proposed = ledger.propose_exchange(
                self.db, DEMO_BANK_SLUG, member_id=p, provider_id=p, receiver_id=r,
                minutes=minutes, category=slug, description=what, given_on=day, today=self.today)
            view = ledger.confirm_exchange(self.db, DEMO_BANK_SLUG, proposed.id, member_id=r,
                                           settled_by=f"member:{r}")
        else:
            view = ledger.log_exchange(
                self.db, DEMO_BANK_SLUG, provider_id=p, receiver_id=r, minutes=minutes,
                recorded_by=RECORDED_BY, category=slug, description=what, given_on=day,
                idempotency_key=key, today=self.today)
        self.balance[p] += minutes
        self.balance[r] -= minutes
        self.exchanges += 1
        if slug:
            self.categories_used.add(slug)
        for member_id in (p, r):
            self.last_exchange_day[member_id] = max(day, self.last_exchange_day.get(member_id, day))
        return view.id

    def _group_session(self, day: dt.date) -> None:
        """Chair yoga once a month at the community centre: one teacher, a group of members."""
        teacher = "Heather Kerr"
        if not self._active_on(teacher, day):
            return
        candidates = [n for n in ("Margaret Wilson", "Jean Paterson", "Morag Henderson",
                                  "Elspeth Munro", "Brian Johnstone", "Fiona Campbell",
                                  "Bill Dunlop", "Peter Walker", "Shona McIntyre", "Mairi Sinclair")
                      if self._active_on(n, day)]
        group = self.rng.sample(candidates, k=min(len(candidates), self.rng.randint(5, 8)))
        minutes = 60
        share = minutes // len(group)
        receivers = [self.ids[n] for n in group if self.balance[self.ids[n]] - share >= self.floor]
        if len(receivers) < 3 or not self._fits(self.ids[teacher], receivers, minutes, minutes // len(receivers)):
            return
        share = minutes // len(receivers)
        ledger.log_group_exchange(
            self.db, DEMO_BANK_SLUG, provider_id=self.ids[teacher], receiver_ids=receivers,
            minutes=minutes, recorded_by=RECORDED_BY, category=self._category("chair_yoga"),
            description="Chair yoga at Corstorphine Community Centre", given_on=day,
            today=self.today)
        self.balance[self.ids[teacher]] += minutes
        for r in receivers:
            self.balance[r] -= share
            self.last_exchange_day[r] = day
        self.last_exchange_day[self.ids[teacher]] = day
        self.groups += 1
        self.exchanges += 1
        self.categories_used.add("chair_yoga")

    def _give_something(self, provider: str, day: dt.date) -> None:
        skills = self.people[provider].skills
        if not skills:
            return
        category = self.rng.choice(skills)
        receivers = [n for n in self.people if n != provider and self._active_on(n, day)
                     and category in self.people[n].needs] or \
                    [n for n in self.people if n != provider and self._active_on(n, day)]
        receiver = self.rng.choice(receivers)
        minutes = 60
        if self._fits(self.ids[provider], [self.ids[receiver]], minutes, minutes):
            self._exchange(provider, receiver, minutes, category, day)

    # ---------------------------------------------------------------- corrections and the pot

    def _grant(self, name: str, minutes: int, reason: str, day: dt.date, *,
               from_pot: bool = False) -> None:
        member_id = self.ids[name]
        ledger.grant(self.db, DEMO_BANK_SLUG, member_id=member_id, minutes=minutes, reason=reason,
                     recorded_by=RECORDED_BY, from_community_pot=from_pot, today=day)
        self.balance[member_id] += minutes

    def _reverse_a_duplicate(self, day: dt.date) -> None:
        """The same lift logged on two days; the coordinator reverses the second, with a reason."""
        provider, receiver = "Peter Walker", "Brian Johnstone"
        if self.balance[self.ids[receiver]] - 180 < self.floor:
            self._grant(receiver, 180, "Hours for lifts to hospital appointments", day)
        if self.balance[self.ids[provider]] + 180 > self.ceiling:  # pragma: no cover - plan guard
            provider = min(("Hamish Grant", "Duncan Murray"), key=lambda n: self.balance[self.ids[n]])
        self._exchange(provider, receiver, 90, "lifts", day - dt.timedelta(days=1))
        duplicate = self._exchange(provider, receiver, 90, "lifts", day)
        ledger.reverse_exchange(
            self.db, duplicate, bank_slug=DEMO_BANK_SLUG, recorded_by=RECORDED_BY,
            reason="Logged twice by mistake: the same lift to the Royal Infirmary.", today=day)
        self.balance[self.ids[provider]] -= 90
        self.balance[self.ids[receiver]] += 90
        self.exchanges += 1

    def _donate(self, day: dt.date) -> None:
        """The member with most hours gives ten of them to the community pot."""
        donor = max((n for n in self.people if self._active_on(n, day)),
                    key=lambda n: self.balance[self.ids[n]])
        minutes = 10 * 60
        if self.balance[self.ids[donor]] - minutes < self.floor:  # pragma: no cover - plan guard
            raise AssertionError("nobody in the demonstration has ten hours to give")
        ledger.donate(self.db, DEMO_BANK_SLUG, member_id=self.ids[donor], minutes=minutes,
                      recorded_by=RECORDED_BY, today=day)
        self.balance[self.ids[donor]] -= minutes

    def _leave_some_pending(self) -> None:
        """Exchanges members logged in the last days, waiting for the other member."""
        waiting = (
            ("Alasdair MacLeod", "Morag Henderson", 60, "diy_repairs", 3, "Alasdair MacLeod"),
            ("Morag Henderson", "Sophie Thomson", 90, "baking", 2, "Morag Henderson"),
            ("Kirsty Muir", "Jean Paterson", 60, "shopping", 4, "Kirsty Muir"),
            ("Priya Sharma", "Peter Walker", 45, "tech_help", 1, "Peter Walker"),
        )
        for provider, receiver, minutes, category, days_ago, logged_by in waiting:
            ledger.propose_exchange(
                self.db, DEMO_BANK_SLUG, member_id=self.ids[logged_by],
                provider_id=self.ids[provider], receiver_id=self.ids[receiver], minutes=minutes,
                category=self._category(category),
                description=self.rng.choice(_WHAT[category]),
                given_on=self.today - dt.timedelta(days=days_ago), today=self.today)
            self.pending += 1
        # One declined: the other member remembered it differently.
        proposed = ledger.propose_exchange(
            self.db, DEMO_BANK_SLUG, member_id=self.ids["Callum Fraser"],
            provider_id=self.ids["Callum Fraser"], receiver_id=self.ids["Kirsty Muir"], minutes=180,
            category=self._category("pet_care"), description="Dog walking all week",
            given_on=self.today - dt.timedelta(days=20), today=self.today)
        ledger.decline_exchange(self.db, DEMO_BANK_SLUG, proposed.id,
                                member_id=self.ids["Kirsty Muir"],
                                settled_by=f"member:{self.ids['Kirsty Muir']}")

    def _close_a_member(self) -> None:
        members.set_member_status(self.db, DEMO_BANK_SLUG, self.ids[_CLOSED], "closed")

    def _set_safeguarding(self) -> None:
        for index, name in enumerate(_SAFEGUARDED):
            if name == _EXPIRING_SOON:
                expires = self.today + dt.timedelta(days=18)
            else:
                expires = self.today + dt.timedelta(days=120 + 97 * index)
            checked = expires - dt.timedelta(days=3 * 365)
            members.set_safeguarding(self.db, DEMO_BANK_SLUG, self.ids[name],
                                     checked_on=checked, expires_on=expires, today=self.today)

    # ---------------------------------------------------------------- offers, requests, sign-ins

    def _offers(self) -> int:
        for name, category, description in _OFFERS:
            help.offer_skill(self.db, DEMO_BANK_SLUG, member_id=self.ids[name],
                             description=description, category=self._category(category))
        return len(_OFFERS)

    def _requests(self) -> int:
        for asker, category, what, when, where, notes, answered_by, closed in _REQUESTS:
            request = help.ask_for_help(
                self.db, DEMO_BANK_SLUG, member_id=self.ids[asker], what=what,
                category=self._category(category), when_text=when, where_text=where,
                helper_notes=notes)
            for helper in answered_by:
                help.answer_request(self.db, DEMO_BANK_SLUG, request.id, member_id=self.ids[helper],
                                    message="I can help with this.")
            if closed:
                help.close_request(self.db, DEMO_BANK_SLUG, request.id, member_id=self.ids[asker])
        return len(_REQUESTS)

    def _sign_ins(self) -> tuple[tuple[str, str], ...]:
        auth.create_user(self.db, DEMO_BANK_SLUG, email=COORDINATOR_EMAIL, name="Liz Cameron",
                         password=DEMO_PASSWORD, role="coordinator")
        auth.create_user(self.db, DEMO_BANK_SLUG, email=MEMBER_EMAIL, name="Morag Henderson",
                         password=DEMO_PASSWORD, role="member", member_id=self.ids["Morag Henderson"])
        auth.create_user(self.db, DEMO_BANK_SLUG, email=SOCIAL_WORKER_EMAIL, name="Ruth Baxter",
                         password=DEMO_PASSWORD, role="social_worker")
        return (("coordinator", COORDINATOR_EMAIL), ("member", MEMBER_EMAIL),
                ("social worker", SOCIAL_WORKER_EMAIL))


    def _assessments(self) -> int:
        """The social worker's assessments, recorded with consent; no match is run."""
        worker = auth.authenticate(self.db, SOCIAL_WORKER_EMAIL, DEMO_PASSWORD)
        for name, is_member, area, (lat, lon), days_ago, free, needs, capabilities in _ASSESSMENTS:
            content = {
                "consent": True, "consent_on": self.today - dt.timedelta(days=days_ago),
                "area": area, "latitude": lat, "longitude": lon,
                "availability": list(free) if free else None,
                "needs": [{"category": self._category(c), "text": text, "requires_checked": checked}
                          for c, text, checked in needs],
                "capabilities": [{"category": self._category(c), "text": text, "status": status,
                                  "share": True, "capacity": capacity, "max_km": km, "remote": remote}
                                 for c, text, status, capacity, km, remote in capabilities],
            }
            assessments.record_assessment(self.db, worker, person_name=name, content=content,
                                          member_id=self.ids[name] if is_member else None,
                                          today=self.today)
        return len(_ASSESSMENTS)
