"""The pages of a yes taken back (found walking the app): asked directly from his offer,
Bob says yes to Ann, then "I can no longer help"; he may say yes (or no) again, from his
answers and from the request's answer link, and Ann's two pages say the same. The
coordinator says yes, and takes it back, for Dot who has no sign-in, in words that say so.
A public request's "I can help" taken back may be given again from the pages. The
coordinator reads whom to put in touch, on the request and on "Who to call", not "your
coordinator will put you in touch"."""
from __future__ import annotations

import html

import pytest

from tests.web.test_request_journey_pages import _client, _form
from timebank.services import helping, requests_offers


def _text(response) -> str:
    return html.unescape(response.text)


def _status(database, world, request_id, member_id):
    return helping.request_detail(database, world.bank.slug, request_id, viewer_id=None).answer_of(member_id).status


@pytest.fixture
def asked_bob(app, world, web_database):
    """Ann asks Bob from his offer, from the page."""
    offer = requests_offers.offer_skill(web_database, world.bank.slug, member_id=world.bob.member_id,
                                        description="Lifts by car")
    ann = _client(app, world.ann)
    url = f"/member/offers/{offer.id}/ask"
    assert ann.post(url, data={**_form(ann, url), "what": "A lift to the clinic"}).status_code == 302
    [request] = [a.request for a in helping.my_answers(web_database, world.bank.slug, world.bob.member_id)
                 if a.request.what == "A lift to the clinic"]
    return ann, _client(app, world.bob), request.id


def test_a_yes_taken_back_may_be_given_again_and_both_pages_of_the_asker_agree(app, world, web_database,
                                                                                asked_bob):
    ann, bob, request_id = asked_bob
    said_yes = bob.post(f"/member/answers/{request_id}/accept", data=_form(bob, "/member/answers"),
                        follow_redirects=True)
    assert "You said yes to Ann" in _text(said_yes) and "Ann chose you" not in _text(said_yes)
    # Bob shares no phone or email (nobody does until they choose to): no promise he cannot keep.
    assert "your coordinator will put you in touch with Ann" in _text(said_yes)
    assert "Ann can now see how to reach you" not in _text(said_yes)

    url = f"/member/answers/{request_id}/withdraw"
    confirm = _text(bob.get(url))
    assert "Take back your yes?" in confirm and "your yes to Ann" in confirm
    taken_back = bob.post(url, data=_form(bob, url), follow_redirects=True)
    assert "Your yes is taken back. Ann is told" in _text(taken_back)
    assert _status(web_database, world, request_id, world.bob.member_id) == "asked"

    answers = _text(bob.get("/member/answers"))
    assert "You took back your yes to Ann" in answers and "You withdrew your answer" not in answers
    assert f'action="/member/answers/{request_id}/accept"' in answers
    assert f'href="/member/answers/{request_id}/decline"' in answers
    # The request's answer link leads to his yes and no, not to "Page not found".
    link = bob.get(f"/member/requests/{request_id}/answer")
    assert link.status_code == 302 and link.location.endswith(f"/member/answers#request-{request_id}")

    waiting = "Bob took back their yes. Waiting for them to say yes or no again."
    requests_page, home = _text(ann.get("/member/requests")), _text(ann.get("/member/"))
    assert waiting in requests_page and waiting in home
    assert "Nobody has answered yet" not in home and "You asked Bob" not in requests_page

    again = bob.post(f"/member/answers/{request_id}/accept", data=_form(bob, "/member/answers"),
                     follow_redirects=True)
    assert again.status_code == 200 and "You said yes to Ann" in _text(again)
    assert _status(web_database, world, request_id, world.bob.member_id) == "chosen"


@pytest.mark.parametrize("ann_shares, bob_shares, said, not_said", [
    (True, True, "Ann can now see how to reach you, and you them.", "put you in touch"),
    # Only Bob shares: Ann can reach him, he cannot reach her.
    (False, True, "Ann can now see how to reach you. Ann shares no phone or email, so your coordinator "
     "will put you in touch.", "and you them"),
    # Only Ann shares: Bob can reach her, she cannot reach him.
    (True, False, "You can now see how to reach Ann. You share no phone or email, so they cannot reach you: "
     "your coordinator will put you in touch with Ann.", "Ann can now see how to reach you"),
    (False, False, "Neither you nor Ann shares a phone or email, so your coordinator will put you in touch "
     "with Ann.", "can now see how to reach"),
])
def test_a_yes_says_who_can_now_reach_whom(app, world, web_database, asked_bob, ann_shares, bob_shares,
                                            said, not_said):
    ann, bob, request_id = asked_bob
    for person, shares in ((world.ann, ann_shares), (world.bob, bob_shares)):
        helping.set_contact_sharing(web_database, world.bank.slug, person.member_id, share_phone=False,
                                    share_email=shares)
    said_yes = _text(bob.post(f"/member/answers/{request_id}/accept", data=_form(bob, "/member/answers"),
                              follow_redirects=True))
    assert said in said_yes
    assert not_said not in said_yes
    assert _status(web_database, world, request_id, world.bob.member_id) == "chosen"


def test_once_the_request_is_closed_its_answer_link_no_longer_leads_to_a_yes_or_no(app, world, web_database,
                                                                                    asked_bob):
    ann, bob, request_id = asked_bob
    bob.post(f"/member/answers/{request_id}/accept", data=_form(bob, "/member/answers"))
    assert bob.get(f"/member/requests/{request_id}/answer").status_code == 302  # his yes, to take back
    requests_offers.close_request(web_database, world.bank.slug, request_id, member_id=world.ann.member_id)
    closed = bob.get(f"/member/requests/{request_id}/answer")
    assert closed.status_code == 404 and "There is no open request" in _text(closed)


def test_asked_and_not_yet_answered_the_asker_s_two_pages_agree(app, world, web_database, asked_bob):
    ann, _, _ = asked_bob
    waiting = "You asked Bob. Waiting for them to say yes or no."
    assert waiting in _text(ann.get("/member/requests")) and waiting in _text(ann.get("/member/"))
    assert "Nobody has answered yet" not in _text(ann.get("/member/"))


def test_the_coordinator_says_yes_and_takes_it_back_for_a_member_without_sign_in(app, world, web_database):
    slug = world.bank.slug
    offer = requests_offers.offer_skill(web_database, slug, member_id=world.dot_member_id, description="Sewing")
    asked = helping.ask_this_person(web_database, slug, offer.id, member_id=world.ann.member_id,
                                    what="Take up a hem")
    cora = _client(app, world.coordinator)
    page_url = f"/coordinator/requests/{asked.id}"
    page = _text(cora.get(page_url))
    assert "Say yes for Dot" in page and "Choose Dot" not in page
    [answer] = helping.request_detail(web_database, slug, asked.id, viewer_id=None).answers
    said_yes = cora.post(f"/coordinator/requests/{asked.id}/choose/{answer.id}", data=_form(cora, page_url),
                         follow_redirects=True)
    assert "You said yes for Dot: Dot helps Ann." in _text(said_yes)
    assert "is chosen to help" not in _text(said_yes)

    url = f"/coordinator/requests/{asked.id}/withdraw?member={world.dot_member_id}"
    confirm = _text(cora.get(url))
    assert "Take back Dot’s yes to Ann?" in confirm and "They will no longer" not in confirm
    taken_back = _text(cora.post(url, data=_form(cora, url), follow_redirects=True))
    assert "Dot’s yes is taken back: Ann is told" in taken_back
    assert "Took back their yes: asked again" in taken_back and "Say yes for Dot" in taken_back
    assert "They said no" in taken_back and ">Withdrawn<" not in taken_back
    assert _status(web_database, world, asked.id, world.dot_member_id) == "asked"
    listed = _text(cora.get("/coordinator/requests"))
    assert "Dot took back their yes: waiting for them to say yes or no again" in listed


def test_withdrawing_an_answer_names_whom_it_was_for(app, world, web_database):
    slug = world.bank.slug
    request = requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Shopping")
    requests_offers.answer_request(web_database, slug, request.id, member_id=world.bob.member_id)
    cora = _client(app, world.coordinator)
    confirm = _text(cora.get(f"/coordinator/requests/{request.id}/withdraw?member={world.bob.member_id}"))
    assert "Bob will no longer be offered as a helper to Ann." in confirm


def test_an_i_can_help_taken_back_may_be_given_again_from_the_pages(app, world, web_database):
    slug = world.bank.slug
    request = requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Gardening")
    requests_offers.answer_request(web_database, slug, request.id, member_id=world.bob.member_id)
    answer = helping.request_detail(web_database, slug, request.id, viewer_id=None).answers[0]
    helping.choose_helper(web_database, slug, request.id, answer.id, member_id=world.ann.member_id)
    bob = _client(app, world.bob)
    answers = _text(bob.get("/member/answers"))
    assert "Ann chose you" in answers and "You said yes to Ann" not in answers
    url = f"/member/answers/{request.id}/withdraw"
    assert "Ann chose you: they will be told" in _text(bob.get(url))
    assert bob.post(url, data=_form(bob, url)).status_code == 302

    answers = _text(bob.get("/member/answers"))
    assert "You withdrew your answer" in answers
    again_url = f"/member/requests/{request.id}/answer"
    assert f'href="{again_url}"' in answers
    form = _form(bob, again_url)
    sent = bob.post(again_url, data={"csrf_token": form["csrf_token"], f"answer-{request.id}-message": "Yes now"})
    assert sent.status_code == 302
    assert _status(web_database, world, request.id, world.bob.member_id) == "waiting"


def test_the_coordinator_reads_whom_to_put_in_touch_and_the_members_what_she_will_do(app, world, web_database):
    slug = world.bank.slug  # in this world nobody shares a phone or email: the default
    request = requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="A shelf put up")
    requests_offers.answer_request(web_database, slug, request.id, member_id=world.bob.member_id)
    answer = helping.request_detail(web_database, slug, request.id, viewer_id=None).answers[0]
    helping.choose_helper(web_database, slug, request.id, answer.id, member_id=world.ann.member_id)

    page = _text(_client(app, world.coordinator).get(f"/coordinator/requests/{request.id}"))
    assert "Neither Ann nor Bob shares a phone or email: put them in touch." in page
    assert "Your coordinator will put you in touch" not in page
    assert world.ann.email in page and world.bob.email in page  # on file, for her to use

    asker_page = _text(_client(app, world.ann).get("/member/requests"))
    assert "Your coordinator will put you in touch" in asker_page and world.bob.email not in asker_page

    calls = _text(_client(app, world.coordinator).get("/coordinator/calls"))
    listed = calls.split('id="put-in-touch"', 1)[1].split("<h2", 1)[0]
    assert f'href="/coordinator/requests/{request.id}"' in listed and "A shelf put up" in listed
    assert "neither shares a phone or email" in listed and "Ann" in listed and "Bob" in listed
