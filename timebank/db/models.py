"""SQLAlchemy 2 typed models of every table: the ledger, sign-in, requests and offers,
assessments and matching. The schema itself comes only from timebank/migrations/."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from timebank.domain.assessments import ASSESSMENT_STATUSES, DIFFERENCES
from timebank.domain.help import ANSWER_STATUSES, REQUEST_STATUSES
from timebank.domain.ledger import AccountKind, ExchangeKind, ExchangeState
from timebank.domain.matches import (
    EXAMPLE_SIDES,
    EXAMPLE_SOURCES,
    INTRODUCTION_STATUSES,
    OUTCOME_SIDES,
    PROPOSAL_STATUSES,
)
from timebank.domain.members import MEMBER_KINDS, MEMBER_STATUSES
from timebank.domain.notices import CHANNELS, NOTICE_STATES
from timebank.domain.outcome_measures import SCALES, STAGES
from timebank.domain.roles import ROLES

__all__ = [
    "Base", "Bank", "Member", "Account", "Exchange", "Entry", "ServiceCategory", "User",
    "SignInSession", "PasswordReset", "HelpRequest", "HelpAnswer", "Offer", "Assessment",
    "AssessmentVersion", "MatchRun", "MatchProposal", "Introduction", "Outcome",
    "AssessmentAccess", "Neighbourhood", "ServiceExample", "ReadingExample", "BankReader", "ContactNote",
    "OutcomeQuestion", "IntroductionFollowUp", "OutcomeMeasureAnswer", "MemberAccess", "ConsentWithdrawal",
    "utcnow", "Notice", "NoticeOptOut", "TextEmbedding",
]

# Named constraints, so that migrations can find them and errors can be told apart.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _today() -> dt.date:
    return utcnow().date()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _one_of(column: str, values, *, name: str) -> CheckConstraint:
    """`column IN ('a', 'b', ...)`, from the domain's enumeration and in its order.

    The text is the one the migrations wrote, so the enumeration's order is the schema's:
    a value added to the domain needs a migration that rewrites this constraint.
    """
    words = ", ".join(f"'{getattr(value, 'value', value)}'" for value in values)
    return CheckConstraint(f"{column} IN ({words})", name=name)


def _key_once_per(table: str, scope: str) -> Index:
    """Each idempotency key at most once per `scope` (NULL, no key, as often as needed).

    A unique index rather than a unique constraint: SQLite adds an index in place, where
    a constraint would rebuild the table, and rebuilding `assessment_versions` would drop
    its append-only triggers.
    """
    return Index(f"uq_{table}_{scope}_idempotency_key", scope, "idempotency_key", unique=True)


class Bank(Base):
    """A time bank: a tenant. Every other row belongs to exactly one bank."""

    __tablename__ = "banks"
    __table_args__ = (
        CheckConstraint("floor_minutes <= 0", name="floor_not_positive"),
        CheckConstraint("ceiling_minutes >= 0", name="ceiling_not_negative"),
        CheckConstraint("length(slug) > 0", name="slug_not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    floor_minutes: Mapped[int] = mapped_column(Integer)
    ceiling_minutes: Mapped[int] = mapped_column(Integer)
    member_exchanges_need_confirmation: Mapped[bool] = mapped_column(
        Boolean, server_default=text("true")
    )
    # What the bank counts an hour of help as worth, for funders' social value figures.
    hourly_value_pence: Mapped[int] = mapped_column(Integer, server_default="1200")
    # How long assessments and closed introductions are kept after the last contact.
    retention_years: Mapped[int] = mapped_column(Integer, server_default="8")
    # How long a closed member's record is kept after they closed, then erased (revision 0016).
    closed_member_retention_years: Mapped[int] = mapped_column(Integer, server_default="6")
    # How long requests and offers stay listed after they are posted or renewed (revision 0020).
    expiry_months: Mapped[int] = mapped_column(Integer, server_default="3")
    # The number members ring, printed on letters, statements and offers (revision 0024).
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ServiceCategory(Base):
    """One entry of a bank's own list of services (gardening, lifts, tech help ...)."""

    __tablename__ = "service_categories"
    __table_args__ = (
        UniqueConstraint("bank_id", "slug"),
        CheckConstraint("length(slug) > 0", name="slug_not_empty"),
        _key_once_per("service_categories", "bank_id"),
        # Each name once per bank, whatever its case and spaces (NULL: a duplicate kept
        # from before the rule, revision 0009).
        Index("uq_service_categories_bank_id_name_key", "bank_id", "name_key", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, server_default="")
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    name_key: Mapped[str | None] = mapped_column(String(200))
    # The key of the form that last saved it: the same form sent again saves once.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))


class Member(Base):
    """A person or an organisation in one bank. Closed, never deleted: history stays."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("bank_id", "email"),
        UniqueConstraint("id", "bank_id"),
        _one_of("kind", MEMBER_KINDS, name="kind_known"),
        _one_of("status", MEMBER_STATUSES, name="status_known"),
        CheckConstraint("floor_minutes IS NULL OR floor_minutes <= 0", name="floor_not_positive"),
        CheckConstraint(
            "ceiling_minutes IS NULL OR ceiling_minutes >= 0", name="ceiling_not_negative"
        ),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        _key_once_per("members", "bank_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), server_default="person")
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(50))
    area: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), server_default="active")
    # Per-member overrides of the bank's limits; NULL means "the bank's".
    floor_minutes: Mapped[int | None] = mapped_column(Integer)
    ceiling_minutes: Mapped[int | None] = mapped_column(Integer)
    joined_on: Mapped[dt.date] = mapped_column(Date)
    # Safeguarding check (PVG in Scotland, DBS in England): coordinators' eyes only.
    safeguarding_checked_on: Mapped[dt.date | None] = mapped_column(Date)
    safeguarding_expires_on: Mapped[dt.date | None] = mapped_column(Date)
    # Whether the member they are put in touch with (a chosen helper, or the member they
    # help) may see their phone and email: never unless the member said so.
    share_phone: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    share_email: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # When the person was erased: the row stays, as "a former member", so that every
    # exchange and balance stays whole.
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the member was closed, for retention (revision 0016; NULL before it, or open).
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The new-member form's key: the same form sent twice takes the member on once.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))


class Account(Base):
    """An hours account: one per member, plus the bank's own and its community pot.

    `balance_minutes` is a cache for fast reads, written only under a lock in the same
    transaction as the entries; `timebank check` proves it equals the sum of entries.
    """

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("id", "bank_id"),
        _one_of("kind", AccountKind, name="kind_known"),
        CheckConstraint(
            "(kind = 'member') = (member_id IS NOT NULL)", name="member_account_has_member"
        ),
        ForeignKeyConstraint(["member_id", "bank_id"], ["members.id", "members.bank_id"]),
        Index(
            "uq_accounts_bank_id_kind_system",
            "bank_id",
            "kind",
            unique=True,
            sqlite_where=text("kind <> 'member'"),
            postgresql_where=text("kind <> 'member'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    kind: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    balance_minutes: Mapped[int] = mapped_column(BigInteger, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


HELP_BY_DAY_COLUMNS = ("bank_id", "given_on", "state", "kind", "provider_member_id", "receiver_member_id",
                       "amount_minutes", "category")


class Exchange(Base):
    """One event of help (or a grant, donation or reversal) and its details.

    Only `state`, `settled_at` and `settled_by` ever change, and only along the allowed
    transitions; database triggers refuse every other UPDATE and every DELETE.

    A new column here is NOT guarded until its migration recreates the update trigger:
    the trigger lists the frozen columns by name (`IMMUTABLE_EXCHANGE_COLUMNS` in the first
    migration, 2026_11_25_1829_0001_create_ledger.py). Drop `exchanges_guard_update` (and
    on PostgreSQL the function `exchange_guard_update()`) and create them again with the
    new column in the list, on both backends.
    """

    __tablename__ = "exchanges"
    __table_args__ = (
        UniqueConstraint("id", "bank_id"),
        UniqueConstraint("bank_id", "idempotency_key"),
        UniqueConstraint("reverses_exchange_id"),
        CheckConstraint("amount_minutes > 0", name="amount_positive"),
        CheckConstraint(
            "provider_member_id IS NULL OR receiver_member_id IS NULL "
            "OR provider_member_id <> receiver_member_id",
            name="distinct_members",
        ),
        _one_of("state", ExchangeState, name="state_known"),
        _one_of("kind", ExchangeKind, name="kind_known"),
        CheckConstraint(
            "(kind = 'reversal') = (reverses_exchange_id IS NOT NULL)",
            name="reversal_points_at_exchange",
        ),
        CheckConstraint(
            "reverses_exchange_id IS NULL OR reverses_exchange_id <> id", name="not_self_reversal"
        ),
        ForeignKeyConstraint(
            ["provider_member_id", "bank_id"], ["members.id", "members.bank_id"]
        ),
        ForeignKeyConstraint(
            ["receiver_member_id", "bank_id"], ["members.id", "members.bank_id"]
        ),
        ForeignKeyConstraint(
            ["reverses_exchange_id", "bank_id"], ["exchanges.id", "exchanges.bank_id"]
        ),
        ForeignKeyConstraint(
            ["bank_id", "category"], ["service_categories.bank_id", "service_categories.slug"]
        ),
        Index("ix_exchanges_bank_id_given_on", "bank_id", "given_on"),
        # The few pending exchanges among a big bank's posted ones (0013). Partial, so that
        # it is never chosen over the day index for posted ones; a query names the state
        # as a literal (`reading.state_is`) for the planner to see it applies.
        Index("ix_exchanges_bank_id_pending", "bank_id", "id",
              sqlite_where=text("state = 'pending'"), postgresql_where=text("state = 'pending'")),
        # Help by day, with every column the reports and the quiet-member rule read, so
        # that a year of a big bank's help is read from the index alone (0013).
        Index("ix_exchanges_help_by_day", *HELP_BY_DAY_COLUMNS),
        # The latest change of state, read by the reports' stamp (0013).
        Index("ix_exchanges_settled_at", "settled_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    provider_member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    receiver_member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    amount_minutes: Mapped[int] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    given_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    # The member who started a pending exchange; the other member confirms it.
    initiated_by_member_id: Mapped[int | None] = mapped_column(Integer)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))
    reverses_exchange_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    settled_by: Mapped[str | None] = mapped_column(String(200))
    # Why it was declined, for the member who logged it: written once, when declined.
    decline_reason: Mapped[str | None] = mapped_column(Text)


class Entry(Base):
    """Signed whole minutes on one account, for one posted exchange. Append-only."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("exchange_id", "account_id"),
        CheckConstraint("amount_minutes <> 0", name="amount_not_zero"),
        ForeignKeyConstraint(["exchange_id", "bank_id"], ["exchanges.id", "exchanges.bank_id"]),
        ForeignKeyConstraint(["account_id", "bank_id"], ["accounts.id", "accounts.bank_id"]),
        Index("ix_entries_account_id_id", "account_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    exchange_id: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[int] = mapped_column(Integer)
    amount_minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    """Someone who signs in: a member, a coordinator or a social worker of one bank."""

    __tablename__ = "users"
    __table_args__ = (
        _one_of("role", ROLES, name="role_known"),
        CheckConstraint("role <> 'member' OR member_id IS NOT NULL", name="member_user_has_member"),
        ForeignKeyConstraint(["member_id", "bank_id"], ["members.id", "members.bank_id"]),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SignInSession(Base):
    """A signed-in browser. Ended on the server, so a copied cookie dies with it."""

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Only a digest of the token is stored: a leaked table does not sign anyone in.
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ended_because: Mapped[str | None] = mapped_column(String(40))
    # When the code from the app (or a recovery code) was given in this session; until
    # then a sign-in with a second factor is only half signed in.
    second_factor_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PasswordReset(Base):
    """A one-time token to choose a new password, shown to whoever issued it (a member's
    coordinator, or the operator on the command line) and never logged; a member with an
    email is also sent it (a notice). Issuing a newer one, or using one, expires the others."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SecondFactor(Base):
    """A sign-in's authenticator app: the shared secret, sealed with a key kept beside the
    application (not in the database), so a dump of the database alone signs no one in.
    Unconfirmed (confirmed_at NULL) until a first code from the app proves it was saved."""

    __tablename__ = "second_factors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    secret_sealed: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The newest time step whose code was taken: an older or equal one is a replay.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)
    # Wrong codes since `refused_since`, counted here so every process shares the count
    # (revision 0016).
    refused_codes: Mapped[int] = mapped_column(Integer, server_default="0")
    refused_since: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class RecoveryCode(Base):
    """A code that works once instead of the app; only a keyed digest is stored."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class HelpRequest(Base):
    """A member asks for help: what, roughly when, where, and what a helper must know."""

    __tablename__ = "help_requests"
    __table_args__ = (
        _one_of("status", REQUEST_STATUSES, name="status_known"),
        CheckConstraint("length(what) > 0", name="what_not_empty"),
        ForeignKeyConstraint(["member_id", "bank_id"], ["members.id", "members.bank_id"]),
        ForeignKeyConstraint(
            ["bank_id", "category"], ["service_categories.bank_id", "service_categories.slug"]
        ),
        UniqueConstraint("bank_id", "idempotency_key"),
        UniqueConstraint("id", "bank_id"),
        Index("ix_help_requests_bank_id_status", "bank_id", "status"),
        Index("ix_help_requests_bank_id_renewed_on", "bank_id", "renewed_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    member_id: Mapped[int] = mapped_column(Integer, index=True)
    category: Mapped[str | None] = mapped_column(String(64))
    what: Mapped[str] = mapped_column(Text)
    when_text: Mapped[str | None] = mapped_column(String(200))
    where_text: Mapped[str | None] = mapped_column(String(200))
    helper_notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), server_default="open")
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Asked of one member from their offer ("Ask this person"): off the public list.
    # Plain columns, not foreign keys (see migration 0008): the service writes them.
    addressed_to_member_id: Mapped[int | None] = mapped_column(Integer)
    offer_id: Mapped[int | None] = mapped_column(Integer)
    # The exchange its hours were logged as; the request is closed with it.
    exchange_id: Mapped[int | None] = mapped_column(Integer)
    # Posted or last renewed: it leaves the lists `Bank.expiry_months` later (revision 0020).
    renewed_on: Mapped[dt.date] = mapped_column(Date, default=_today)


class HelpAnswer(Base):
    """A member answers another's request: "I can help"; the asker chooses one of them."""

    __tablename__ = "help_answers"
    __table_args__ = (
        UniqueConstraint("request_id", "member_id"),
        _one_of("status", ANSWER_STATUSES, name="status_known"),
        # One chosen helper per request, even when two choices race.
        Index("uq_help_answers_one_chosen", "request_id", unique=True,
              sqlite_where=text("status = 'chosen'"), postgresql_where=text("status = 'chosen'")),
        ForeignKeyConstraint(["request_id", "bank_id"], ["help_requests.id", "help_requests.bank_id"]),
        ForeignKeyConstraint(["member_id", "bank_id"], ["members.id", "members.bank_id"]),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    request_id: Mapped[int] = mapped_column(Integer, index=True)
    member_id: Mapped[int] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(20), server_default="waiting")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Offer(Base):
    """A skill a member offers to others."""

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("length(description) > 0", name="description_not_empty"),
        ForeignKeyConstraint(["member_id", "bank_id"], ["members.id", "members.bank_id"]),
        ForeignKeyConstraint(
            ["bank_id", "category"], ["service_categories.bank_id", "service_categories.slug"]
        ),
        UniqueConstraint("bank_id", "idempotency_key"),
        Index("ix_offers_bank_id_active", "bank_id", "active"),
        Index("ix_offers_bank_id_renewed_on", "bank_id", "renewed_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    member_id: Mapped[int] = mapped_column(Integer, index=True)
    category: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Posted or last renewed: it leaves the lists `Bank.expiry_months` later (revision 0020).
    renewed_on: Mapped[dt.date] = mapped_column(Date, default=_today)


class Assessment(Base):
    """A Needs and Capabilities Assessment of one person, member or not yet a member.

    What was assessed lives in its versions: an edit adds a version, none is ever changed,
    so what a match was based on can always be shown.
    """

    __tablename__ = "assessments"
    __table_args__ = (
        ForeignKeyConstraint(["member_id", "bank_id"], ["members.id", "members.bank_id"]),
        UniqueConstraint("id", "bank_id"),
        CheckConstraint("length(person_name) > 0", name="person_name_not_empty"),
        _one_of("status", ASSESSMENT_STATUSES, name="status_known"),
        _key_once_per("assessments", "bank_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    person_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), server_default="active")
    current_version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When it was erased (the person's wish, or the bank's retention): its versions are
    # gone, which only this makes possible (revision 0015's guard).
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The new-assessment form's key: the same form sent twice records one assessment.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))


class AssessmentVersion(Base):
    """One version of an assessment: consent, needs, capabilities, availability, place."""

    __tablename__ = "assessment_versions"
    __table_args__ = (
        UniqueConstraint("assessment_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        # Versions carry no bank: a key is held once per assessment here, and the service
        # refuses it on another assessment of the same bank.
        _key_once_per("assessment_versions", "assessment_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    version: Mapped[int] = mapped_column(Integer)
    # Consent, needs, capabilities, availability, area and location, as a document: the
    # assessment form changes more often than the schema should.
    content: Mapped[dict] = mapped_column(JSON)
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The edit form's key: the same form sent twice records one new version.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))


class MatchRun(Base):
    """One run of the matching engine over a bank's current assessments."""

    __tablename__ = "match_runs"
    __table_args__ = (
        _key_once_per("match_runs", "bank_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    run_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    needs_count: Mapped[int] = mapped_column(Integer)
    proposed_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # "Find matches for this person": only the pairs involving this assessment were run.
    # None for a run over the whole bank.
    for_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    # The run form's key: the same form sent twice runs the match once.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))


class MatchProposal(Base):
    """What the engine proposed for one need: a capability with reasons, or none and why.

    A person decides: nothing is acted on until a proposal is accepted.
    """

    __tablename__ = "match_proposals"
    __table_args__ = (
        _one_of("status", PROPOSAL_STATUSES, name="status_known"),
        Index("ix_match_proposals_run_id_status", "run_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id"))
    need_assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    need_key: Mapped[str] = mapped_column(String(64))
    capability_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    capability_key: Mapped[str | None] = mapped_column(String(64))
    score_thousandths: Mapped[int | None] = mapped_column(Integer)
    reasons: Mapped[list] = mapped_column(JSON)
    alternatives: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # The decision form's key: accepting or rejecting sent twice decides once.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))


class Introduction(Base):
    """An accepted match: two people introduced, with a request and an offer linked."""

    __tablename__ = "introductions"
    __table_args__ = (
        _one_of("status", INTRODUCTION_STATUSES, name="status_known"),
        # One need, one open introduction, held by the database too: accept_proposal
        # locks the need's assessment before it counts, and this refuses whatever slips by.
        Index("uq_introductions_open_need", "need_assessment_id", "need_key", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("match_proposals.id"), unique=True)
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id"))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"))
    status: Mapped[str] = mapped_column(String(20), server_default="open")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The close form's key: closing sent twice is answered as closed, not refused.
    close_idempotency_key: Mapped[str | None] = mapped_column(String(200))
    # The need introduced, copied from the proposal so the index above can hold it. Null
    # only if written without accept_proposal (the migration filled every earlier row).
    need_assessment_id: Mapped[int | None] = mapped_column(Integer)
    need_key: Mapped[str | None] = mapped_column(String(64))
    # The day the social worker means to follow the introduction up (revision 0012).
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)


class Outcome(Base):
    """Did the help happen, and did it make a difference: from each side (co-assessment)."""

    __tablename__ = "outcomes"
    __table_args__ = (
        # A side's view may be recorded again at a later follow-up (revision 0017): each
        # is its own row, the latest shown first; the form's key is held once instead.
        UniqueConstraint("introduction_id", "idempotency_key"),
        _one_of("side", OUTCOME_SIDES, name="side_known"),
        _one_of("difference", DIFFERENCES, name="difference_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introductions.id"), index=True)
    side: Mapped[str] = mapped_column(String(20))
    help_happened: Mapped[bool] = mapped_column(Boolean)
    difference: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The outcome form's key: one side's view sent twice is recorded once.
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))


class AssessmentAccess(Base):
    """Who saw or exported which assessment, when and why. Append-only (triggers)."""

    __tablename__ = "assessment_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    why: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Neighbourhood(Base):
    """One of the bank's neighbourhoods: the area an assessment chooses, with a centre
    point that stands in for the location of a person who gave none."""

    __tablename__ = "neighbourhoods"
    __table_args__ = (
        # `name_key` is the name without case or spaces: "Leith Walk" and "leithwalk" are one.
        UniqueConstraint("bank_id", "name_key"),
        CheckConstraint("length(name_key) > 0", name="name_key_not_empty"),
        CheckConstraint("latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180",
                        name="centre_on_the_globe"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)


class ServiceExample(Base):
    """A sentence a coordinator wrote as an example of one of the bank's services, for
    the reader to learn the bank's own words from."""

    __tablename__ = "service_examples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("service_categories.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReadingExample(Base):
    """A text with the service a person said it is: a social worker's correction of the
    reading, or a need and capability whose match they accepted. The bank's training data."""

    __tablename__ = "reading_examples"
    __table_args__ = (
        _one_of("side", EXAMPLE_SIDES, name="side_known"),
        _one_of("source", EXAMPLE_SOURCES, name="source_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    service_id: Mapped[str] = mapped_column(String(64))
    side: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    day: Mapped[dt.date] = mapped_column(Date)


class BankReader(Base):
    """The bank's trained reader: its model (None until a learned reader exists) and
    how many examples it was trained on."""

    __tablename__ = "bank_readers"

    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), primary_key=True)
    model: Mapped[bytes | None] = mapped_column(LargeBinary)
    trained_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    example_count: Mapped[int] = mapped_column(Integer)


class TextEmbedding(Base):
    """A text's sentence embedding, computed once and kept (the learned reader reads a
    text it is unsure of with it). Keyed by the SHA-256 of the words and the encoder's
    name. No words are stored, but a short text's digest can be guessed and a vector read
    back into something like its words: personal data, so erasing an assessment deletes
    its texts' rows."""

    __tablename__ = "text_embeddings"

    text_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    encoder: Mapped[str] = mapped_column(String(80), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian


class ContactNote(Base):
    """A coordinator's note about a member ("phoned, will ring back Thursday"), with an
    optional day to follow up: the contact log, read on the member's page and by the
    "who to call" list."""

    __tablename__ = "contact_notes"
    __table_args__ = (
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        ForeignKeyConstraint(["member_id", "bank_id"], ["members.id", "members.bank_id"]),
        Index("ix_contact_notes_bank_id_member_id", "bank_id", "member_id"),
        _key_once_per("contact_notes", "bank_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    member_id: Mapped[int] = mapped_column(Integer)
    written_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author: Mapped[str] = mapped_column(String(200))
    written_on: Mapped[dt.date] = mapped_column(Date)
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutcomeQuestion(Base):
    """A bank's own outcome question (the ONS ones are data in the domain, not rows):
    its words and how it is answered, 0 to 10 or one of a list (worst first)."""

    __tablename__ = "outcome_questions"
    __table_args__ = (
        UniqueConstraint("bank_id", "key"),
        _one_of("scale", SCALES, name="scale_known"),
        CheckConstraint("better IN ('higher', 'lower')", name="better_known"),
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        _key_once_per("outcome_questions", "bank_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    key: Mapped[str] = mapped_column(String(40))
    # Above `text`, whose column would hide sqlalchemy's text() in the rest of the class.
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    text: Mapped[str] = mapped_column(String(300))
    scale: Mapped[str] = mapped_column(String(20))
    better: Mapped[str] = mapped_column(String(10), server_default="higher")
    # [[value, words], ...] for a choice list, worst first; [] for a 0-10 scale.
    choices: Mapped[list] = mapped_column(JSON)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))


class IntroductionFollowUp(Base):
    """One dated contact about an introduction: a note, and the measures asked of each
    side, "before" (at the introduction) or "after" (at a follow-up; as many as needed).

    About two people: the person helped and the helper, by their assessments (the
    person references subject access and erasure look these rows up by).
    """

    __tablename__ = "introduction_follow_ups"
    __table_args__ = (
        _one_of("stage", STAGES, name="stage_known"),
        Index("ix_introduction_follow_ups_bank_id_introduction_id", "bank_id", "introduction_id"),
        _key_once_per("introduction_follow_ups", "bank_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introductions.id"))
    helped_assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    helper_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), index=True)
    stage: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    details_fingerprint: Mapped[str | None] = mapped_column(String(64))


class OutcomeMeasureAnswer(Base):
    """One person's answer to one outcome question at one follow-up: a score, a choice,
    or declined. A question not asked has no row.

    The person is `assessment_id` (and `member_id` when they are a member).
    """

    __tablename__ = "outcome_measure_answers"
    __table_args__ = (
        UniqueConstraint("follow_up_id", "side", "question_key"),
        _one_of("side", OUTCOME_SIDES, name="side_known"),
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 10", name="score_zero_to_ten"),
        CheckConstraint(
            "(CASE WHEN score IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN choice IS NOT NULL THEN 1 ELSE 0 END)"
            " + (CASE WHEN declined THEN 1 ELSE 0 END) = 1",
            name="one_kind_of_answer",
        ),
        Index("ix_outcome_measure_answers_bank_id_assessment_id", "bank_id", "assessment_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    follow_up_id: Mapped[int] = mapped_column(ForeignKey("introduction_follow_ups.id"))
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introductions.id"))
    side: Mapped[str] = mapped_column(String(20))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    question_key: Mapped[str] = mapped_column(String(40))
    score: Mapped[int | None] = mapped_column(Integer)
    choice: Mapped[str | None] = mapped_column(String(40))
    declined: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class MemberAccess(Base):
    """Who exported or erased which member's record, when and why: the member records'
    counterpart of the assessment access log. Append-only (triggers)."""

    __tablename__ = "member_access"
    __table_args__ = (
        Index("ix_member_access_bank_id_member_id", "bank_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    # NULL: the operator, on the command line.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[int | None] = mapped_column(Integer)
    assessment_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    why: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConsentWithdrawal(Base):
    """A person withdrew consent to their assessment: out of every match run from then,
    and the assessment hidden from everyone but this record of the withdrawal."""

    __tablename__ = "consent_withdrawals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    withdrawn_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Notice(Base):
    """One notice to one person (the outbox): written in the same transaction as the event
    that causes it, so a rolled-back event leaves none; sent by `timebank notices send`,
    or told by the coordinator to a member without an email.

    `facts` are what its words need (names, days, hours, a reason typed by a member,
    shared contact), never an assessment's words; `notice_key` holds it once per event.
    """

    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint("bank_id", "notice_key"),
        _one_of("state", NOTICE_STATES, name="state_known"),
        _one_of("channel", CHANNELS, name="channel_known"),
        CheckConstraint("(member_id IS NULL) <> (user_id IS NULL)", name="one_recipient"),
        ForeignKeyConstraint(["member_id", "bank_id"], ["members.id", "members.bank_id"]),
        # What the worker reads: the notices due, soonest first.
        Index("ix_notices_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_notices_bank_id_id", "bank_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    # A member, or a staff sign-in (a coordinator told of a safeguarding check, say).
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    facts: Mapped[dict] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), server_default="waiting")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # While "sending": until when the worker that took it holds it.
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(500))
    # Who told a member without email (the coordinator's list), or None when emailed.
    told_by: Mapped[str | None] = mapped_column(String(200))
    notice_key: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NoticeOptOut(Base):
    """A kind of notice a member turned off ("Messages we send you", or the link in one)."""

    __tablename__ = "notice_opt_outs"
    __table_args__ = (
        UniqueConstraint("member_id", "kind"),
        ForeignKeyConstraint(["member_id", "bank_id"], ["members.id", "members.bank_id"]),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    member_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# Words typed in the exchanges' search ("shop" in 100,000 exchanges), found through
# trigrams on PostgreSQL (revision 0018, with the pg_trgm extension) instead of lowering
# every row's text; SQLite has no such index and reads its own LIKE in C instead
# (`text_search.holds`). Declared here, after the class, for the expressions' columns.
for _column in ("description", "reason"):
    Index(f"ix_exchanges_{_column}_trigrams", func.lower(Exchange.__table__.c[_column]).label(f"{_column}_lower"),
          postgresql_using="gin", postgresql_ops={f"{_column}_lower": "gin_trgm_ops"}).ddl_if(dialect="postgresql")
