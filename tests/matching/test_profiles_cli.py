"""Reading profiles, malformed input, and the `timebank match` command."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from matching import ProfileError, read_profiles
from tests.matching.conftest import need, offer, person
from timebank.cli.match import match_command


def test_absent_fields_take_the_specs_defaults(write_jsonl):
    path = write_jsonl([{"person": "p1", "needs": [{"id": "n1", "text": "walk my dog"}],
                         "capabilities": [{"id": "c1", "text": "dog walker", "max_km": 3}]}])
    [p] = read_profiles(path)
    assert p.area is None and p.location is None and p.checked is False and p.availability is None
    assert p.needs[0].requires_checked is False and p.needs[0].category is None
    c = p.capabilities[0]
    assert (c.status, c.share, c.capacity, c.max_km, c.remote) == ("doing", True, 1, 3.0, False)


@pytest.mark.parametrize("line, field", [
    ('{"person": "p9", "needs": [{"id": "n9"}]}', "needs[0].text"),
    ('{"person": "p9", "capabilities": [{"id": "c9", "text": "x", "capacity": 0}]}', "capabilities[0].capacity"),
    ('{"person": "p9", "capabilities": [{"id": "c9", "text": "x", "status": "maybe"}]}', "capabilities[0].status"),
    ('{"person": "p9", "capabilities": [{"id": "c9", "text": "x", "max_km": -2}]}', "capabilities[0].max_km"),
    ('{"person": "p9", "capabilities": [{"id": "c9", "text": "x", "share": "yes"}]}', "capabilities[0].share"),
    ('{"person": "p9", "availability": ["monday-am"]}', "availability[0]"),
    ('{"person": "p9", "location": [155.0, 3.0]}', "location"),
    ('{"person": "p9", "checked": 1}', "checked"),
    ('{"needs": []}', "person"),
    ('{"person": "p9", "needs": [{"id": "n1", "text": "again"}]}', "needs[0].id"),
    ('{"person": "p9", ', "(json)"),
])
def test_a_malformed_line_names_its_line_and_field(write_jsonl, tmp_path, line, field):
    good = {"person": "p1", "needs": [{"id": "n1", "text": "walk my dog"}]}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        read_profiles(path)
    assert caught.value.line == 3 and caught.value.field == field
    out = tmp_path / "matches.jsonl"
    result = CliRunner().invoke(match_command, [str(path), "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "line 3" in result.stderr and field in result.stderr
    assert not out.exists()


def test_the_command_writes_one_line_per_need(write_jsonl, tmp_path):
    n1, n2 = need("Could someone walk my dog?"), need("I need help with my tax return forms")
    path = write_jsonl([person([n1]), person([n2]), person([], [offer("Dog walker")])])
    out = tmp_path / "matches.jsonl"
    result = CliRunner().invoke(match_command, [str(path), "--out", str(out), "--top", "3"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["need"] for line in lines] == [n1["id"], n2["id"]]
    assert lines[0]["capability"] and lines[0]["candidates"][0]["capability"] == lines[0]["capability"]
    assert lines[1]["capability"] is None and lines[1]["reasons"]
    assert result.stderr == ""


def test_an_existing_output_survives_a_failed_run(tmp_path):
    bad, out = tmp_path / "bad.jsonl", tmp_path / "matches.jsonl"
    bad.write_text('{"person": 7}\n', encoding="utf-8")
    out.write_text("previous results\n", encoding="utf-8")
    assert CliRunner().invoke(match_command, [str(bad), "--out", str(out)]).exit_code == 1
    assert out.read_text(encoding="utf-8") == "previous results\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("args", [[], ["x.jsonl"], ["--top", "0"], ["missing.jsonl", "--out", "o.jsonl"]])
def test_wrong_usage_exits_2(tmp_path, write_jsonl, args):
    path = write_jsonl([person()])
    if args[:1] == ["--top"]:
        args = [str(path), "--out", str(tmp_path / "o.jsonl")] + args
    assert CliRunner().invoke(match_command, args).exit_code == 2


def _cap(**fields):
    return json.dumps({"person": "p9", "capabilities": [{"id": "c9", "text": "x", **fields}]})


@pytest.mark.parametrize("line, field", [
    ('{"person": "p9", "availability": [["mon-am"]]}', "availability[0]"),
    (_cap(capacity=10**30 - 1), "capabilities[0].capacity"),
    ('{"person": "p9", "capabilities": [{"id": "c9", "text": "x", "capacity": ' + "9" * 4301 + "}]}", "(json)"),
    ('{"person": "p9", "capabilities": [{"id": "c9", "text": "x", "capacity": NaN}]}', "(json)"),
    ('{"person": "p9", "capabilities": [{"id": "c9", "text": "x", "max_km": Infinity}]}', "(json)"),
    ('{"person": "p9", "location": [1' + "0" * 400 + ', 3]}', "location"),
    ('{"person": "p9", "area": ' + "[" * 1000 + "]" * 1000 + "}", "(json)"),
    ('{"person": "p9", "area": ' + "[" * 100_000 + "]" * 100_000 + "}", "(json)"),
    ('{"person": "p9", "needs": [{"id": "n9", "text": "' + "x" * (1024 * 1024) + '"}]}', "(line)"),
])
def test_an_absurd_line_gets_one_line_and_exit_1_never_a_traceback(tmp_path, line, field):
    good = {"person": "p1", "needs": [{"id": "n1", "text": "walk my dog"}]}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        read_profiles(path)
    assert caught.value.line == 3 and caught.value.field == field
    out = tmp_path / "matches.jsonl"
    result = CliRunner().invoke(match_command, [str(path), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and "line 3" in result.stderr and len(result.stderr) < 300
    assert not out.exists()


def test_out_the_same_file_as_the_profiles_is_refused_before_anything_is_read(tmp_path, write_jsonl):
    path = write_jsonl([person()])
    before = path.read_bytes()
    link = tmp_path / "link.jsonl"
    link.symlink_to(path)
    for out in (path, link):
        result = CliRunner().invoke(match_command, [str(path), "--out", str(out)])
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
        assert "same file" in result.stderr
        assert path.read_bytes() == before
