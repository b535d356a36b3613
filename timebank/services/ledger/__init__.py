"""The ledger's use cases: logging, confirming, reversing, granting, donating, reading.

- `posting`: the one posting core every write goes through (locks, re-runs, checks, writes);
- `exchanges`: two-member exchanges, and the hand-off to the driver-level hot path;
- `pot`: group exchanges, grants and donations, which use the bank's own accounts;
- `reversals`: the opposite of a posted exchange;
- `reading`: exchanges, balances and statements.

Every refusal is a rule of `timebank.domain.ledger`, in one of its two ordered lists.
Callers use this package's names (`ledger.log_exchange(...)`), wherever the code lives.
"""
from timebank.services.ledger.exchanges import (
    confirm_exchange,
    decline_exchange,
    exchange_attempt,
    log_exchange,
    propose_exchange,
)
from timebank.services.ledger.pot import donate, grant, log_group_exchange
from timebank.services.ledger.reading import (
    PER_PAGE,
    account_balances,
    balance,
    balances,
    blocked_by_limits,
    count_exchanges,
    find_exchanges,
    get_exchange,
    list_exchanges,
    page_number,
    statement,
)
from timebank.services.ledger.reversals import reverse_exchange

__all__ = [
    "blocked_by_limits",
    "log_exchange",
    "propose_exchange",
    "confirm_exchange",
    "decline_exchange",
    "log_group_exchange",
    "grant",
    "donate",
    "reverse_exchange",
    "get_exchange",
    "list_exchanges",
    "find_exchanges",
    "count_exchanges",
    "page_number",
    "PER_PAGE",
    "balance",
    "balances",
    "statement",
    "account_balances",
    "exchange_attempt",
]
