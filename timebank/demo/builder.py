"""The demonstration time bank: a year of a plausible Leith time bank, made through the services.

Everything is written through the same use cases the web application and the CLI call
(banks, members, ledger, requests and offers, auth, assessments), so the demonstration data obeys every
rule of the ledger: the builder keeps a copy of each balance and only asks for moves the
limits allow. A fixed random seed makes the bank the same every time, relative to the day
it is made (exchanges are dated over the twelve months before `today`).

Three sign-ins share one password, printed by `timebank demo` and given in the README:
a coordinator, a member and a social worker. Only those three are hashed, because an
argon2id hash costs about 0.2 s.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from timebank.db.engine import Database
from timebank.demo.notices import deliver
from timebank.demo.outcomes import follow_up_introductions
from timebank.demo.people import (
    ASKED_OFFERS,
    ASSESSMENTS,
    CLOSED,
    COORDINATOR_EMAIL,
    DEMO_BANK_NAME,
    DEMO_BANK_PHONE,
    DEMO_BANK_SLUG,
    DEMO_PASSWORD,
    EXPIRING_SOON,
    MEMBER_EMAIL,
    OFFERS,
    PEOPLE,
    QUIET,
    REQUESTS,
    SAFEGUARDED,
    SHARE_EMAIL,
    SHARE_PHONE,
    SOCIAL_WORKER_EMAIL,
    WAITING,
    WELCOMED,
    WHAT,
    Assessed,
    Person,
)
from timebank.demo.places import list_neighbourhoods
from timebank.domain.errors import UnknownBank
from timebank.services import assessments, auth, banks, contact_log, helping, ledger, members, requests_offers

__all__ = ["DemoSummary", "demo_bank_exists", "create_demo_bank"]

SEED = 20260401
RECORDED_BY = COORDINATOR_EMAIL
# Margins kept inside the bank's limits (-10h, +100h), so that a member can still
# log an exchange in the demonstration without meeting a limit at once.
FLOOR_MARGIN_MINUTES = 60
CEILING_MARGIN_MINUTES = 10 * 60
LENGTHS_MINUTES = (30, 45, 60, 60, 60, 90, 90, 120, 120, 150, 180)
CHAIR_YOGA_TEACHER = "Heather Kerr"
CHAIR_YOGA_REGULARS = ("Margaret Wilson", "Jean Paterson", "Morag Henderson", "Elspeth Munro",
                       "Brian Johnstone", "Fiona Campbell", "Bill Dunlop", "Peter Walker",
                       "Shona McIntyre", "Mairi Sinclair")


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
    with database.bulk_loading():
        return _Builder(database, today or dt.date.today()).build()


class _Builder:
    """Writes the bank in date order, keeping a copy of every balance to plan within limits."""

    def __init__(self, database: Database, today: dt.date):
        self.db = database
        self.today = today
        self.rng = random.Random(SEED)
        self.ids: dict[str, int] = {}
        self.balance: dict[int, int] = {}
        self.people: dict[str, Person] = {p.name: p for p in PEOPLE}
        self.exchanges = 0
        self.groups = 0
        self.pending = 0
        self.categories_used: set[str] = set()
        self.last_exchange_day: dict[int, dt.date] = {}

    # ---------------------------------------------------------------- the whole bank

    def build(self) -> DemoSummary:
        bank = banks.create_bank(self.db, DEMO_BANK_SLUG, DEMO_BANK_NAME)
        banks.set_contact_phone(self.db, DEMO_BANK_SLUG, DEMO_BANK_PHONE)
        self.floor = bank.floor_minutes + FLOOR_MARGIN_MINUTES
        self.ceiling = bank.ceiling_minutes - CEILING_MARGIN_MINUTES
        self.known_categories = {slug for slug, _ in banks.list_categories(self.db, DEMO_BANK_SLUG)}
        list_neighbourhoods(self.db, DEMO_BANK_SLUG)
        self.take_members_on()
        self.run_the_year()
        self.leave_exchanges_waiting()
        # The worker has sent these; the first was refused for good (an address gone).
        deliver(self.db, refusal=(550, "5.1.1 No such mailbox here"), max_attempts=1)
        members.set_member_status(self.db, DEMO_BANK_SLUG, self.ids[CLOSED], "closed")
        self.record_safeguarding_checks()
        self.offer_skills()
        self.ask_for_help()
        self.let_some_expire()
        sign_ins = self.create_sign_ins()
        self.record_assessments()
        self.log_a_school_run_from_last_year()
        self.write_contact_notes()
        follow_up_introductions(self.db, SOCIAL_WORKER_EMAIL, DEMO_PASSWORD, self.today)
        # And these; the first is refused for now (a full mailbox), to be tried again.
        deliver(self.db, refusal=(452, "4.2.2 Mailbox full, try again later"), max_attempts=8)
        return DemoSummary(
            created=True, bank_slug=DEMO_BANK_SLUG,
            members=len(self.ids), organisations=sum(p.organisation for p in PEOPLE),
            exchanges=self.exchanges, group_exchanges=self.groups, pending=self.pending,
            categories=len(self.categories_used), offers=len(OFFERS), requests=len(REQUESTS),
            sign_ins=sign_ins,
        )

    def category(self, slug: str | None) -> str | None:
        """The slug if the bank lists that service, else None (an exchange without one)."""
        return slug if slug in self.known_categories else None

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def take_members_on(self) -> None:
        for person in PEOPLE:
            view = members.add_member(
                self.db, DEMO_BANK_SLUG, person.name, email=person.email,
                organisation=person.organisation, phone=person.phone, area=person.area,
                joined_on=self.days_ago(person.joined_days_ago),
            )
            self.ids[person.name] = view.id
            self.balance[view.id] = 0

    # ---------------------------------------------------------------- a year of exchanges

    def is_active_on(self, name: str, day: dt.date) -> bool:
        """A member exchanges once joined, unless quiet lately or gone before closing."""
        if day < self.days_ago(self.people[name].joined_days_ago):
            return False
        if name in QUIET and (self.today - day).days < 120:
            return False
        return not (name == CLOSED and (self.today - day).days < 200)

    def run_the_year(self) -> None:
        """Day by day, oldest first, so that statements read in date order."""
        events = self.dated_events()
        chair_yoga_days = {self.days_ago(d) for d in range(357, 0, -30)}
        due: list[str] = []
        for days_ago in range(365, 0, -1):
            day = self.days_ago(days_ago)
            for happening in events.get(day, ()):
                happening(day)
            if day in chair_yoga_days:
                self.hold_chair_yoga(day)
            for _ in range(self.poisson(0.9)):
                self.log_some_help(day)
            if days_ago == 80:
                due = [p.name for p in PEOPLE if p.name not in QUIET and p.name != CLOSED]
            if days_ago <= 78:
                due = self.bring_in(due, day)
        if due:  # pragma: no cover - a guard on the plan
            raise AssertionError(f"the demonstration plan left out {', '.join(due)}")

    def dated_events(self) -> dict[dt.date, list[Callable[[dt.date], None]]]:
        """Grants, a donation and a correction, each on its day of the year."""
        events: dict[dt.date, list[Callable[[dt.date], None]]] = {}

        def on(days_ago: int, event: Callable[[dt.date], None]) -> None:
            events.setdefault(self.days_ago(days_ago), []).append(event)

        for person in PEOPLE:
            if person.name in WELCOMED:
                on(person.joined_days_ago, lambda day, name=person.name: self.grant_hours(
                    name, 120, "Welcome hours for a new member", day))
        on(150, lambda day: self.grant_hours("Margaret Wilson", 3 * 60,
                                             "Hours for lifts during a long illness", day))
        on(62, self.donate_to_the_pot)
        on(58, lambda day: self.grant_hours(
            "Jean Paterson", 4 * 60, "From the community pot: help with shopping over the winter",
            day, from_pot=True))
        on(47, self.reverse_a_lift_logged_twice)
        return events

    def bring_in(self, due: list[str], day: dt.date) -> list[str]:
        """Every member who is not meant to be quiet exchanges in the last 80 days."""
        for name in [n for n in due if self.is_active_on(n, day)][:2]:
            if not self.people[name].gives and self.balance[self.ids[name]] - 180 < self.floor:
                # Someone who cannot give back: the bank tops up their hours, as coordinators do.
                self.grant_hours(name, 6 * 60, "Hours from the bank: more help needed than can be given back",
                                 day)
            if self.people[name].needs and self.rng.random() < 0.5:
                self.log_some_help(day, receiver=name, member_logged=False)
            else:
                self.give_help(name, day)
        return [n for n in due
                if self.last_exchange_day.get(self.ids[n], dt.date.min) < self.days_ago(80)]

    def poisson(self, mean: float) -> int:
        """How many exchanges a day brings: Knuth's method, on the builder's own random numbers."""
        count, limit, product = 0, pow(2.718281828459045, -mean), self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def fits(self, provider: int, receivers: list[int], minutes: int, share: int) -> bool:
        """Whether the provider stays under the ceiling and every receiver above the floor."""
        if self.balance[provider] + minutes > self.ceiling:
            return False
        return all(self.balance[r] - share >= self.floor for r in receivers)

    def log_some_help(self, day: dt.date, receiver: str | None = None,
                      member_logged: bool | None = None) -> bool:
        """Someone active that day helps someone with one of their needs, if the limits allow."""
        names = [n for n in self.people if self.is_active_on(n, day)]
        if receiver is None:
            receiver = self.rng.choice([n for n in names if self.people[n].needs])
        category = self.rng.choice(self.people[receiver].needs)
        providers = [n for n in names if n != receiver and category in self.people[n].gives]
        if not providers:
            return False
        provider = self.rng.choice(providers)
        minutes = self.rng.choice(LENGTHS_MINUTES)
        if not self.fits(self.ids[provider], [self.ids[receiver]], minutes, minutes):
            return False
        if member_logged is None:
            member_logged = (self.rng.random() < 0.25 and self.people[provider].email is not None
                             and self.people[receiver].email is not None)
        self.log_exchange(provider, receiver, minutes, category, day, member_logged=member_logged)
        return True

    def log_exchange(self, provider: str, receiver: str, minutes: int, category: str | None,
                     day: dt.date, *, member_logged: bool = False) -> int:
        """One exchange, logged by the coordinator or by the provider and confirmed by the receiver."""
        slug = self.category(category)
        what = self.rng.choice(WHAT.get(category or "", ["Help"]))
        p, r = self.ids[provider], self.ids[receiver]
        if member_logged:
            proposed = ledger.propose_exchange(
                self.db, DEMO_BANK_SLUG, member_id=p, provider_id=p, receiver_id=r,
                minutes=minutes, category=slug, description=what, given_on=day, today=self.today)
            view = ledger.confirm_exchange(self.db, DEMO_BANK_SLUG, proposed.id, member_id=r,
                                           settled_by=f"member:{r}")
        else:
            view = ledger.log_exchange(
                self.db, DEMO_BANK_SLUG, provider_id=p, receiver_id=r, minutes=minutes,
                recorded_by=RECORDED_BY, category=slug, description=what, given_on=day,
                today=self.today)
        self.balance[p] += minutes
        self.balance[r] -= minutes
        self.exchanges += 1
        if slug:
            self.categories_used.add(slug)
        for member_id in (p, r):
            self.last_exchange_day[member_id] = max(day, self.last_exchange_day.get(member_id, day))
        return view.id

    def hold_chair_yoga(self, day: dt.date) -> None:
        """Chair yoga once a month at the community centre: one teacher, a group of members."""
        if not self.is_active_on(CHAIR_YOGA_TEACHER, day):
            return
        regulars = [n for n in CHAIR_YOGA_REGULARS if self.is_active_on(n, day)]
        group = self.rng.sample(regulars, k=min(len(regulars), self.rng.randint(5, 8)))
        minutes = 60
        share = minutes // len(group)
        receivers = [self.ids[n] for n in group if self.balance[self.ids[n]] - share >= self.floor]
        teacher = self.ids[CHAIR_YOGA_TEACHER]
        if len(receivers) < 3 or not self.fits(teacher, receivers, minutes, minutes // len(receivers)):
            return
        share = minutes // len(receivers)
        ledger.log_group_exchange(
            self.db, DEMO_BANK_SLUG, provider_id=teacher, receiver_ids=receivers,
            minutes=minutes, recorded_by=RECORDED_BY, category=self.category("chair_yoga"),
            description="Chair yoga at Corstorphine Community Centre", given_on=day,
            today=self.today)
        self.balance[teacher] += minutes
        for r in receivers:
            self.balance[r] -= share
            self.last_exchange_day[r] = day
        self.last_exchange_day[teacher] = day
        self.groups += 1
        self.exchanges += 1
        self.categories_used.add("chair_yoga")

    def give_help(self, provider: str, day: dt.date) -> None:
        """The provider gives an hour of what they give, to someone who needs it if anyone does."""
        gives = self.people[provider].gives
        if not gives:
            return
        category = self.rng.choice(gives)
        others = [n for n in self.people if n != provider and self.is_active_on(n, day)]
        receiver = self.rng.choice([n for n in others if category in self.people[n].needs] or others)
        minutes = 60
        if self.fits(self.ids[provider], [self.ids[receiver]], minutes, minutes):
            self.log_exchange(provider, receiver, minutes, category, day)

    def log_a_school_run_from_last_year(self) -> None:
        """An exchange dated in the last calendar year, within the demo's year, for the
        coordinator to find by its period (and reverse, if they like). Written last, so the
        rest of the bank is the same as without it."""
        day = min(self.days_ago(340), dt.date(self.today.year - 1, 12, 31))
        pairs = [(p, r) for p in ("Jean Paterson", "Alasdair MacLeod", "Priya Sharma")
                 for r in ("Morag Henderson", "Alasdair MacLeod", "Priya Sharma")
                 if p != r and self.is_active_on(p, day) and self.is_active_on(r, day)]
        for provider, receiver in pairs:
            p, r = self.ids[provider], self.ids[receiver]
            if self.fits(p, [r], 45, 45):
                ledger.log_exchange(
                    self.db, DEMO_BANK_SLUG, provider_id=p, receiver_id=r, minutes=45,
                    recorded_by=RECORDED_BY, category=self.category("childcare"),
                    description="School pick-up from Leith Primary", given_on=day, today=self.today)
                self.balance[p] += 45
                self.balance[r] -= 45
                self.exchanges += 1
                self.last_exchange_day[p] = max(day, self.last_exchange_day.get(p, day))
                self.last_exchange_day[r] = max(day, self.last_exchange_day.get(r, day))
                return
        raise AssertionError("the demonstration has no pair for last year's school run")

    def write_contact_notes(self) -> None:
        """The coordinator's contact log: a call due today for one quiet member, and one
        in three days (off the "who to call" list until then) for another."""
        for name, text, follow_up_days in (
                (QUIET[0], "Phoned: she is fine but has not been out much. Ring back to offer a lift "
                           "to chair yoga.", 0),
                (QUIET[1], "Left a message with his daughter; will ring back Thursday.", 3)):
            # Written four days ago (its `today`), so the first is due today.
            contact_log.add_note(self.db, DEMO_BANK_SLUG, self.ids[name], text=text, author="Liz Cameron",
                                 follow_up_on=self.today + dt.timedelta(days=follow_up_days),
                                 today=self.days_ago(4))

    # ---------------------------------------------------------------- corrections and the pot

    def grant_hours(self, name: str, minutes: int, reason: str, day: dt.date, *,
                    from_pot: bool = False) -> None:
        member_id = self.ids[name]
        ledger.grant(self.db, DEMO_BANK_SLUG, member_id=member_id, minutes=minutes, reason=reason,
                     recorded_by=RECORDED_BY, from_community_pot=from_pot, today=day)
        self.balance[member_id] += minutes

    def reverse_a_lift_logged_twice(self, day: dt.date) -> None:
        """The same lift logged on two days; the coordinator reverses the second, with a reason."""
        provider, receiver = "Peter Walker", "Brian Johnstone"
        if self.balance[self.ids[receiver]] - 180 < self.floor:
            self.grant_hours(receiver, 180, "Hours for lifts to hospital appointments", day)
        if self.balance[self.ids[provider]] + 180 > self.ceiling:  # pragma: no cover - plan guard
            provider = min(("Hamish Grant", "Duncan Murray"), key=lambda n: self.balance[self.ids[n]])
        self.log_exchange(provider, receiver, 90, "lifts", day - dt.timedelta(days=1))
        duplicate = self.log_exchange(provider, receiver, 90, "lifts", day)
        ledger.reverse_exchange(
            self.db, duplicate, bank_slug=DEMO_BANK_SLUG, recorded_by=RECORDED_BY,
            reason="Logged twice by mistake: the same lift to the Royal Infirmary.", today=day)
        self.balance[self.ids[provider]] -= 90
        self.balance[self.ids[receiver]] += 90
        self.exchanges += 1

    def donate_to_the_pot(self, day: dt.date) -> None:
        """The member with most hours gives ten of them to the community pot."""
        donor = max((n for n in self.people if self.is_active_on(n, day)),
                    key=lambda n: self.balance[self.ids[n]])
        minutes = 10 * 60
        if self.balance[self.ids[donor]] - minutes < self.floor:  # pragma: no cover - plan guard
            raise AssertionError("nobody in the demonstration has ten hours to give")
        ledger.donate(self.db, DEMO_BANK_SLUG, member_id=self.ids[donor], minutes=minutes,
                      recorded_by=RECORDED_BY, today=day)
        self.balance[self.ids[donor]] -= minutes

    def leave_exchanges_waiting(self) -> None:
        """Exchanges members logged in the last days, waiting for the other member; one declined."""
        for waiting in WAITING:
            ledger.propose_exchange(
                self.db, DEMO_BANK_SLUG, member_id=self.ids[waiting.logged_by],
                provider_id=self.ids[waiting.provider], receiver_id=self.ids[waiting.receiver],
                minutes=waiting.minutes, category=self.category(waiting.category),
                description=self.rng.choice(WHAT[waiting.category]),
                given_on=self.days_ago(waiting.days_ago), today=self.today)
            self.pending += 1
        # Declined: the other member remembered it differently.
        walker, owner = self.ids["Callum Fraser"], self.ids["Kirsty Muir"]
        proposed = ledger.propose_exchange(
            self.db, DEMO_BANK_SLUG, member_id=walker, provider_id=walker, receiver_id=owner,
            minutes=180, category=self.category("pet_care"), description="Dog walking all week",
            given_on=self.days_ago(20), today=self.today)
        ledger.decline_exchange(self.db, DEMO_BANK_SLUG, proposed.id, member_id=owner,
                                settled_by=f"member:{owner}")

    def record_safeguarding_checks(self) -> None:
        """Checks spread over the years ahead, and one about to expire."""
        for index, name in enumerate(SAFEGUARDED):
            if name == EXPIRING_SOON:
                expires = self.today + dt.timedelta(days=18)
            else:
                expires = self.today + dt.timedelta(days=120 + 97 * index)
            checked = expires - dt.timedelta(days=3 * 365)
            members.set_safeguarding(self.db, DEMO_BANK_SLUG, self.ids[name],
                                     checked_on=checked, expires_on=expires, today=self.today)

    # ---------------------------------------------------------------- offers, requests, sign-ins

    def offer_skills(self) -> None:
        for offer in OFFERS:
            requests_offers.offer_skill(self.db, DEMO_BANK_SLUG, member_id=self.ids[offer.member],
                             description=offer.description, category=self.category(offer.category))

    def ask_for_help(self) -> None:
        """Requests in every state of their journey: no answer yet, answered and waiting for
        the asker to choose, a helper chosen (the two see each other's phone), done with
        its hours logged, closed; and an offer whose member was asked directly."""
        for name in {*SHARE_PHONE, *SHARE_EMAIL}:
            helping.set_contact_sharing(self.db, DEMO_BANK_SLUG, self.ids[name], share_phone=name in SHARE_PHONE,
                                        share_email=name in SHARE_EMAIL)
        for asked in REQUESTS:
            request = requests_offers.ask_for_help(
                self.db, DEMO_BANK_SLUG, member_id=self.ids[asked.asker], what=asked.what,
                category=self.category(asked.category), when_text=asked.when, where_text=asked.where,
                helper_notes=asked.helper_notes)
            for helper in asked.answered_by:
                requests_offers.answer_request(self.db, DEMO_BANK_SLUG, request.id, member_id=self.ids[helper],
                                    message="I can help with this.")
            if asked.chosen:
                answers = helping.request_detail(self.db, DEMO_BANK_SLUG, request.id, viewer_id=None).answers
                chosen = next(a for a in answers if a.member_id == self.ids[asked.chosen])
                helping.choose_helper(self.db, DEMO_BANK_SLUG, request.id, chosen.id,
                                      member_id=self.ids[asked.asker])
            if asked.logged_minutes:
                helping.log_hours_from_request(
                    self.db, DEMO_BANK_SLUG, request.id, minutes=asked.logged_minutes,
                    given_on=self.days_ago(5), acting_member_id=None, recorded_by=RECORDED_BY)
                self.exchanges += 1
                self.balance[self.ids[asked.chosen]] += asked.logged_minutes
                self.balance[self.ids[asked.asker]] -= asked.logged_minutes
            if asked.closed:
                requests_offers.close_request(self.db, DEMO_BANK_SLUG, request.id, member_id=self.ids[asked.asker])
        offers = requests_offers.list_offers(self.db, DEMO_BANK_SLUG)
        for asked in ASKED_OFFERS:
            offer = next(o for o in offers if o.member_id == self.ids[asked.offer_member]
                         and o.category == self.category(asked.offer_category))
            helping.ask_this_person(self.db, DEMO_BANK_SLUG, offer.id, member_id=self.ids[asked.asker],
                                    what=asked.what, when_text=asked.when)

    def let_some_expire(self) -> None:
        """The demo member's request that expired (they renew it in one click) and an offer
        that expires within the week (its owner is warned by `notices schedule`)."""
        morag = self.ids["Morag Henderson"]
        # Asked 100 days ago, so it expired before today (and was asked before it expired).
        asked_at = dt.datetime.combine(self.days_ago(100), dt.time(10, 30), tzinfo=dt.UTC)
        requests_offers.ask_for_help(
            self.db, DEMO_BANK_SLUG, member_id=morag, what="Someone to help me sort out old photographs",
            category=self.category("befriending"), when_text="Any afternoon", asked_at=asked_at)
        offer = requests_offers.offer_skill(self.db, DEMO_BANK_SLUG, member_id=self.ids[OFFERS[0].member],
                                            description="Help choosing and setting up a new phone")
        requests_offers.renew_offer(self.db, DEMO_BANK_SLUG, offer.id, member_id=None, today=self.days_ago(88))

    def create_sign_ins(self) -> tuple[tuple[str, str], ...]:
        auth.create_user(self.db, DEMO_BANK_SLUG, email=COORDINATOR_EMAIL, name="Liz Cameron",
                         password=DEMO_PASSWORD, role="coordinator")
        auth.create_user(self.db, DEMO_BANK_SLUG, email=MEMBER_EMAIL, name="Morag Henderson",
                         password=DEMO_PASSWORD, role="member", member_id=self.ids["Morag Henderson"])
        auth.create_user(self.db, DEMO_BANK_SLUG, email=SOCIAL_WORKER_EMAIL, name="Ruth Baxter",
                         password=DEMO_PASSWORD, role="social_worker")
        return (("coordinator", COORDINATOR_EMAIL), ("member", MEMBER_EMAIL),
                ("social worker", SOCIAL_WORKER_EMAIL))

    def record_assessments(self) -> None:
        """The social worker's assessments, recorded with consent; no match is run."""
        worker = auth.authenticate(self.db, SOCIAL_WORKER_EMAIL, DEMO_PASSWORD)
        for assessed in ASSESSMENTS:
            assessments.record_assessment(
                self.db, worker, person_name=assessed.name, content=self.assessment_content(assessed),
                member_id=self.ids[assessed.name] if assessed.member else None, today=self.today)

    def assessment_content(self, assessed: Assessed) -> dict:
        """The assessment as the social worker's form sends it."""
        latitude, longitude = assessed.location
        return {
            "consent": True, "consent_on": self.days_ago(assessed.consent_days_ago),
            "area": assessed.area, "latitude": latitude, "longitude": longitude,
            "availability": list(assessed.free) if assessed.free else None,
            "needs": [{"category": self.category(n.category), "text": n.words,
                       "requires_checked": n.only_checked_helper} for n in assessed.needs],
            "capabilities": [{"category": self.category(c.category), "text": c.words, "status": c.status,
                              "share": True, "capacity": c.capacity, "max_km": c.max_km, "remote": c.remote}
                             for c in assessed.capabilities],
        }
