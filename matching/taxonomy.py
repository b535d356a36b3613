"""The service taxonomy: the categories a time bank's help falls into.

Kept free of heavy imports: the ledger seeds each new bank's category list from it.

Each category carries the words people use for it: plain words, paraphrase, Scots and
social workers' shorthand. A term is a short phrase in a small mini-language, parsed
once, here, into a :class:`Term` (the text reader and the TF-IDF references both use it):

``walk dog``
    The words in this order, with up to three other words between neighbours, so
    "walk dog" also finds "walk my dog". Words are stemmed ("walking" is "walk"), and a
    text's words are spelling-corrected towards the taxonomy's before they are compared.
``=phone me``
    Adjacent: the words in this order with nothing between them.
``iron+packed``
    Together: every word anywhere in one sentence, in any order (``+`` joins words or
    phrases: ``sewing machine+packed up`` needs all four words).
``~advice``
    Weak: an ambiguous cue that only tips the balance (weight 0.4 unless given).
    Weak terms are also left out of the single-term references TF-IDF likeness uses.
``...^2.5``
    An explicit weight, written last (``~help+dog^0.3``, ``=phone me^2.5``). Without
    one a term weighs 1 for one word, 1.6 for two and 2 for three or more.

Markers combine in this order: ``~`` first, then ``=``, then the words (joined by ``+``
for together), then ``^weight``. A text's evidence for a category is the sum of the
weights of the terms found in it (scaled by how central their sentence is, see
:mod:`matching.text`); longer terms claim their words before shorter ones, which is how
"walk the dog" stays pet care and "help with my phone" stays tech help.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Category", "CATEGORIES", "CATEGORY_BY_ID", "Term"]


#: A weak term's weight when none is written.
WEAK_WEIGHT = 0.4
# A term's weight when none is written, by its number of words (one, two, three or more).
_WEIGHT_BY_LENGTH = (1.0, 1.6, 2.0)


@dataclass(frozen=True)
class Term:
    """One term of a category, parsed from the mini-language of the module docstring.

    ``text`` is the words with every marker removed ("iron packed" for
    ``iron+packed^3.5``); ``mode`` is how they must appear: ``"ordered"`` (small gaps),
    ``"adjacent"`` or ``"together"`` (anywhere in one sentence); ``weak`` is the ``~``
    marker; ``weight`` is the weight written after ``^``, or None.
    """

    text: str
    mode: Literal["ordered", "adjacent", "together"] = "ordered"
    weak: bool = False
    weight: float | None = None

    @classmethod
    def parse(cls, raw: str) -> Term:
        """Read one term as written in a category's ``terms``."""
        weak = raw.startswith("~")
        raw = raw.lstrip("~")
        weight = None
        if "^" in raw:
            raw, written = raw.rsplit("^", 1)
            weight = float(written)
        mode: Literal["ordered", "adjacent", "together"] = "ordered"
        if raw.startswith("="):
            mode, raw = "adjacent", raw[1:]
        elif "+" in raw:
            mode = "together"
        return cls(raw.replace("+", " "), mode, weak, weight)

    def weight_for(self, n_words: int) -> float:
        """The term's weight, given how many words the reader found in it."""
        if self.weight is not None:
            return self.weight
        return WEAK_WEIGHT if self.weak else _WEIGHT_BY_LENGTH[min(n_words, 3) - 1]


@dataclass(frozen=True)
class Category:
    """A service category: stable ``id``, display ``name``, plain ``description``, ``terms``.

    ``learned_in`` names the sibling category that teaches this service, for a text that
    asks to learn it rather than have it done ("learn to make meals" is cooking lessons,
    not meals).
    """

    id: str
    name: str
    description: str = ""
    terms: tuple[str, ...] = field(default=())
    learned_in: str | None = None

    @property
    def parsed_terms(self) -> tuple[Term, ...]:
        """The ``terms``, each parsed into a :class:`Term`."""
        return tuple(Term.parse(raw) for raw in self.terms)


def _terms(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip())


def _together(things: str, words: str, weight: float) -> tuple[str, ...]:
    """Terms for each thing said anywhere in one sentence with each word."""
    return tuple(f"{a}+{b}^{weight}" for a in _terms(things) for b in _terms(words))


# Small appliances a repair cafe mends (not white goods, which need an engineer), and the
# words people use when one stops working: an appliance named with a fault is a repair
# ("the kettle's packed up"), named alone it may only be owned ("my own sewing machine").
_SMALL_APPLIANCES = ("kettle, toaster, lamp, hoover, vacuum, radio, iron, microwave, hairdryer, hair dryer, "
                     "heater, clock, sewing machine, blender, food mixer, dehumidifier, record player, stereo, "
                     "cd player, dvd player, electric blanket, electric fire, shaver, extractor fan")
_FAULTS = ("broken, broke, bust, jammed, jams, packed up, packed in, stopped working, not working, doesnt work, "
           "wont work, playing up, on the blink, conked out, faulty, fault, fix, fixing, repair, repairing, "
           "service, servicing, tripping, trips, sparking, wont turn on, wont switch on")
# Languages taught in a time bank. "Polish" written with a capital inside a sentence is
# read as "polski" (see matching.text), so both spellings are listed.
_LANGUAGES = ("french, spanish, italian, german, gaelic, polish, polski, urdu, arabic, mandarin, chinese, "
              "japanese, portuguese, russian, dutch, welsh, latin, greek, punjabi, hindi, turkish")


def _learning_languages() -> tuple[str, ...]:
    """"learn Polish", "Spanish lessons", "teach French", in that order with small gaps."""
    out = []
    for language in _terms(_LANGUAGES):
        out += [f"learn {language}^3.5", f"learning {language}^3.5", f"teach {language}^3.5",
                f"{language} lessons^3.5", f"{language} classes^3.5", f"{language} conversation^3",
                f"brush up {language}^3.5", f"practise {language}^3.5", f"practice {language}^3.5"]
    return tuple(out)


CATEGORIES: tuple[Category, ...] = (
    Category("shopping", "Shopping and errands",
             "Doing someone's food shopping or small errands: the shops, the post office, carrying bags home.",
             _terms("shopping, shop^0.8, shops^0.8, shopper, groceries^1.5, grocery^1.5, grocery collection^2.5, supermarket, food shop^2, "
                    "weekly shop^2, big shop^2, messages^1.2, get my messages^2.5, errand^1.5, errands^1.5, "
                    "message run^2, corner shop, tesco, asda, lidl, aldi, sainsbury, morrisons, co-op, "
                    "post office^1.2, post parcel^1.5, "
                    "shopping bags^2.2, carry shopping^2.2, heavy shopping^2.2, "
                    "bread and milk^2, pint of milk^2, newsagent, paper shop^1.5, online shop^2, "
                    "click and collect^2, food bank, foodbank, top up shop^2, ~bags, ~milk, ~bread, fetch and carry^2, run errands^2.5, nip to the shops^2.5, pick up my messages^2.5")),
    Category("prescriptions", "Collecting prescriptions",
             "Picking up medicines from the pharmacy or chemist and bringing them to the person's door.",
             _terms("prescription^2, prescriptions^2, repeat prescription^3, scrip, script^0.7, medication^1.5, "
                    "medicine^1.5, medicines^1.5, meds^1.5, pharmacy^2, pharmacist^2, chemist^2, boots^0.6, "
                    "dosette^2, blister pack^2, inhaler, insulin, pills, pill, collect tablets^2.5, "
                    "pick up tablets^2.5, my tablets^1.5, drop off medication^2.5, fetch medication^2.5")),
    Category("gardening", "Gardening: weeding, grass, hedges",
             "Hands-on garden work: weeding, cutting grass, trimming hedges, pruning and tidying.",
             _terms("gardening^1.3, garden^0.9, gardener^0.9, weeding^1.5, weed^1.2, weeds^1.2, grass^1.3, "
                    "lawn^1.3, mow^1.5, mowing^1.5, lawnmower^1.5, hedge^1.5, hedges^1.5, trim hedge^2.5, "
                    "prune^1.2, pruning^1.2, strim^1.5, strimmer^1.5, rake^1.3, raking^1.3, leaves^0.8, "
                    "garden tidy^2.5, tidy garden^2.5, garden clearance^2.5, clear garden^2.5, "
                    "overgrown^1.5, jaggy^1, bushes, shrubs, brambles^1.5, borders^0.7, patio^0.8, "
                    "jet wash^1.5, green bin^1.5, brown bin^1.5, garden maintenance^2.5, "
                    "cut grass^2.5, cut hedge^2.5, cut back^1.2, dig^0.8, digging^0.8, turf^1, yard^0.6")),
    Category("garden_advice", "Garden design and growing advice",
             "Advice on planning a garden and growing things: what to plant where, vegetables, wildlife.",
             _terms("garden design^3, design garden^3, designing garden^3, plan garden^2.5, garden plan^2.5, "
                    "garden layout^2.5, landscaping^1.5, grow^1.3, growing^1.3, grow vegetables^3, "
                    "grow veg^3, vegetable patch^2.5, veg patch^2.5, allotment^1.8, seeds^1.2, seedlings^1.5, "
                    "compost^1.2, composting^1.2, wildlife garden^3, wildlife friendly^2.5, pollinator^1.5, "
                    "bee friendly^2, birds+bees^2.5, ideas+garden^2.5, plants^1, which plants^2.5, what plant^2.5, plant advice^2.5, "
                    "garden advice^3, advice on garden^3, gardening advice^3, gardening tips^3, "
                    "horticulture^2, horticultural^2, herb garden^2, herbs^1, raised beds^2, raised bed^2, "
                    "shady^1.2, houseplants^1.5, greenhouse^1.2, ~advice, ~advise, "
                    "~guidance, ~tips, design^1.2, designing^1.2, design+garden^3, plan+garden^2.5, advice+garden^2.5, advice+plant^2.5, grow+plant^2.5, landscape^1.5")),
    Category("snow_clearing", "Clearing snow and gritting paths",
             "Shovelling snow and spreading grit or salt on paths, steps and drives in winter.",
             _terms("snow^2, snaw^2, snowy^2, shovel^1.5, shovelling^1.5, clear snow^3, grit^2, gritting^2, "
                    "gritter^2, grit bin^2, salt^1.2, salt path^2.5, ice^1.5, icy^1.8, frost^1, frosty^1, "
                    "frozen^1, slippy^1.5, slippery^1.5, de-ice^2, winter paths^2, snowed in^3, snowed up^3, dig out^2, dig path^2.5, blizzard^2, snowfall^2, sleet^1.5, black ice^3, drifts^1.5, thaw^1, snow shovel^3, salt the path^3, grit the path^3")),
    Category("befriending", "Befriending visits in person",
             "Regular visits in person to someone who is lonely or isolated: company, a chat, a cuppa.",
             _terms("befriend^1.3, befriending^1.3, befriender^1.3, company^1.2, companionship^1.5, "
                    "visit^0.8, visits^0.8, visitor^1.2, visitors^1, home visit^1.5, pop round^1.5, pop in^1.5, "
                    "drop in^1, chat^0.7, natter^1, blether^1.2, gossip^0.8, cup of tea^1.8, cuppa^1.5, "
                    "lonely^1.2, loneliness^1.2, isolated^1, isolation^1, socially isolated^1.5, friend^0.8, "
                    "friendship^1, pal^0.8, conversation^1, play cards^2, cards^1, board games^2, dominoes^1.5, "
                    "scrabble^1.5, jigsaw^1, reminisce^1.5, keep company^2, keep me company^2, "
                    "someone to talk to^2, sit and talk^2, lives alone^0.6, on my own^0.4, "
                    "social^0.6, coffee^0.6, face to face^1.2, in person^1.2, ~talk, ~visiting, chinwag^1.2, have a brew^1.5")),
    Category("phone_befriending", "Phone befriending",
             "A regular friendly telephone call for someone who is lonely or isolated.",
             _terms("phone befriending^3.5, telephone befriending^3.5, phone befriender^3.5, "
                    "telephone befriender^3.5, befriending calls^3.5, befriending phone^3.5, "
                    "befriending call^3.5, phone call^2.2, phone calls^2.2, telephone call^2.5, "
                    "telephone calls^2.5, telephone^1.8, phone chat^2.5, telephone chat^3, chat on phone^3, "
                    "chat over phone^3, chat phone^2.5, talk on phone^3, talk phone^2.5, ring^1.2, "
                    "ring me^2.2, ring for a chat^3, call me^2, calls^1.2, weekly call^2.5, regular call^2.5, "
                    "friendly call^2.5, friendly calls^2.5, check in call^2.5, wellbeing call^2.5, "
                    "phone friend^2.5, phone buddy^2.5, telephone friendship^3, friendly voice^2.5, "
                    "on the phone^1.5, over the phone^1.5, by phone^0.6, ~phone, ~call, give call^2.5, call+chat^3, call+lonely^2.5, ring+chat^3, phone+lonely^2.5, phone+chat^3, =phone me^2.5, phone+blether^3, phone+natter^3, phone+company^2.5, telephone+company^2.5")),
    Category("dementia_sitting", "Sitting with a person with dementia",
             "Sitting with a person living with dementia so that their carer can have a break.",
             _terms("dementia^3, alzheimer^3, alzheimers^3, memory loss^2.5, memory problems^2.5, "
                    "confused^1, confusion^1, forgetful^1.2, sitter^1.5, sitting service^2.5, "
                    "sit with^1.2, stay with^1, respite^2, carer break^2.5, carer a break^2.5, "
                    "break for carer^2.5, carers break^2.5, give carer break^3, pwd^2, keep eye on^1, "
                    "~carer")),
    Category("tech_help", "Help with computers, tablets and phones",
             "Help using computers, tablets, smartphones, email, the internet and video calls.",
             _terms("computer^1.5, computers^1.5, laptop^1.8, pc^1.5, ipad^2, tablet^0.6, new tablet^2.5, "
                    "use tablet^2.5, smartphone^2, smart phone^2, iphone^2, android^2, mobile phone^1.8, "
                    "my phone^1.3, new phone^2, phone settings^2.5, set up phone^2.5, use my phone^2.5, "
                    "app^1.3, apps^1.3, email^1.8, emails^1.8, e-mail^1.8, internet^1.8, online^0.6, "
                    "get online^2.5, go online^2, wifi^2, wi-fi^2, broadband^1.8, router^1.8, printer^1.5, "
                    "video call^2, video calls^2, video chat^2, zoom^1.5, facetime^2, whatsapp^2, skype^2, "
                    "facebook^1.5, social media^2, online banking^3, banking app^3, digital^1.5, "
                    "password^1.5, passwords^1.5, settings^1.2, updates^1, software^1.5, virus^1.2, "
                    "kindle^1.5, e-reader^1.5, smart tv^2, alexa^1.5, text message^2, texting^1.8, texts^1, "
                    "send photos^2.5, send pictures^2.5, tech^1.5, technology^1.5, techy^1.5, gadget^1.5, "
                    "gadgets^1.5, device^1.3, devices^1.3, it support^2.5, it professional^2, scam^1, "
                    "website^1.3, google^1.3, youtube^1.3, digital skills^2.5, keyboard^0.6, mouse^0.6, "
                    "touchscreen^1.5, log in^1.2, ~phone, ~mobile, account^0.8, accounts^1, online account^2.5, set up+account^2.5, online shopping^1.5, telly^1.5, tv^1.5, television^1.5, freeview^2.5, remote control^2.5, set top box^3, sky box^3, tv box^3, tv channels^2.5, retune^2.5")),
    Category("diy_repairs", "DIY and small household repairs",
             "Small jobs around the home: shelves, doors, curtain rails, leaky taps, bulbs and odd jobs.",
             _terms("diy^2, handyman^2, handy man^2, handywoman^2, odd jobs^2, odd job^2, fix^0.6, fixing^0.6, "
                    "repair^0.5, repairs^0.7, broken^0.5, shelf^1.5, shelves^1.5, put up shelves^3, "
                    "curtain pole^2.5, curtain rail^2.5, door^1, doors^1, hinge^1.5, cupboard^1, tap^1, "
                    "taps^1, leaky tap^2.5, dripping tap^2.5, light bulb^2, bulb^1.2, bulbs^1.2, "
                    "smoke alarm^2, lock^0.8, handle^0.8, drill^1.2, screws^1, joiner^1.5, carpenter^1.5, "
                    "carpentry^1.5, joinery^1.5, plumbing^1.2, tiles^1, grout^1.5, sealant^1.5, "
                    "draught^1.2, hang pictures^2.5, put up pictures^2.5, mirror^0.8, grab rail^2, "
                    "fence^0.8, around the house^1.2, about the house^1.2, fix things^1.5, bits and bobs^1, "
                    "household repairs^3, small repairs^2.5, home repairs^2.5, "
                    "~flat, ~house, small jobs^2.5, wee jobs^2.5, little jobs^2.5, jobs around^2.5, plumbing jobs^3, washers^1.2, banister^2, wobbly^1, sticking door^2.5")),
    Category("appliance_repair", "Repairing small appliances and sewing machines",
             "Mending small electrical things: kettles, toasters, lamps, radios, vacuums, sewing machines.",
             _terms("appliance^2, appliances^2, small appliances^3, repair cafe^3, repair café^3, "
                    "fix it^1, toaster^2, kettle^1.8, vacuum^0.8, vacuum cleaner^1, fix hoover^3, "
                    "repair hoover^3, hoover broken^3, radio^2, radios^2, lamp^1.5, lamps^1.5, "
                    "sewing machine^2.5, sewing machines^2.5, electrical^1.5, electrics^1.2, plug^1.2, "
                    "fuse^1.5, rewire^1.5, wiring^1.3, microwave^1.5, hairdryer^1.5, hair dryer^2, "
                    "record player^2, stereo^1.5, hifi^1.5, heater^1.2, fan heater^2, clock^1, "
                    "washing machine^2, tumble dryer^1.5, iron broken^2.5, fix radio^3, repair radio^3, "
                    "tinker^1.2, tinkering^1.2, gadget repair^3, mend^0.5, iron+packed^3.5, iron+heat^3.5, iron+fix^3.5, iron+repair^3.5, repair+vacuum^3.5, fix+vacuum^3.5, repair+hoover^3.5, fix+hoover^3.5, repair+kettle^3.5, repair+toaster^3.5, fix+lamp^3, repair+lamp^3, blender^1.5, food mixer^2, electric blanket^2, dehumidifier^1.5, shaver^1.2, dvd player^2, cd player^2, bedside lamp^2, standard lamp^2, table lamp^2, electric fire^1.5, extractor fan^1.5, fuse box^1, trips the fuse^3") + _together(_SMALL_APPLIANCES, _FAULTS, 3.5)
             # Mending is what a sewing machine does, not what is wrong with it.
             + _together(_SMALL_APPLIANCES.replace("sewing machine, ", ""), "mend, mending", 3.5)),
    Category("decorating", "Painting and decorating",
             "Painting walls, ceilings and woodwork, wallpapering, freshening up a room.",
             _terms("decorate^2, decorating^2, decorator^2, redecorate^2.5, redecorated^2.5, "
                    "painting and decorating^3.5, painter and decorator^3.5, paint^1.2, painting^0.6, "
                    "painter^1, wallpaper^2, wallpapering^2, strip wallpaper^3, emulsion^2, gloss^1.5, "
                    "walls^1, wall^0.8, ceiling^1.5, ceilings^1.5, paint walls^3, paint room^3, "
                    "paint the walls^3, paint fence^2.5, skirting^1.5, skirting boards^2, magnolia^1.5, "
                    "touch up^1, freshen up^1.2, undercoat^1.5, coat of paint^3.5, lick of paint^3.5, fresh coat^3, paint+room^3, paint+kitchen^3, paint+bedroom^3, paint+hall^3, paint+ceiling^3")),
    Category("flatpack", "Flat-pack furniture assembly",
             "Putting together flat-pack furniture: wardrobes, bookcases, beds, desks.",
             _terms("flat pack^3, flat-pack^3, flatpack^3, ikea^2.5, assemble^1.8, assembly^1.5, "
                    "put together^1.5, build furniture^2.5, assemble furniture^3, wardrobe^1.2, "
                    "bookcase^1.5, bookcases^1.5, chest of drawers^2, drawers^1, bed frame^2, desk^0.8, "
                    "desks^0.8, allen key^2.5, instructions^0.8, new furniture^1.5")),
    Category("heavy_lifting", "Moving furniture and heavy lifting",
             "Moving furniture, carrying heavy things, helping with a house move or a trip to the tip.",
             _terms("heavy lifting^3, heavy^1, lift heavy^2.5, carry heavy^2, heavy items^2.5, "
                    "move furniture^3, moving furniture^3, shift furniture^3, shifting furniture^3, "
                    "furniture^0.9, move house^3, moving house^3, house move^3, flitting^2.5, flit^2, "
                    "removal^2, removals^2, sofa^1.2, settee^1.2, mattress^1.2, boxes^1, carry^0.6, "
                    "humph^1.5, lugging^1.5, strong^0.8, muscle^1, tip run^2.5, trip to the tip^2.5, "
                    "dump run^2.5, rearrange^1, another room^1.5, upstairs^0.6, downstairs^0.6, "
                    "~lift, ~move, ~moving, ~shift, uplift^1.5, council uplift^3, bulky^1.5, bulky items^2.5, old wardrobe^2.5, get rid of^1, down the stairs^1.5, move+wardrobe^3, move+bed^2.5, move+sofa^3, move+settee^3, move+fridge^3, shift+wardrobe^3, shift+bed^2.5, to the tip^2.5, =the tip^2, recycling centre^2.5, van^1.2, no van^2.5, man with a van^3, house clearance^3, bulky waste^3, take away^0.8, clear out^1")),
    Category("cleaning", "Cleaning and housework",
             "Housework: hoovering, dusting, mopping, windows, bathrooms and kitchens, a deep clean.",
             _terms("clean^1.3, cleaning^1.5, cleaner^1.3, housework^2, house work^2, hoover^1.5, "
                    "hoovering^2, vacuuming^1.8, dust^1.2, dusting^1.5, polish furniture^3, polish silver^3, "
                    "polish brass^3, polishing^1, ~polish, mop^1.5, mopping^1.5, tidy^0.7, tidying^0.8, "
                    "declutter^1.2, decluttering^1.2, deep clean^2.5, spring clean^2.5, windows^1, "
                    "clean windows^2.5, bathroom^0.8, kitchen^0.5, scrub^1.5, chores^1.5, domestic^1.3, "
                    "housekeeping^2, dishes^1.5, bins out^2, put bins out^2.5, "
                    "cobwebs^1.5, mess^0.8, messy^0.8, grime^1.2, wipe^1, hoarding^1.2, =washing up^2.5")),
    Category("laundry_ironing", "Laundry and ironing",
             "Washing, drying and ironing clothes and bedding.",
             _terms("laundry^2.5, ironing^2.5, iron^1, iron shirts^3, washing^1, do my washing^3, "
                    "clothes washed^2.5, wash clothes^2.5, washing drying^3, drying^1, "
                    "hang out washing^3, washing line^2.5, launderette^2.5, laundrette^2.5, bedding^1, "
                    "sheets^1, change bed^2, change the bed^2.5, fold clothes^2.5, folding^1, pressing^1.2, "
                    "shirts^1, ~clothes")),
    Category("meals", "Cooking meals for someone",
             "Cooking for someone who can no longer cook: a hot dinner, batch cooking, meals brought round.",
             _terms("meal^1.5, meals^1.5, hot meal^2.5, cook for^2, cook meals^3, cook a meal^3, "
                    "cook dinner^3, make dinner^2.5, dinner^1.2, lunch^0.8, tea^0.4, home cooked^2.5, "
                    "home-cooked^2.5, batch cook^3, batch cooking^3, cook extra^3, food^0.7, soup^1.2, "
                    "casserole^1.5, stew^1.2, meal prep^2.5, meal preparation^2.5, nutrition^1.5, "
                    "eating^1, eat^0.8, ready meals^2, meals on wheels^3, bring food^2, "
                    "stovies^1.5, mince and tatties^2.5, cooking^0.8, cook^0.8, hot food^2, hot dinner^2.5, hot dinners^2.5, cooked dinner^2.5, roast dinner^2.5, plate of food^2.5, something hot^2, cooker^1.2, oven^1, hob^1.2, scran^1.2, tea brought^2"),
             learned_in="cooking_lessons"),
    Category("cooking_lessons", "Teaching someone to cook",
             "Teaching cooking skills: simple recipes, cooking on a budget, kitchen confidence.",
             _terms("cooking lessons^3.5, cookery lessons^3.5, cooking class^3.5, cookery class^3.5, "
                    "cookery^1.8, teach cook^3.5, teach to cook^3.5, teach cooking^3.5, "
                    "learn to cook^3.5, learn cooking^3.5, learn how to cook^3.5, how to cook^3.5, "
                    "show how to cook^3.5, show me how to cook^3.5, cooking skills^3, recipe^1.5, "
                    "recipes^1.5, cook on a budget^2.5, simple meals^1.2, kitchen skills^2.5, "
                    "cooking tips^2.5, ~lessons, ~teach, ~learn, cook+learn^3, cooking+learn^3, cook+teach^3, cooking+teach^3, cook+lessons^3, cook+show^2.5")),
    Category("baking", "Baking for events",
             "Baking cakes, scones and traybakes for a lunch club, coffee morning or fundraiser.",
             _terms("bake^2, baking^2, baker^2, baked^1.5, cake^1.8, cakes^1.8, scones^2, scone^2, "
                    "biscuits^1.5, traybake^2, traybakes^2, tray bakes^2, bake sale^3, cupcakes^2, "
                    "birthday cake^2.5, shortbread^2, pastry^1.3, pies^1, fundraiser^1.5, fundraising^1.5, "
                    "coffee morning^1.5, lunch club^1.5, event^0.8, events^0.8, party^0.6, tablet^0.3"),
             learned_in="cooking_lessons"),
    Category("lifts", "Lifts to appointments",
             "Driving someone in a car to appointments, the shops or visits when they have no transport.",
             _terms("lift^1.5, lifts^1.5, give a lift^3, give me a lift^3, lift to^2, car^1.2, drive^1.2, "
                    "driver^1.3, volunteer driver^3, transport^1.6, taxi^1.3, run me^2, drive me^2.5, "
                    "take me in car^3, pick me up^1.5, drop me off^2, ride^1, hospital transport^3, "
                    "no car^2, don't drive^2, dont drive^2, can't drive^2, cant drive^2, got a car^2, "
                    "have a car^0.6, motor^1.2, ~appointment, ~hospital, ~gp, lift+shops^3, lift to the shops^3.5, lift+appointment^3, lift+hospital^3"),
             learned_in="driving_practice"),
    Category("driving_practice", "Supervised practice for learner drivers",
             "Sitting in as the experienced driver while a learner practises between lessons.",
             _terms("driving practice^3.5, practice driving^3.5, practise driving^3.5, learner driver^3.5, "
                    "learner^1.8, learners permit^3, driving lessons^3, driving lesson^3, "
                    "provisional licence^3, provisional license^3, l plates^3, driving test^3, "
                    "supervise^1.2, supervising driver^3, accompanying driver^3, "
                    "learning to drive^3.5, learn to drive^3.5, ~driving, driving instructor^3.5, instructor^0.8, new drivers^3, new driver^3, on the road^1.5, learn+drive^3, driving+test^3, driving+learner^3.5, road test^2.5, driver+practise^3.5, driver+practice^3.5, drive+practise^3.5, drive+practice^3.5, experienced driver^2, qualified driver^2.5, practice+driving^3.5, practise+driving^3.5, full licence^2, full driving licence^2.5, held licence^2.5, held a licence^2.5, over 21^1.5, named driver^2.5, learner insurance^3, insured^1, sit in while I drive^3, practice hours^2.5")),
    Category("appointment_escort", "Going with someone to appointments",
             "Going along with someone to the doctor, hospital or other appointments, for support and notes.",
             _terms("accompany^2, accompanied^2, accompanying^1.5, escort^2, go with me^2.5, come with me^2.5, "
                    "go with someone^2.5, come along^2, go along^1.5, with me to^1.5, companion^1.2, "
                    "appointment^0.9, appointments^0.9, hospital appointment^1.5, clinic^1, outpatient^1.5, "
                    "outpatients^1.5, take notes^2.5, moral support^2.5, anxious^1, nervous^1, "
                    "hold my hand^2, get around^0.8, hospital^0.7, "
                    "someone with me^2, attend^1, ~doctor, ~gp, ~support")),
    Category("pet_care", "Dog walking and pet care",
             "Walking dogs, feeding cats, looking after pets, trips to the vet.",
             _terms("dog^3, dogs^3, dug^1.5, puppy^3, pup^1.5, cat^3, cats^3, kitten^3, moggy^3, pet^3, "
                    "pets^3, walk dog^3.5, walk my dog^3.5, walk the dog^3.5, dog walk^3.5, dog walking^3.5, "
                    "walk dogs^3.5, dog walker^3.5, walkies^3, feed cat^3, pet sitting^3, pet sit^3, vet^2, "
                    "vets^2, litter^1.2, litter tray^2.5, groom^1, grooming^1.5, budgie^2, rabbit^2, "
                    "hamster^2, guinea pig^2.5, fish tank^2, tortoise^2, animal^1.5, animals^1.5, "
                    "kennel^1.5, lead^0.5, walk+dog^3.5, dog+walk^3.5, walk+dogs^3.5, pooch^3, doggy^3, mutt^2.5, kitty^2.5, labrador^3, retriever^3, collie^3, border collie^3.5, spaniel^3, cocker spaniel^3.5, terrier^3, westie^3, staffie^3, staffy^3, greyhound^3, whippet^3, lurcher^3, jack russell^3.5, poodle^3, cockapoo^3, cavapoo^3, labradoodle^3, dachshund^3, sausage dog^3.5, pug^3, bulldog^3, frenchie^2.5, chihuahua^3, yorkie^3, shih tzu^3.5, husky^2.5, alsatian^3, german shepherd^3.5, schnauzer^3, beagle^3, cavalier^2, parrot^2.5, canary^2.5, cockatiel^2.5, parakeet^2.5, guinea pigs^2.5, gerbil^2.5, gerbils^2.5, ferret^2.5, bunny^2.5, rabbits^2, goldfish^2.5, lizard^2, bearded dragon^3, snake^1.5, chickens^1.5, hens^1.5, cat flap^3, bird cage^3, feed my cat^3.5, feed the cat^3.5, cat sitting^3.5, dog sitting^3.5, house sit+cat^3, looking after+cat^3, looking after+dog^3")),
    Category("walking_buddy", "Walking buddy and exercise company",
             "Company for a regular walk or gentle exercise outdoors, to build up confidence and fitness.",
             _terms("walk^1.2, walks^1.2, walking^1.2, walker^1, walking buddy^3.5, walking companion^3.5, "
                    "walking partner^3.5, walking group^3, health walk^3, stroll^1.5, ramble^1.5, "
                    "rambling^1.5, hike^1.5, hillwalking^2, daily walk^2.5, park^0.8, "
                    "exercise^0.6, fresh air^1.2, get out^0.6, build up walking^3, keep active^1.5, "
                    "physical activity^1.5, fitness^1, jog^1.2, jogging^1.2, nordic walking^3, "
                    "countryside^1, wander^1.2, daunder^2, dander^2, amble^1.5, ~buddy, ~outdoors, walk with me^3, walk with someone^3, walk with people^3, go for walk^2.5, go for walks^2.5, walk daily^2.5, walking+company^2.5, walk+confidence^2.5, walk+alone^2.5, hillwalker^2, hill walker^2, walking+fitter^2.5, walking+fit^2, reservoir^1.2, canal^1, towpath^1.5, promenade^1.5, prom^1, seafront^1.2, riverside^1.2, round the block^2, round the park^2.5, woods^1, nature reserve^1.5, at my pace^2, my pace^1.5, slow pace^2, slow walker^2.5, walk+join me^3")),
    Category("chair_yoga", "Chair yoga and seated exercise",
             "Gentle exercise sitting down: chair yoga, stretches, seated classes for balance and mobility.",
             _terms("yoga^2.5, chair yoga^3.5, seated exercise^3.5, seated exercises^3.5, chair exercise^3.5, "
                    "chair exercises^3.5, chair-based^3, chair based^3, stretch^1.5, stretches^1.5, "
                    "stretching^1.5, gentle exercise^2.5, pilates^2.5, tai chi^2.5, keep fit^1.5, "
                    "mobility exercises^2.5, balance^0.8, falls prevention^2.5, seated^1.5, ~class, ~classes, can't stand^2, cant stand^2, exercise+balance^3, exercise+sitting^3, exercise+chair^3.5, exercise+stand^2.5, exercise+seated^3.5, steady on my feet^2, exercise class^3, exercise classes^3, exercise+class^3, fitness instructor^3, fitness class^3, exercise+online^2.5")),
    Category("music_lessons", "Music lessons",
             "Learning to play an instrument, sing or read music.",
             _terms("music^2, musical^1.8, musician^2, piano^2.5, guitar^2.5, violin^2.5, fiddle^2, "
                    "recorder^2, ukulele^2.5, drums^2, drum^2, sing^1.5, singing^1.8, choir^2, "
                    "instrument^2, instruments^2, read music^3, music lessons^3.5, bagpipes^2.5, "
                    "chanter^2, accordion^2.5, flute^2.5, clarinet^2.5, trumpet^2.5, saxophone^2.5, "
                    "cello^2.5, harmonica^2.5, tin whistle^2.5, keyboard lessons^3, play tunes^2.5")),
    Category("sewing_alterations", "Knitting, sewing and alterations",
             "Sewing, mending and altering clothes and curtains; knitting and crochet.",
             _terms("sew^2, sewing^1.8, seamstress^2.5, alteration^2.5, alterations^2.5, alter^2, altered^2.5, altering^2.5, taken in^1.5, let out^1.2, hem^2, hemming^2, "
                    "hems^2, take up trousers^3, take in^0.8, knit^2, knitting^2, crochet^2, darn^2, "
                    "darning^2, mend clothes^3, mending^1.2, patch^1, button^1.5, buttons^1.5, zip^1.5, "
                    "dressmaking^2.5, tailor^2, tailoring^2, quilt^2, quilting^2, embroidery^2, "
                    "cross stitch^2.5, needlework^2.5, tapestry^1.5, curtains^0.8, trousers^1.2, "
                    "clothes^0.6, jumper^1, dress^1, take in dress^3, take in+dress^3, shorten^1.5, shortened^1.5, let out+dress^3, new zip^2.5, sewing machine^2, own sewing machine^3")),
    Category("arts_crafts", "Arts and crafts",
             "Creative activities: drawing, painting pictures, pottery, card making and other crafts.",
             _terms("arts and crafts^3.5, art^1.8, arts^1.8, artist^1.8, craft^2, crafts^2, crafty^2, "
                    "creative^1.5, drawing^1.8, draw^1.5, sketch^1.8, sketching^1.8, watercolour^2.5, "
                    "watercolours^2.5, watercolor^2.5, acrylic^2, acrylics^2, oil painting^2.5, "
                    "paint pictures^3, painting^0.6, paint^0.4, canvas^1.5, pottery^2.5, clay^2, "
                    "ceramics^2, collage^2, card making^3, scrapbook^2, scrapbooking^2, beading^2, "
                    "jewellery making^3, calligraphy^2.5, mosaic^2, stained glass^2.5, colouring^1.5, "
                    "art class^3, art classes^3, papier mache^2.5, origami^2.5, decorations^2, make decorations^2.5, handmade^1.5, making things^1.5")),
    Category("photography", "Photography",
             "Taking and editing photographs, using a camera, scanning and restoring old photos.",
             _terms("photography^3, photographer^2.5, photograph^2, photographs^2, photo^1.5, photos^1.5, "
                    "camera^2.5, cameras^2.5, digital camera^3, slr^2.5, dslr^2.5, lens^1.5, "
                    "photo editing^3, edit photos^3, editing photos^3, lightroom^2.5, photoshop^2.5, "
                    "scan photos^3, scanning^1.5, restore photos^3, old photographs^3, old photos^3, "
                    "photo album^2.5, portrait^1.5, portraits^1.5, take pictures^2, pictures^0.6, "
                    "snaps^1, prints^1")),
    Category("paperwork", "Paperwork, form filling and letters",
             "Help with forms, letters, bills and official post: benefits, council, blue badge applications.",
             _terms("paperwork^2.5, forms^2, form^1.5, form filling^3, fill in forms^3, filling in forms^3, "
                    "fill out form^3, application form^2.5, letters^1.3, letter^1.2, write letters^2.5, "
                    "writing letters^2.5, post^0.8, mail^0.8, sort post^2.5, read letters^2.5, "
                    "correspondence^2, official letters^3, council^1.2, council tax^2, benefits form^3, "
                    "benefit forms^3, benefits claim^2.5, claim benefits^2.5, pip^2, pip form^3, dla^2, "
                    "esa^2, pension credit^2.5, universal credit^2.5, dwp^2, blue badge^3, "
                    "housing application^3, housing benefit^2, admin^1.5, filing^1.5, complaint^1.2, "
                    "appeal^1.2, passport^1.5, tv licence^2, small print^1.5, bills^0.5, "
                    "official^1, documents^1, application^0.6, applications^0.6, power of attorney^2.5, "
                    "~read, ~write, brown envelope^3, brown envelopes^3, envelope^2, envelopes^2, open my post^3, open post^3, opening post^3, opening letters^3, official post^3, post piling up^3, letters piling up^3, reply to letters^3, read my post^3, read my letters^3, hmrc^2, tax return^2.5, renewal^1.2, the social^1.2, council letters^3, letters from the council^3")),
    Category("budgeting", "Budgeting and money advice",
             "Help to make a budget, manage money and debts, compare tariffs and cut bills.",
             _terms("budget^2, budgeting^2.5, budgets^2, money^1.8, money advice^3, manage money^3, "
                    "managing money^3, money management^3, debt^2, debts^2, in debt^2.5, bills^1, "
                    "energy bills^2.5, gas bill^2, electric bill^2, tariff^2, tariffs^2, energy tariffs^3, "
                    "switch supplier^3, save money^2.5, saving money^2.5, finances^2, financial^1.8, "
                    "financial difficulties^3, benefits check^3, benefit check^3, entitlement^1.5, "
                    "spending^1.5, arrears^2, rent arrears^3, overdraft^2, loan^1.5, loans^1.5, "
                    "credit card^1.5, cost of living^2, fuel poverty^3, skint^2, broke^1, "
                    "make ends meet^3, reduce bills^3, cut bills^3, ~advice, behind with the gas^3, behind with the electric^3, behind on rent^3, behind with rent^3, behind with bills^3, behind+gas^2.5, behind+electric^2.5, behind+rent^2.5, behind+bills^2.5, behind+payments^2.5, gas and electric^1.5, meter^1.2, prepayment meter^3, key meter^3, card meter^3, top up+meter^3, emergency credit^3, bailiff^3, bailiffs^3, debt collector^3, debt collectors^3, final demand^3, final reminder^2.5, red letter^2, payday loan^3, loan shark^3, catalogue debt^3, credit union^2.5, money left^2.5, run out of money^3, short of money^3, struggling+money^3, pay the bills^2.5, pay my bills^2.5, giro^1.5")),
    Category("cv_jobs", "CVs and job applications",
             "Writing a CV, finding and applying for jobs, cover letters and interview practice.",
             _terms("cv^3, cvs^3, c.v^3, resume^2.5, job^1.3, jobs^1.3, job application^3, "
                    "job applications^3, apply for jobs^3, applying for jobs^3, job search^3, "
                    "job hunting^3, interview^1.5, interviews^1.5, mock interview^3, mock interviews^3, "
                    "interview practice^3, cover letter^3, cover letters^3, employment^2, "
                    "find work^2.5, back to work^2.5, looking for work^2.5, career^2, careers^2, "
                    "careers advice^3, linkedin^2.5, job centre^2.5, jobcentre^2.5, recruitment^1.5, "
                    "hr professional^2, hr^1, personal statement^2, interview+practise^3, interview+practice^3, job interview^3, interviewer^2, interview nerves^3, interview+nervous^2.5, interview+terrified^2.5")),
    Category("english_practice", "English conversation practice",
             "Practising spoken English with someone learning it: conversation, pronunciation, confidence.",
             _terms("english^1.3, esol^3, eal^2.5, english conversation^3.5, practise english^3.5, "
                    "practice english^3.5, practise my english^3.5, improve my english^3.5, "
                    "improve english^3.5, speak english^2.5, spoken english^3, english language^2.5, "
                    "english learner^3, learners of english^3, pronunciation^2.5, conversation practice^3, "
                    "grammar^1.5, second language^2, new to the country^2, refugee^1, refugees^1, "
                    "asylum^1, , esol tutor^4, esol teacher^4, english+learners^3, learn english^3.5, learning english^3.5, english lessons^3.5, english classes^3.5, teach english^3.5, better english^3")),
    Category("language_lessons", "Learning a foreign language",
             "Learning another language: French, Spanish, German, Gaelic and others.",
             _terms("french^2.5, spanish^2.5, italian^2.5, german^2.5, gaelic^2.5, mandarin^2.5, "
                    "chinese^2, japanese^2.5, portuguese^2.5, russian^2.5, dutch^2, welsh^1.5, latin^2, "
                    "greek^1.5, sign language^3, bsl^3, foreign language^3, foreign languages^3, "
                    "language lessons^3, language^1, languages^1.2, learn a language^3, "
                    "learn polish^3.5, learn urdu^3.5, learn arabic^3.5, polish lessons^3.5, "
                    "urdu lessons^3.5, arabic lessons^3.5, fluent^0.8, native speaker^1, "
                    "lessons^0.5, teach^0.4, learn^0.4, beginners^0.5") + _learning_languages()),
    Category("translate_polish", "Polish translation and interpreting",
             "Translating letters and documents between Polish and English, interpreting at appointments.",
             _terms("polish^1, polski^3, poland^2.5, polish speaker^3.5, speak polish^3.5, "
                    "polish translation^3.5, translate polish^3.5, translating polish^3.5, "
                    "polish interpreter^3.5, polish english^3, ~translate, ~translation, ~translating, "
                    "~translator, ~interpret, ~interpreting, ~interpreter, ~bilingual, polski+translat^4, polski+interpret^4, polish+translat^3.5, polish+interpret^3.5, polski+letters^3.5, first language+polish^3.5, first language+polski^3.5")),
    Category("translate_urdu", "Urdu translation and interpreting",
             "Translating letters and documents between Urdu and English, interpreting at appointments.",
             _terms("urdu^3.5, pakistan^2, pakistani^2, punjabi^1.5, hindi^1, speak urdu^3.5, urdu translation^3.5, "
                    "translate urdu^3.5, ~translate, ~translation, ~translating, ~translator, ~interpret, "
                    "~interpreting, ~interpreter, ~bilingual, urdu+translat^4, urdu+interpret^4, urdu+letters^3.5, first language+urdu^4")),
    Category("translate_arabic", "Arabic translation and interpreting",
             "Translating letters and documents between Arabic and English, interpreting at appointments.",
             _terms("arabic^3.5, arab^2, syria^1.5, syrian^1.5, sudan^1.5, sudanese^1.5, iraq^1.5, iraqi^1.5, "
                    "yemen^1.5, speak arabic^3.5, arabic translation^3.5, translate arabic^3.5, ~translate, "
                    "~translation, ~translating, ~translator, ~interpret, ~interpreting, ~interpreter, "
                    "~bilingual, arabic+translat^4, arabic+interpret^4, arabic+letters^3.5, first language+arabic^4")),
    Category("tutoring", "Homework help and tutoring",
             "Help with school or college work: homework, reading, maths, exams, for children or adults.",
             _terms("homework^3, tutor^2.5, tutoring^2.5, tuition^2.5, maths^2.5, math^2.5, mathematics^2.5, "
                    "sums^1.5, arithmetic^2, reading^0.8, spelling^1.5, literacy^2, numeracy^2, exam^2, "
                    "exams^2, revision^2, revise^1.5, gcse^2.5, gcses^2.5, a level^2, highers^2.5, "
                    "national 5^2.5, nat 5^2.5, prelims^2.5, science^1.5, chemistry^2, physics^2, "
                    "biology^2, computer science^3.5, coursework^2.5, college course^2.5, studies^1.2, "
                    "study^1.2, studying^1.2, school work^2.5, schoolwork^2.5, essay^2, essays^2, "
                    "dissertation^2, adult learner^2, learn to read^2.5, phonics^2.5, times tables^3, "
                    "school^0.6, ~teacher, ~college, ~learning, gcse english^3.5, higher english^3.5, english homework^3.5, english essay^3, english+gcse^3.5, english+homework^3.5")),
    Category("childcare", "Childcare and babysitting",
             "Looking after children: babysitting, school runs, after-school care.",
             _terms("childcare^3, child care^3, babysit^3, babysitting^3, babysitter^3, baby sitter^3, "
                    "look after children^3.5, look after kids^3.5, look after my children^3.5, "
                    "look after toddlers^3.5, mind the kids^3, mind the children^3, kids^1.2, children^1, "
                    "child^1, toddler^2, toddlers^2, baby^1.5, bairn^1.5, bairns^1.5, wean^1.5, weans^1.5, "
                    "nursery^1.5, nursery nurse^2.5, school run^3, school pick up^3, after school^2, "
                    "childminder^3, childminding^3, nanny^2.5, creche^2.5")),
    Category("haircuts", "Haircuts at home",
             "A haircut or trim at home for someone who cannot get to the hairdresser or barber.",
             _terms("haircut^3, haircuts^3, hair cut^3, hair^2, cut hair^3, cut my hair^3, trim^0.8, trims^0.8, "
                    "hairdresser^3, hairdressing^3, hairdressers^3, barber^3, barbers^3, "
                    "mobile hairdresser^3.5, shave^1.5, beard^1.5, fringe^1.5, blow dry^2.5, perm^2, "
                    "wash and set^3")),
    Category("bike_repair", "Bike repair",
             "Fixing and servicing bicycles: punctures, gears, brakes, chains.",
             _terms("bike^2.5, bikes^2.5, bicycle^3, bicycles^3, cycle^1.5, cycling^1.5, puncture^2.5, "
                    "punctures^2.5, tyre^1.5, tyres^1.5, inner tube^2.5, gears^2, brakes^1.5, chain^1.2, "
                    "bike repair^3.5, bike maintenance^3.5, dr bike^3, saddle^1.5")),
    Category("family_history", "Family history research",
             "Researching family history: family trees, old records, census and military records.",
             _terms("family history^3.5, family tree^3.5, family trees^3.5, genealogy^3.5, genealogist^3.5, "
                    "ancestor^3, ancestors^3, ancestry^3, roots^1.2, census^2.5, records^1.3, "
                    "parish records^3, military records^3, war records^3, scotlandspeople^3, "
                    "findmypast^3, heritage^1.2, trace my family^3, relatives^1, great grandfather^2.5, "
                    "grandparents^1, clan^1.5, archive^1.5, archives^1.5, dna test^2.5, old records^2.5, "
                    ", trace+family^3, side of the family^2.5, grandfather^0.8, grandmother^0.8, family^0.4, where+came from^2, family+records^3")),
)

CATEGORY_BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}
