"""The quick select writes exactly what WTForms' own select writes, only faster."""
from __future__ import annotations

from markupsafe import Markup
from wtforms import Form, SelectChoice, SelectField

from timebank.web.widgets import QuickSelect, quick_select


class _Picker(Form):
    member = SelectField(coerce=str, choices=[SelectChoice(value, label) for value, label in (
        ("", "Choose a member"), ("5", 'Ann "Nan" O\'Neil <Leith> & Co'), ("7", "Bob"),
        ("9", Markup("<b>safe</b>")), ("11", ""))])


def test_the_quick_select_writes_the_same_html_as_wtforms():
    form = _Picker(data={"member": "5"})
    expected = form.member()

    quick_select(form.member)

    assert isinstance(form.member.widget, QuickSelect)
    assert form.member() == expected
    assert '<option selected value="5">Ann &#34;Nan&#34; O&#39;Neil &lt;Leith&gt; &amp; Co</option>' in form.member()
