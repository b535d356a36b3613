"""`timebank check`: each invariant is named after the one code it reports."""
import ast
import inspect
import textwrap

import pytest

from timebank.services.checks import INVARIANTS


def _codes(function) -> set[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem"}


@pytest.mark.parametrize("invariant", INVARIANTS, ids=lambda f: f.__name__)
def test_an_invariant_reports_only_the_code_it_is_named_after(invariant):
    assert _codes(invariant) == {invariant.__name__}
