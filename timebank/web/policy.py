"""Who may use each endpoint: one table, checked on the server for every request.

Deny by default: an endpoint missing from this table is refused to everyone (and a test
fails), so a new page cannot be reachable by accident.
"""
from __future__ import annotations

ANYONE = frozenset({"anonymous", "member", "coordinator", "social_worker"})
SIGNED_IN = frozenset({"member", "coordinator", "social_worker"})
MEMBER = frozenset({"member"})
COORDINATOR = frozenset({"coordinator"})
SOCIAL_WORKER = frozenset({"social_worker"})

POLICY: dict[str, frozenset[str]] = {
    "static": ANYONE,
    "auth.sign_in": ANYONE,
    "auth.sign_out": SIGNED_IN,
    "auth.forgot_password": ANYONE,
    "auth.reset_password": ANYONE,
    "auth.home": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "auth.second_factor_code": SIGNED_IN,
    "auth.second_factor_setup": SIGNED_IN,
    # member pages (timebank/web/member/routes.py)
    "member.home": MEMBER,
    "member.ask": MEMBER,
    "member.browse": MEMBER,
    "member.log": MEMBER,
    "member.statement": MEMBER,
    "member.statement_pdf": MEMBER,
    "member.requests": MEMBER,
    "member.close_request": MEMBER,
    "member.offer": MEMBER,
    "member.withdraw_offer": MEMBER,
    "member.answer": MEMBER,
    "member.confirm": MEMBER,
    "member.decline": MEMBER,
    # a request's journey (timebank/web/member/journey.py)
    "member.choose": MEMBER,
    "member.request_hours": MEMBER,
    "member.edit_request": MEMBER,
    "member.answers": MEMBER,
    "member.accept": MEMBER,
    "member.withdraw_answer": MEMBER,
    "member.decline_asked": MEMBER,
    "member.edit_answer": MEMBER,
    "member.ask_person": MEMBER,
    "member.edit_offer": MEMBER,
    "member.contact": MEMBER,
    # coordinator pages (timebank/web/coordinator/routes.py)
    "coordinator.home": COORDINATOR,
    "coordinator.members": COORDINATOR,
    "coordinator.members_csv": COORDINATOR,
    "coordinator.new_member": COORDINATOR,
    "coordinator.member": COORDINATOR,
    "coordinator.member_status": COORDINATOR,
    "coordinator.member_reset_link": COORDINATOR,
    "coordinator.member_safeguarding": COORDINATOR,
    "coordinator.grant": COORDINATOR,
    "coordinator.member_limits": COORDINATOR,
    "coordinator.member_sign_in": COORDINATOR,
    "coordinator.add_member_sign_in": COORDINATOR,
    "coordinator.edit_member": COORDINATOR,
    "coordinator.add_note": COORDINATOR,
    "coordinator.calls": COORDINATOR,
    "coordinator.log": COORDINATOR,
    "coordinator.log_group": COORDINATOR,
    "coordinator.upload": COORDINATOR,
    "coordinator.upload_template": COORDINATOR,
    "coordinator.pending": COORDINATOR,
    "coordinator.settle": COORDINATOR,
    "coordinator.decline": COORDINATOR,
    "coordinator.exchanges": COORDINATOR,
    "coordinator.reverse": COORDINATOR,
    "coordinator.settings": COORDINATOR,
    "coordinator.staff": COORDINATOR,
    "coordinator.reset_staff_factor": COORDINATOR,
    # requests, answers and offers (timebank/web/coordinator/requests.py)
    "coordinator.requests": COORDINATOR,
    "coordinator.request": COORDINATOR,
    "coordinator.ask_for": COORDINATOR,
    "coordinator.answer_for": COORDINATOR,
    "coordinator.choose_for": COORDINATOR,
    "coordinator.request_hours": COORDINATOR,
    "coordinator.close_request": COORDINATOR,
    "coordinator.withdraw_answer": COORDINATOR,
    "coordinator.decline_asked": COORDINATOR,
    "coordinator.offers": COORDINATOR,
    "coordinator.ask_person_for": COORDINATOR,
    "coordinator.member_contact": COORDINATOR,
    # paper for members without a computer (timebank/web/coordinator/paper.py)
    "coordinator.print_statement": COORDINATOR,
    "coordinator.statement_pdf": COORDINATOR,
    "coordinator.print_offers": COORDINATOR,
    "coordinator.offers_pdf_download": COORDINATOR,
    # social worker pages (timebank/web/social/routes.py)
    "social.home": SOCIAL_WORKER,
    "social.assessments": SOCIAL_WORKER,
    "social.new_assessment": SOCIAL_WORKER,
    "social.edit_assessment": SOCIAL_WORKER,
    "social.assessment": SOCIAL_WORKER,
    "social.link_member": SOCIAL_WORKER,
    "social.find_matches": SOCIAL_WORKER,
    "social.access_log": SOCIAL_WORKER,
    "social.matches": SOCIAL_WORKER,
    "social.run": SOCIAL_WORKER,
    "social.run_match": SOCIAL_WORKER,
    "social.offers": SOCIAL_WORKER,
    "social.accept": SOCIAL_WORKER,
    "social.reject": SOCIAL_WORKER,
    "social.introductions": SOCIAL_WORKER,
    "social.introduction": SOCIAL_WORKER,
    "social.outcome": SOCIAL_WORKER,
    "social.close": SOCIAL_WORKER,
    # follow-ups and outcome measures (timebank/web/social/follow_ups.py)
    "social.follow_up_day": SOCIAL_WORKER,
    "social.follow_up": SOCIAL_WORKER,
    "social.questions": SOCIAL_WORKER,
    # category pages (timebank/web/categories/routes.py)
    "categories.index": COORDINATOR,
    "categories.edit": COORDINATOR,
    "categories.examples": COORDINATOR,
    # neighbourhood pages (timebank/web/places/routes.py)
    "places.index": COORDINATOR,
    "places.edit": COORDINATOR,
    # report pages (timebank/web/reports/routes.py)
    "reports.index": COORDINATOR,
    "reports.activity": COORDINATOR,
    "reports.activity_csv": COORDINATOR,
    "reports.activity_chart": COORDINATOR,
    "reports.network": COORDINATOR,
    "reports.network_csv": COORDINATOR,
    "reports.network_chart": COORDINATOR,
    "reports.funders": COORDINATOR,
    "reports.funders_csv": COORDINATOR,
    "reports.funders_chart": COORDINATOR,
    "reports.hourly_value": COORDINATOR,
    # subject access, erasure, retention, consent (timebank/web/privacy/routes.py)
    "privacy.member_privacy": COORDINATOR,
    "privacy.member_file": COORDINATOR,
    "privacy.erase": COORDINATOR,
    "privacy.retention_settings": COORDINATOR,
    "privacy.assessment_privacy": SOCIAL_WORKER,
    "privacy.assessment_file": SOCIAL_WORKER,
    # Renewing an expired request or offer (issue 13): its owner, or a coordinator for them.
    "member.renew_request": MEMBER,
    "member.renew_offer": MEMBER,
    "coordinator.renew_request_for": COORDINATOR,
    "coordinator.renew_offer_for": COORDINATOR,
    # notices (timebank/web/notices/routes.py); the unsubscribe link works signed out
    "notices.member_messages": MEMBER,
    "notices.stop": ANYONE,
    "notices.messages": COORDINATOR,
    "notices.send_again": COORDINATOR,
    "notices.told": COORDINATOR,
    "notices.letter": COORDINATOR,
}


def allowed(endpoint: str | None, role: str) -> bool:
    return role in POLICY.get(endpoint or "", frozenset())
