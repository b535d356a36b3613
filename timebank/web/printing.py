"""Paper for members without a computer: a statement, or the current offers, as a PDF.

Made by fpdf2 (pure Python) with DejaVu Sans, the font matplotlib already ships with
its wheel (its licence is beside it there), so the PDF needs no network and no system
fonts, and prints Siobhán, Zoë and فاطمة alike; uharfbuzz joins the Arabic letters.
Large type (14 pt, headings 20 pt), because the reader may be eighty.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from functools import cache

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from timebank.web.words import day, hours, period_words, ring_your_coordinator, statement_label, statement_questions

__all__ = ["statement_pdf", "offers_pdf"]

FONT = "DejaVu"
BODY_PT, HEADING_PT = 14, 20


@cache
def _font_folder() -> str:
    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf")


def _shaping_available() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:  # the PDF still prints; Arabic letters then stand unjoined
        return False
    return True


def needs_shaping(texts: Iterable[str | None]) -> bool:
    """Whether any text is in a script whose letters join or run right to left (Hebrew,
    Arabic and the scripts after them): shaping costs about a third of a PDF's time, so
    Latin-only paper goes without it."""
    return any(ord(c) >= 0x0590 and not 0x2000 <= ord(c) < 0x2070 for text in texts if text for c in text)


class _Paper(FPDF):
    """An A4 page with the name, the title and the day printed at the top of each sheet."""

    def __init__(self, *, title: str, for_whom: str, printed_on: dt.date, bank_name: str, shaping: bool):
        super().__init__(format="A4")
        self._title, self._for_whom = title, for_whom
        self._printed = f"{bank_name}. Printed on {day(printed_on)}."
        self.add_font(FONT, "", os.path.join(_font_folder(), "DejaVuSans.ttf"))
        self.add_font(FONT, "B", os.path.join(_font_folder(), "DejaVuSans-Bold.ttf"))
        if shaping and _shaping_available():
            self.set_text_shaping(True)
        self.set_title(f"{title}: {for_whom}")
        self.set_creator(bank_name)
        self.set_auto_page_break(True, margin=18)
        self.add_page()

    def header(self):
        self.set_font(FONT, "B", HEADING_PT)
        self.multi_cell(0, 10, f"{self._title}: {self._for_whom}", new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", BODY_PT - 2)
        self.multi_cell(0, 7, self._printed, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_font(FONT, "", BODY_PT)

    def footer(self):
        self.set_y(-14)
        self.set_font(FONT, "", BODY_PT - 4)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    def say(self, text: str, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", BODY_PT)
        self.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    def rows(self, heading: Sequence[str], body: Iterable[Sequence[str]], widths: Sequence[int],
             right: Sequence[int] = ()) -> None:
        self.set_font(FONT, "", BODY_PT - 1)
        with self.table(col_widths=widths, headings_style=FontFace(emphasis="BOLD"),
                        line_height=7, first_row_as_headings=True,
                        text_align=tuple("RIGHT" if i in right else "LEFT" for i in range(len(widths)))) as table:
            for values in [heading, *body]:
                row = table.row()
                for value in values:
                    row.cell(value)

    def bytes(self) -> bytes:
        return bytes(self.output())


def statement_pdf(statement, *, bank_name: str, printed_on: dt.date, categories: dict[str, str],
                  newest_first: bool = False, contact_phone: str | None = None) -> bytes:
    """A member's statement for a period (a `PeriodStatement`) as a PDF; the bank's
    `contact_phone`, when it has one, under it."""
    lines = statement.newest_first if newest_first else statement.lines
    texts = [statement.member_name, bank_name] + [t for line in lines for t in
                                                  (line.counterparty, what_words(line, categories))]
    paper = _Paper(title="Statement", for_whom=statement.member_name, printed_on=printed_on,
                   bank_name=bank_name, shaping=needs_shaping(texts))
    paper.say(f"From {period_words(statement.start, statement.end)}.")
    paper.say(f"Balance at the start: {hours(statement.opening_minutes, signed=True)}", bold=True)
    paper.ln(2)
    if lines:
        paper.rows(("Day", "With", "What", "Hours", "Balance after"),
                   ((day(line.given_on), line.counterparty, what_words(line, categories),
                     hours(line.amount_minutes, signed=True), hours(line.balance_minutes, signed=True))
                    for line in lines),
                   widths=(30, 32, 58, 20, 26), right=(3, 4))
    else:
        paper.say("Nothing was given or received in this period.")
    paper.ln(2)
    paper.say(f"Balance at the end: {hours(statement.closing_minutes, signed=True)}", bold=True)
    if contact_phone:
        paper.ln(2)
        paper.say(statement_questions(contact_phone))
    return paper.bytes()


def offers_pdf(offers, *, for_whom: str, bank_name: str, printed_on: dt.date,
               contact_phone: str | None = None) -> bytes:
    """The bank's current offers, as a PDF to post to a member: ringing the coordinator
    asks for one (on the bank's `contact_phone`, when it has one)."""
    texts = [for_whom, bank_name] + [t for o in offers for t in (o.category_name, o.description, o.member_name,
                                                                 o.area)]
    paper = _Paper(title="Offers of help", for_whom=for_whom, printed_on=printed_on, bank_name=bank_name,
                   shaping=needs_shaping(texts))
    paper.say(f"Members of the time bank offer these. {ring_your_coordinator(contact_phone, capital=True)} "
              "to ask for one.")
    paper.ln(2)
    if offers:
        paper.rows(("Kind of help", "Offer", "From", "Area"),
                   ((o.category_name or "Other", o.description, o.member_name, o.area or "")
                    for o in offers),
                   widths=(40, 76, 40, 30))
    else:
        paper.say("There are no offers at the moment.")
    return paper.bytes()


def what_words(line, categories: dict[str, str]) -> str:
    """What a statement line was for, as the statement page says it."""
    label = statement_label(line.kind, line.state)
    parts = [p for p in (label, categories.get(line.category, line.category) if line.category else None,
                         line.description) if p]
    why = f" (why: {line.reason})" if line.kind in ("reversal", "grant") and line.reason else ""
    return ": ".join(parts) + why
