"""Our own held-out wording for category inference: paraphrase, Scots, shorthand, typos.

Written for these tests, not taken from the development set, so that passing them says
the taxonomy generalises rather than remembers.
"""

HELD_OUT = [
    # shopping
    ("Could somebody get my messages from the Co-op on a Thursday?", "shopping"),
    ("SU housebound, requires support with food shop", "shopping"),
    ("I'm aye at Lidl on a Saturday, can pick up groceries for a neighbour", "shopping"),
    ("need someone to nip to the shops for milk and bread", "shopping"),
    # prescriptions
    ("Can't get down to the chemist for my tablets any more", "prescriptions"),
    ("pt needs meds collected from Boots monthly", "prescriptions"),
    ("I'll happily fetch folk's perscriptions when I'm passing the pharmacy", "prescriptions"),
    # gardening / garden advice
    ("My back green is a jungle, the grass hasn't been cut all summer", "gardening"),
    ("Hedge needs cutting back and the borders weeded", "gardening"),
    ("Handy with a strimmer and a lawnmower", "gardening"),
    ("Would love tips on what veg to grow in my allotment", "garden_advice"),
    ("Trained horticulturalist, can advise on planting for bees and butterflies", "garden_advice"),
    # snow
    ("When it's snawing I'll clear a path to your door", "snow_clearing"),
    ("Frightened of falling on the ice outside my close, can someone put salt down?", "snow_clearing"),
    # befriending / phone befriending
    ("Awfy lonely since my man passed, would like someone to come round for a blether", "befriending"),
    ("Could pop in for a cuppa and a natter once a week", "befriending"),
    ("Isolated older gent, would enjoy a regular visitor", "befriending"),
    ("Wants someone to ring her for a chat on Sunday evenings", "phone_befriending"),
    ("Happy to give a lonely person a call every week for a wee chat", "phone_befriending"),
    ("Housebound and deaf in one ear but likes a natter on the telephone", "phone_befriending"),
    # dementia
    ("Mum has vascular dementia and dad needs a few hours respite", "dementia_sitting"),
    ("Experienced with memory loss, I can sit with your loved one so you get a rest", "dementia_sitting"),
    # tech help
    ("Haven't a clue how to work my new iPad", "tech_help"),
    ("Grandson bought me a smartphone, I can't even answer it", "tech_help"),
    ("Show me how to use WhatsApp to see the grandweans", "tech_help"),
    ("Good with computers, can sort out wifi and printer problems", "tech_help"),
    ("Can help set up emial and online shopping accounts", "tech_help"),
    # diy / appliances / decorating / flatpack / heavy
    ("Bathroom tap keeps dripping and the cupboard door is hanging off", "diy_repairs"),
    ("Time-served joiner, any wee jobs around the house", "diy_repairs"),
    ("My kettle and the bedside lamp both stopped working", "appliance_repair"),
    ("Retired electrician, will mend toasters and irons", "appliance_repair"),
    ("Living room walls need a fresh coat of paint", "decorating"),
    ("Can hang wallpaper and paint skirting boards", "decorating"),
    ("Bought a wardrobe from IKEA and can't put it together", "flatpack"),
    ("Dab hand with an allen key, will build your flat pack furniture", "flatpack"),
    ("Need a couple of strong folk to shift a settee upstairs", "heavy_lifting"),
    ("Moving into sheltered housing, need help carrying boxes", "heavy_lifting"),
    # cleaning / laundry
    ("House is a tip, I need help with the hoovering and dusting", "cleaning"),
    ("Can give your kitchen and bathroom a good scrub", "cleaning"),
    ("Can't manage the washing and ironing since my stroke", "laundry_ironing"),
    ("I'll do a load of laundry and iron shirts for anyone who needs it", "laundry_ironing"),
    # meals / cooking lessons / baking
    ("Not eating properly, would love a hot dinner brought round", "meals"),
    ("I make a big pot of soup every Sunday and can share portions", "meals"),
    ("Young dad wants to learn some simple recipes for the kids", "cooking_lessons"),
    ("Ex chef, can teach basic cookery to beginners", "cooking_lessons"),
    ("Our lunch club needs someone to make traybakes for the coffee morning", "baking"),
    ("Love baking, can do sponges and shortbread for fundraisers", "baking"),
    # lifts / driving / escort
    ("No car, and I've got a hospital appointment at the Royal next week, need a run there", "lifts"),
    ("I have a car and can drive people to the GP surgery", "lifts"),
    ("Son is on his L plates and needs more hours behind the wheel", "driving_practice"),
    ("Can supervise a learner driver in their own car", "driving_practice"),
    ("Would like someone to come along to the consultant with me and take notes", "appointment_escort"),
    ("Can go with nervous patients to the dentist", "appointment_escort"),
    # pets / walking / yoga
    ("My wee dug needs a walk twice a day", "pet_care"),
    ("Cat needs feeding while I'm in respite", "pet_care"),
    ("Happy to take your pooch out for walkies", "pet_care"),
    ("Would like company on a gentle stroll round the park", "walking_buddy"),
    ("Keen hillwalker, will go out walking with anyone who wants to get fitter", "walking_buddy"),
    ("Can lead a seated exercise session for folk with poor mobility", "chair_yoga"),
    ("Would like to try yoga I can do from my chair", "chair_yoga"),
    # music / sewing / arts / photo
    ("Always wanted to learn the guitar", "music_lessons"),
    ("Fiddle player, can teach traditional tunes", "music_lessons"),
    ("Trousers need taking up, can anyone do alterations?", "sewing_alterations"),
    ("Can teach knitting and crochet to beginners", "sewing_alterations"),
    ("Would like to have a go at pottery or drawing", "arts_crafts"),
    ("Art teacher, can run a craft session for older people", "arts_crafts"),
    ("I have a box of old family photos I'd like scanned and tidied up", "photography"),
    ("Can show people how to get the best out of their camera", "photography"),
    # paperwork / budgeting / cv
    ("Brown envelopes pile up, I can't face opening them, need help with the post", "paperwork"),
    ("Needs assistance completing PIP form", "paperwork"),
    ("Can help fill in council and housing forms", "paperwork"),
    ("In debt and struggling to pay the gas bill", "budgeting"),
    ("Retired bank manager, can help folk draw up a budget", "budgeting"),
    ("Need my CV updated to apply for warehouse jobs", "cv_jobs"),
    ("Can do practice interviews with jobseekers", "cv_jobs"),
    # languages
    ("Wants to practise speaking English, arrived from Eritrea last year", "english_practice"),
    ("ESOL volunteer, happy to chat with English learners", "english_practice"),
    ("I'd like to learn French before my holiday", "language_lessons"),
    ("Fluent Gaelic speaker, can teach beginners", "language_lessons"),
    ("Need someone to interpret in Polish at the jobcentre", "translate_polish"),
    ("Mówię po polsku, I'm Polish and can translate documents", "translate_polish"),
    ("My mother only speaks Urdu, needs an interpreter at the GP", "translate_urdu"),
    ("I can translate between Arabic and English", "translate_arabic"),
    # tutoring / childcare / haircuts / bikes / family history
    ("Daughter struggling with her Higher maths", "tutoring"),
    ("Former primary teacher, can help with reading and spelling", "tutoring"),
    ("Need someone to mind the bairns for an evening", "childcare"),
    ("Can do school pick ups and look after kids till their parents get home", "childcare"),
    ("Hair is a mess, can't get to the hairdressers", "haircuts"),
    ("Ex barber, can give gents a trim at home", "haircuts"),
    ("Bike has a flat tyre and the brakes are squeaking", "bike_repair"),
    ("Can service bicycles and fix punctures", "bike_repair"),
    ("Want to trace my grandfather's side of the family", "family_history"),
    ("I've researched my own ancestors and can help others find old records", "family_history"),
]
