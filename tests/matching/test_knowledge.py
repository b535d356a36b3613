"""Knowledge as data: the shipped TOML files, one clear error for a bad one, and a
bank's own services extending or replacing the shipped list."""
from __future__ import annotations

import shutil

import pytest

from matching.knowledge import DATA_DIR, Knowledge, KnowledgeError, Service, load_knowledge, read_knowledge


def test_the_shipped_knowledge_has_42_services_with_names_words_and_examples():
    knowledge = load_knowledge()
    assert len(knowledge.services) == 42
    assert len(set(knowledge.ids)) == 42
    assert knowledge.by_id["pet_care"].name == "Dog walking and pet care"
    assert all(s.name and s.description and s.words for s in knowledge.services)
    assert {"first_set", "wider_set", "blind_set", "development_set"} <= set(knowledge.sources)
    assert "Lost my husband in the spring." in knowledge.about_the_person
    assert load_knowledge() is knowledge, "parsed once"


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.npz"))
    return target


def _line_with(path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_a_toml_syntax_error_names_the_file_and_the_line(data_copy):
    path = data_copy / "services.toml"
    text = path.read_text(encoding="utf-8").replace('name = "Collecting prescriptions"',
                                                    'name = "Collecting prescriptions', 1)
    path.write_text(text, encoding="utf-8")
    line = _line_with(path, 'name = "Collecting prescriptions')
    with pytest.raises(KnowledgeError) as error:
        read_knowledge(data_copy)
    assert str(path) in str(error.value) and f"line {line}" in str(error.value)


def test_a_service_without_a_name_names_the_file_and_the_line_of_its_table(data_copy):
    path = data_copy / "services.toml"
    text = path.read_text(encoding="utf-8").replace('name = "Collecting prescriptions"\n', "", 1)
    path.write_text(text, encoding="utf-8")
    line = _line_with(path, 'id = "prescriptions"') - 1  # its [[service]] header
    with pytest.raises(KnowledgeError, match=rf"services\.toml, line {line}: a service needs a non-empty name"):
        read_knowledge(data_copy)


def test_an_example_of_an_unknown_service_names_the_file_and_the_line(data_copy):
    path = data_copy / "examples" / "first_set.toml"
    text = path.read_text(encoding="utf-8").replace('service = "shopping"', 'service = "shoping"', 1)
    path.write_text(text, encoding="utf-8")
    line = _line_with(path, 'service = "shoping"') - 2
    with pytest.raises(KnowledgeError, match=rf"first_set\.toml, line {line}: unknown service 'shoping'"):
        read_knowledge(data_copy)


def test_a_bank_extends_a_shipped_service_and_adds_its_own():
    shipped = load_knowledge()
    bank = [Service("shopping", "Messages and errands", examples=("get my messages in",)),
            Service("repair_cafe", "Repair café", "Mending things together", ("repair cafe",), ("fix my lamp",))]
    extended = shipped.extended(bank)
    assert len(extended.services) == 43
    assert extended.ids[-1] == "repair_cafe"
    shopping = extended.by_id["shopping"]
    assert shopping.name == "Messages and errands"
    assert "get my messages in" in shopping.examples and shipped.by_id["shopping"].words[0] in shopping.words
    assert len(shipped.services) == 42, "the shipped knowledge is unchanged"


def test_a_bank_replaces_the_shipped_list():
    replaced = load_knowledge().extended([Service("lifts", "Car rides"), Service("knitting", "Knitting circle")],
                                         replace=True)
    assert replaced.ids == ("lifts", "knitting")
    assert replaced.by_id["lifts"].name == "Car rides" and replaced.by_id["lifts"].words
    assert all(label in {"lifts", "knitting"} for _, label in replaced.labelled())


def test_two_services_with_one_id_are_refused():
    with pytest.raises(KnowledgeError, match="unique"):
        Knowledge((Service("a", "A"), Service("a", "B")))
