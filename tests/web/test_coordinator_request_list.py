"""The coordinator's list of open requests: found by words, kind of help and area, and
paged without losing what was chosen."""
from __future__ import annotations

import html
import re
import uuid

from timebank.services import helping, requests_offers

NEXT = re.compile(r'<a href="([^"]+)" rel="next">')


def _ask(database, world, count, words):
    for number in range(count):
        requests_offers.ask_for_help(database, world.bank.slug, member_id=world.ann.member_id,
                                     what=f"{words} {number}")


def test_the_pager_keeps_the_words_and_filters_from_page_to_page(signed_in, world, web_database):
    word = f"w{uuid.uuid4().hex[:8]}"
    _ask(web_database, world, helping.PAGE_SIZE + 2, f"Curtains {word}")
    _ask(web_database, world, 3, "Something else entirely")
    client = signed_in(world.coordinator)

    first = client.get(f"/coordinator/requests?words={word}&area=Leith")
    assert first.status_code == 200 and "Page 1 of 2" in first.text
    assert first.text.count(f"Curtains {word}") >= helping.PAGE_SIZE
    assert "Something else entirely" not in first.text
    following = html.unescape(NEXT.search(first.text).group(1))
    assert f"words={word}" in following and "area=Leith" in following and "page=2" in following

    second = client.get(following)
    assert "Page 2 of 2" in second.text and "Something else entirely" not in second.text
    shown = set(re.findall(rf"Curtains {word} (\d+)", first.text + second.text))
    assert shown == {str(n) for n in range(helping.PAGE_SIZE + 2)}  # every one, on one page or the other


def test_a_filter_that_matches_nothing_says_so_and_a_refused_one_filters_nothing(signed_in, world, web_database):
    client = signed_in(world.coordinator)
    none = client.get(f"/coordinator/requests?words=nothing{uuid.uuid4().hex}")
    assert none.status_code == 200 and "No open request matches these choices." in none.text
    refused = client.get("/coordinator/requests?words=" + "x" * 101)
    assert refused.status_code == 200 and "Error: Requests and answers" in refused.text
