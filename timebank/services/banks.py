"""Banks (tenants), their settings and their service categories."""
from __future__ import annotations

import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from matching.knowledge import load_knowledge
from timebank.db.engine import Database
from timebank.db.models import Account, Bank, HelpRequest, Member, Offer, ServiceCategory
from timebank.domain.errors import BankSlugTaken, CategoryTaken, InvalidInput
from timebank.domain.expiry import check_expiry_months
from timebank.domain.ledger import (
    DEFAULT_CEILING_MINUTES,
    DEFAULT_FLOOR_MINUTES,
    AccountKind,
    check_limits_are_sane,
    check_limits_leave_nobody_outside,
    fingerprint,
)
from timebank.domain.members import clean_phone, name_key
from timebank.domain.money import format_pence
from timebank.services.idempotency import clean_key, refuse_other_details, write_once
from timebank.services.rows import bank_row, still_listed
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import BankView

__all__ = [
    "listed_now",
    "create_bank",
    "get_bank",
    "set_bank_limits",
    "set_confirmation_mode",
    "set_contact_phone",
    "update_settings",
    "set_hourly_value",
    "MAX_HOURLY_VALUE_PENCE",
    "list_categories",
    "bank_view",
    "category_rows",
    "save_category",
]

MAX_HOURLY_VALUE_PENCE = 100_000  # £1,000 an hour: anything above is a typing mistake
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def bank_view(bank: Bank) -> BankView:
    return BankView(
        id=bank.id,
        slug=bank.slug,
        name=bank.name,
        floor_minutes=bank.floor_minutes,
        ceiling_minutes=bank.ceiling_minutes,
        member_exchanges_need_confirmation=bank.member_exchanges_need_confirmation,
        expiry_months=bank.expiry_months,
        contact_phone=bank.contact_phone,
    )



def create_bank(
    database: Database,
    slug: str,
    name: str,
    *,
    floor_minutes: int | None = None,
    ceiling_minutes: int | None = None,
    contact_phone: str | None = None,
) -> BankView:
    """A new bank with its own account, its community pot and the standard service list;
    `contact_phone`, the number members ring, is checked as `set_contact_phone` checks it."""
    slug = (slug or "").strip()
    name = (name or "").strip()
    if not _SLUG.match(slug):
        raise InvalidInput(
            f"{slug!r} cannot be a bank's short name: use lower-case letters, digits and "
            "hyphens, up to 64 characters."
        )
    if not name or len(name) > 200:
        raise InvalidInput("A bank needs a name of 1 to 200 characters.")
    floor = DEFAULT_FLOOR_MINUTES if floor_minutes is None else floor_minutes
    ceiling = DEFAULT_CEILING_MINUTES if ceiling_minutes is None else ceiling_minutes
    check_limits_are_sane(floor, ceiling)
    phone = clean_phone(contact_phone)
    with UnitOfWork(database) as uow:
        session = uow.session
        if session.scalars(select(Bank.id).where(Bank.slug == slug)).first() is not None:
            raise BankSlugTaken(f"There is already a time bank called {slug!r}.")
        bank = Bank(slug=slug, name=name, floor_minutes=floor, ceiling_minutes=ceiling,
                    member_exchanges_need_confirmation=True, contact_phone=phone)
        session.add(bank)
        session.flush()
        session.add_all(
            [
                Account(bank_id=bank.id, kind=AccountKind.BANK.value, balance_minutes=0),
                Account(bank_id=bank.id, kind=AccountKind.COMMUNITY_POT.value, balance_minutes=0),
            ]
        )
        session.add_all(
            ServiceCategory(bank_id=bank.id, slug=c.id, name=c.name, description=c.description,
                            name_key=name_key(c.name))
            for c in load_knowledge().categories
        )
        view = bank_view(bank)
        uow.commit()
    return view


def get_bank(database: Database, slug: str) -> BankView:
    with UnitOfWork(database, readonly=True) as uow:
        return bank_view(bank_row(uow.session, slug))


def set_bank_limits(
    database: Database, slug: str, *, floor_minutes: int, ceiling_minutes: int
) -> BankView:
    """New limits apply to later exchanges; balances already outside them may move back."""
    check_limits_are_sane(floor_minutes, ceiling_minutes)
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, slug, lock=True)
        bank.floor_minutes = floor_minutes
        bank.ceiling_minutes = ceiling_minutes
        view = bank_view(bank)
        uow.commit()
    return view


def set_confirmation_mode(database: Database, slug: str, *, need_confirmation: bool) -> BankView:
    """Whether exchanges a member logs wait for the other member to confirm them."""
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, slug, lock=True)
        bank.member_exchanges_need_confirmation = bool(need_confirmation)
        view = bank_view(bank)
        uow.commit()
    return view


def set_contact_phone(database: Database, slug: str, phone: str | None) -> BankView:
    """The number members ring, printed on letters, statements and offers: empty or None
    clears it; a text that is no phone number is refused (PhoneInvalid)."""
    cleaned = clean_phone(phone)
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, slug, lock=True)
        bank.contact_phone = cleaned
        view = bank_view(bank)
        uow.commit()
    return view


def update_settings(
    database: Database, slug: str, *, floor_minutes: int, ceiling_minutes: int,
    need_confirmation: bool, limits_confirmed: bool = True, expiry_months: int | None = None,
    contact_phone: str | None = None,
) -> BankView:
    """The settings page's save: the limits, the confirmation mode, the period and the
    phone, saved together or not at all (InvalidLimits for limits that make no sense).

    A person at the settings page passes `limits_confirmed` as they answered: a changed
    limit that active members' balances are already outside is then refused
    (`LimitsLeaveMembersOutside`, with how many) until they confirm it.

    `expiry_months` (None: unchanged) is how long requests and offers stay listed after
    they are posted or renewed (InvalidExpiryPeriod outside 1 to 24).

    `contact_phone` (None: unchanged) is the number members ring, printed on letters,
    statements and offers: an empty text clears it, a text that is no phone number is
    refused (PhoneInvalid).
    """
    check_limits_are_sane(floor_minutes, ceiling_minutes)
    if expiry_months is not None:
        check_expiry_months(expiry_months)
    phone = clean_phone(contact_phone) if contact_phone is not None else None
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, slug, lock=True)
        if not limits_confirmed:
            rows = uow.session.execute(
                select(Account.balance_minutes, Member.floor_minutes, Member.ceiling_minutes)
                .join(Member, Member.id == Account.member_id)
                .where(Member.bank_id == bank.id, Member.status == "active")).all()
            check_limits_leave_nobody_outside(
                [b for b, floor, _ in rows if floor is None], [b for b, _, ceiling in rows if ceiling is None],
                floor_minutes if floor_minutes != bank.floor_minutes else None,
                ceiling_minutes if ceiling_minutes != bank.ceiling_minutes else None, confirmed=False)
        bank.floor_minutes = floor_minutes
        bank.ceiling_minutes = ceiling_minutes
        bank.member_exchanges_need_confirmation = bool(need_confirmation)
        if expiry_months is not None:
            bank.expiry_months = expiry_months
        if contact_phone is not None:
            bank.contact_phone = phone
        view = bank_view(bank)
        uow.commit()
    return view


def set_hourly_value(database: Database, bank_slug: str, pence: int) -> int:
    """Set what the bank counts an hour of help as worth, in pence; returns it.

    Raises InvalidInput for anything but a whole number of pence from 1 to 100,000.
    """
    if not isinstance(pence, int) or isinstance(pence, bool):
        raise InvalidInput("An hour's value must be a whole number of pence.")
    if pence <= 0:
        raise InvalidInput("An hour's value must be more than £0.00.")
    if pence > MAX_HOURLY_VALUE_PENCE:
        raise InvalidInput(f"An hour's value can be at most {format_pence(MAX_HOURLY_VALUE_PENCE)}.")
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug, lock=True)
        bank.hourly_value_pence = pence
        uow.commit()
    return pence


def list_categories(database: Database, slug: str) -> list[tuple[str, str]]:
    """The bank's active service categories as (slug, name), in list order."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, slug)
        rows = uow.session.execute(
            select(ServiceCategory.slug, ServiceCategory.name)
            .where(ServiceCategory.bank_id == bank.id, ServiceCategory.active.is_(True))
            .order_by(ServiceCategory.id)
        )
        return [(r.slug, r.name) for r in rows]


def category_rows(database: Database, slug: str) -> list[tuple[str, str, str, bool]]:
    """Every category of the bank, active or not: (slug, name, description, active)."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, slug)
        rows = uow.session.execute(
            select(ServiceCategory.slug, ServiceCategory.name, ServiceCategory.description,
                   ServiceCategory.active)
            .where(ServiceCategory.bank_id == bank.id).order_by(ServiceCategory.id)
        )
        return [tuple(r) for r in rows]


def save_category(
    database: Database, slug: str, *, category: str, name: str, description: str = "",
    active: bool = True, adding: bool = False, idempotency_key: str | None = None,
) -> bool:
    """Add a category to the bank's list, or rename, describe, retire or restore one.

    A category is never deleted: exchanges and requests keep pointing at it. `adding`
    refuses a short name already on the list (CategoryTaken) rather than change that one.
    With an `idempotency_key`, the same form sent again saves once: returns True when
    the key had already saved these details (nothing written), False when saved now.
    """
    category = (category or "").strip().lower()
    name = (name or "").strip()
    description = (description or "").strip()
    if not re.match(r"^[a-z0-9][a-z0-9_]{0,63}$", category):
        raise InvalidInput("A category's short name uses lower-case letters, digits and _ (up to 64).")
    if not name or len(name) > 200:
        raise InvalidInput("A category needs a name of 1 to 200 characters.")
    if len(description) > 1000:
        raise InvalidInput("Keep the description to 1000 characters.")
    key = clean_key(idempotency_key)
    asked = fingerprint({"category": category, "name": name, "description": description,
                         "active": bool(active), "adding": adding})

    def attempt(session: Session) -> bool:
        bank = bank_row(session, slug)
        # The key and the short name in one query, so both are read at one moment: a
        # writer with this key committing in between must not look like another category.
        wanted = [ServiceCategory.slug == category] + (
            [ServiceCategory.idempotency_key == key] if key is not None else [])
        found = session.scalars(select(ServiceCategory).where(
            ServiceCategory.bank_id == bank.id, or_(*wanted))).all()
        earlier = next((c for c in found if key is not None and c.idempotency_key == key), None)
        if earlier is not None:
            refuse_other_details(key, earlier.details_fingerprint, asked, f"the service {earlier.name!r}")
            return True
        row = next((c for c in found if c.slug == category), None)
        if row is not None and adding:
            raise CategoryTaken("There is already a service with this name: change that one instead.")
        # Names as people tell them apart (B12): "shopping  and Errands" is "Shopping and errands".
        # Read whole, not by name_key: a duplicate kept from before the rule has none.
        clash = next((n for s, n in session.execute(
            select(ServiceCategory.slug, ServiceCategory.name).where(ServiceCategory.bank_id == bank.id))
            if s != category and name_key(n) == name_key(name)), None)
        if clash is not None:
            raise CategoryTaken(f"There is already a service called {clash}: choose another name, "
                                "or change that one instead.")
        if row is None:
            row = ServiceCategory(bank_id=bank.id, slug=category)
            session.add(row)
        row.name, row.description, row.active = name, description, bool(active)
        row.name_key = name_key(name)
        row.idempotency_key, row.details_fingerprint = key, asked if key is not None else None
        return False

    return write_once(database, attempt)


def listed_now(database: Database, bank_slug: str) -> int:
    """How many open requests and current offers the bank's lists show today, under its
    listing period: what a change of the period adds to the lists or takes off them."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        requests = session.scalar(select(func.count()).select_from(HelpRequest).where(
            HelpRequest.bank_id == bank.id, HelpRequest.status == "open", still_listed(HelpRequest, bank)))
        offers = session.scalar(select(func.count()).select_from(Offer).where(
            Offer.bank_id == bank.id, Offer.active.is_(True), still_listed(Offer, bank)))
        return requests + offers
