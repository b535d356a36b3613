"""The demonstration time bank: an entry point beside the CLI and the web app.

`people` holds who is in it and what they give, need, offer and ask for; `builder` writes
it through the services, as a coordinator, members and a social worker would.
"""
from __future__ import annotations

from timebank.demo.builder import DemoSummary, create_demo_bank, demo_bank_exists
from timebank.demo.people import (
    COORDINATOR_EMAIL,
    DEMO_BANK_NAME,
    DEMO_BANK_SLUG,
    DEMO_PASSWORD,
    MEMBER_EMAIL,
    SOCIAL_WORKER_EMAIL,
)

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
