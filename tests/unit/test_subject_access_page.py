"""The page to read in a subject access download: words for the file's codes, and a
section the page has no words for yet still shown, never left out."""
from timebank.services.subject_access_page import Names, page


def test_a_row_is_written_in_words_and_escaped():
    document = {"bank": "Leith <Time> Bank", "about": "All of it.",
                "members": [{"id": 7, "name": "<b>Ann</b>", "share_phone": False, "floor_minutes": -300,
                             "joined_on": "2026-03-01", "created_at": "2026-12-03T13:09:01+00:00"}],
                "offers": [{"id": 2, "category": "diy_repairs", "description": "Shelves", "active": True,
                            "created_at": "2026-12-03T13:09:01+00:00"}]}
    written = page(document, "<b>Ann</b>", Names(categories={"diy_repairs": "DIY and small repairs"}))
    assert "<h1>What Leith &lt;Time&gt; Bank holds on &lt;b&gt;Ann&lt;/b&gt;</h1>" in written
    assert "<dt>Name</dt><dd>&lt;b&gt;Ann&lt;/b&gt;</dd>" in written
    assert "<dt>Your phone may be given to members you arrange help with</dt><dd>no</dd>" in written
    assert "<dt>Lowest balance allowed</dt><dd>-5h</dd>" in written
    assert "<dt>Joined on</dt><dd>1 March 2026</dd>" in written
    assert "<dt>Record made</dt><dd>3 December 2026, 13:09</dd>" in written
    assert "<h4>DIY and small repairs, offered on 3 December 2026</h4>" in written
    assert "<dt>Shown to members now</dt><dd>yes</dd>" in written
    assert "<h2>Your details</h2>" in written and "<h2>Requests and offers</h2>" in written


def test_a_list_the_page_has_no_words_for_is_shown_under_its_own_name():
    document = {"bank": "B", "about": "", "new_things": [{"id": 1, "given_minutes": 90, "seen_on": "2026-12-03",
                                                         "kept": True, "note": "<script>x</script>"}]}
    written = page(document, "Ann", Names())
    assert "<h2>Other records</h2>" in written and "<h3>New things</h3>" in written
    assert "<dt>Given minutes</dt><dd>1h 30m</dd>" in written
    assert "<dt>Seen on</dt><dd>3 December 2026</dd>" in written and "<dd>yes</dd>" in written
    assert "&lt;script&gt;" in written and "<script>" not in written


def test_an_empty_section_says_so():
    written = page({"bank": "B", "about": "", "contact_notes": []}, "Ann", Names())
    assert "<h3>Notes of our contact with you</h3>" in written and "<p>Nothing recorded.</p>" in written
