"""The reports' charts, drawn on the server as SVG with matplotlib, and kept per process.

Served from their own address for an <img>: the Content-Security-Policy forbids inline
styles, which an inline SVG would need.
"""
from __future__ import annotations

import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import astuple, dataclass

import networkx as nx
from markupsafe import Markup

from timebank.domain.hours import format_minutes
from timebank.services.reports import ActivityReport, FundersReport, NetworkReport

__all__ = [
    "ChartCache",
    "charts",
    "chart_digest",
    "activity_chart_svg",
    "network_chart_names",
    "network_chart_svg",
    "NetworkDrawing",
    "drawing_digest",
    "network_drawing",
    "funders_chart_svg",
    "NAMES_ON_NETWORK",
]

# More names than this on one drawing overlap and cannot be read; the most connected
# members are named, and the table beside the chart names everyone.
NAMES_ON_NETWORK = 12


class ChartCache:
    """Rendered charts (SVG bytes) by key, the least recently used dropped past `size`.

    Per process: with several workers each keeps its own and draws a chart once for
    itself, which is correct, only a little slower. The key holds the bank, the report,
    the period and a digest of the figures drawn, so a change to the ledger that changes
    a chart changes its key; only bytes are kept, never rows.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self.renders = 0  # how many charts this process has drawn (tests read it)
        self._charts: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: tuple) -> bool:
        return key in self._charts

    def get_or_render(self, key: tuple, render: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._charts:
                self._charts.move_to_end(key)
                return self._charts[key]
            # Drawn under the lock: matplotlib's shared settings are not thread-safe, and
            # two requests for one missing chart then draw it once.
            svg = render()
            self.renders += 1
            self._charts[key] = svg
            while len(self._charts) > self.size:
                self._charts.popitem(last=False)
            return svg

    def clear(self) -> None:
        with self._lock:
            self._charts.clear()


charts = ChartCache()


def chart_digest(report: ActivityReport | NetworkReport | FundersReport) -> str:
    """A digest of everything a report's chart draws, for a cache key.

    Taken from the figures themselves rather than from counters of the ledger, so that
    whatever changes the drawing changes the key: a new or reversed exchange, a pending
    one confirmed, a member renamed, suspended or newly joined.
    """
    if isinstance(report, NetworkReport):
        parts = [astuple(m) for m in report.members] + [astuple(link) for link in report.links]
    elif isinstance(report, ActivityReport):
        parts = [astuple(m) for m in report.months]
    else:
        parts = [astuple(report.outcomes), report.minutes, report.matches_made]
    return hashlib.sha256(repr((report.bank_name, report.period, parts)).encode()).hexdigest()


def _figure(width_inches: float, height_inches: float):
    """A matplotlib figure drawn off-screen, without pyplot's shared state."""
    # Imported here, not at the top: matplotlib costs about half a second to import and
    # most requests never draw.
    import matplotlib

    matplotlib.use("Agg")  # no display; networkx's drawing imports pyplot
    matplotlib.rcParams["svg.hashsalt"] = "timebank"  # the same figures give the same bytes
    # Labels are people's names, drawn as typed: "Bits $\foo$ Ltd" is not maths to lay out
    # (an unknown symbol would fail the chart), and nothing in a label runs TeX.
    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["text.usetex"] = False
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width_inches, height_inches))
    return figure, figure.subplots()


_SVG_SIZE = re.compile(rb'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"')


def _svg(figure) -> bytes:
    """The figure as SVG that scales to the width it is given (its viewBox is kept)."""
    out = io.BytesIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    # Without a fixed width and height an <img> of it fits a 320-pixel screen, with no CSS.
    return _SVG_SIZE.sub(rb"\1", out.getvalue(), count=1)


def activity_chart_svg(report: ActivityReport) -> bytes:
    """Hours exchanged per month, as a bar chart in SVG."""
    figure, axes = _figure(8, 3.6)
    labels = [f"{m.month:%b %Y}" if len(report.months) <= 24 else f"{m.month:%m/%y}" for m in report.months]
    axes.bar(range(len(labels)), [m.minutes / 60 for m in report.months], color="#1d70b8")
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    axes.set_ylabel("Hours")
    axes.set_title("Hours exchanged per month")
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def network_chart_names(graph: nx.Graph) -> dict:
    """The members named on the chart: the most connected, by how many others they
    exchanged with, then by name."""
    ranked = sorted(graph.nodes(data=True), key=lambda item: (-graph.degree(item[0]), item[1]["name"]))
    return {node: data["name"] for node, data in ranked[:NAMES_ON_NETWORK]}


def network_chart_svg(report: NetworkReport, seed: int = 7) -> bytes:
    """Who helped whom: members as dots, a line for each pair who exchanged (SVG)."""
    graph = report.graph
    figure, axes = _figure(8, 6)
    axes.set_axis_off()
    axes.set_title("Who helped whom")
    if graph.number_of_nodes():
        # Unweighted, and spread out: a heavy link would pull two names on top of each other.
        spread = 2.5 / max(graph.number_of_nodes(), 1) ** 0.5
        position = nx.spring_layout(graph, seed=seed, weight=None, k=spread)
        heaviest = max((d["minutes"] for _, _, d in graph.edges(data=True)), default=1)
        nx.draw_networkx_edges(graph, position, ax=axes, edge_color="#505a5f",
                               width=[0.8 + 3 * d["minutes"] / heaviest for _, _, d in graph.edges(data=True)])
        nx.draw_networkx_nodes(graph, position, ax=axes, node_size=120,
                               node_color=["#1d70b8" if graph.degree(n) else "#d4351c" for n in graph.nodes])
        named = network_chart_names(graph)
        above = {n: (x, y + 0.06) for n, (x, y) in position.items() if n in named}
        nx.draw_networkx_labels(graph, above, ax=axes, font_size=10, labels=named,
                                verticalalignment="bottom")
        axes.margins(0.12)
    return _svg(figure)


# The page's own drawing: at most this many members with no links are drawn (all are
# listed below it), so a big bank's drawing stays a few hundred elements.
NO_LINKS_DRAWN = 40
NAMED_IN_DRAWING = 6
_WIDTH, _HEIGHT, _MARGIN = 800, 600, 40


@dataclass(frozen=True)
class NetworkDrawing:
    """The network drawn in the page, as SVG markup: each member a dot that says its
    name, links and hours on hover (its <title>) and on keyboard focus (its label shows),
    the most connected named throughout. `members` are the members drawn, for the table
    that says the same in words."""

    svg: Markup
    members: tuple
    links_drawn: int
    no_links_left_out: int


def drawing_digest(report: NetworkReport, *, links_drawn: int) -> str:
    """A digest of what `network_drawing` draws, for its cache key: the links drawn and
    the members, not every link (`chart_digest` of a big bank's year of 45,000 links took
    400 ms a page)."""
    return hashlib.sha256(repr((report.bank_name, report.period, report.links[:links_drawn],
                                report.members)).encode()).hexdigest()


def network_drawing(report: NetworkReport, *, links_drawn: int, seed: int = 7) -> NetworkDrawing:
    """The `links_drawn` links with most hours and their members, and members with no
    links (up to NO_LINKS_DRAWN), laid out as the image chart is.

    Written inline, not as an <img>: a picture's titles cannot be hovered or focused. It
    uses SVG's presentation attributes only (the Content-Security-Policy forbids inline
    styles); showing a name on focus is the stylesheet's work.
    """
    links = report.links[:links_drawn]
    by_id = {m.member_id: m for m in report.members}
    lonely = [m for m in report.members if m.links == 0]
    drawn_ids = list(dict.fromkeys([i for link in links for i in (link.member_a_id, link.member_b_id)]
                                   + [m.member_id for m in lonely[:NO_LINKS_DRAWN]]))
    graph = nx.Graph()
    graph.add_nodes_from((i, {"name": by_id[i].name}) for i in drawn_ids if i in by_id)
    graph.add_edges_from((link.member_a_id, link.member_b_id, {"minutes": link.minutes}) for link in links)
    # Fewer names than on the picture: every other name is a hover or a Tab away.
    named = dict(list(network_chart_names(graph).items())[:NAMED_IN_DRAWING])
    parts = [Markup('<svg class="network" viewBox="0 0 {} {}" width="100%" role="group" '
                    'aria-label="Who helped whom: a drawing, said in the table below it">').format(_WIDTH, _HEIGHT)]
    if graph.number_of_nodes():
        spread = 2.5 / graph.number_of_nodes() ** 0.5
        placed = nx.spring_layout(graph, seed=seed, weight=None, k=spread)
        xs, ys = [x for x, _ in placed.values()], [y for _, y in placed.values()]

        def at(node) -> tuple[int, int]:
            x, y = placed[node]
            span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
            return (round(_MARGIN + (x - min(xs)) / span_x * (_WIDTH - 2 * _MARGIN)),
                    round(_MARGIN + (max(ys) - y) / span_y * (_HEIGHT - 2 * _MARGIN)))

        heaviest = max((link.minutes for link in links), default=1)
        parts.append(Markup('<g aria-hidden="true" stroke="#505a5f" pointer-events="none">'))
        for link in links:
            (x1, y1), (x2, y2) = at(link.member_a_id), at(link.member_b_id)
            parts.append(Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="{:.1f}"/>').format(
                x1, y1, x2, y2, 0.8 + 3 * link.minutes / heaviest))
        parts.append(Markup("</g>"))
        for node in graph.nodes:
            member, (x, y) = by_id[node], at(node)
            said = (f"{member.name}: {member.links} {'link' if member.links == 1 else 'links'}, "
                    f"{format_minutes(member.minutes)}" if member.links else f"{member.name}: no links")
            parts.append(Markup(
                '<g class="node{}" tabindex="0" role="img" aria-label="{}"><title>{}</title>'
                '<circle cx="{}" cy="{}" r="7" fill="{}" stroke="#fff" stroke-width="1.5"/>'
                '<text x="{}" y="{}" text-anchor="middle" font-size="15" fill="#0b0c0c" '
                'stroke="#fff" stroke-width="4" paint-order="stroke" aria-hidden="true">{}</text></g>').format(
                " named" if node in named else "", said, said, x, y,
                "#1d70b8" if member.links else "#d4351c", x, y - 12, member.name))
    parts.append(Markup("</svg>"))
    return NetworkDrawing(Markup("").join(parts), tuple(by_id[n] for n in graph.nodes),
                          len(links), max(0, len(lonely) - NO_LINKS_DRAWN))


def funders_chart_svg(report: FundersReport) -> bytes:
    """What difference the matches made, by the answers recorded from both sides (SVG)."""
    o = report.outcomes
    labels = ["A lot", "A little", "None", "Not sure"]
    figure, axes = _figure(8, 3.2)
    counts = [o.not_sure, o.none, o.a_little, o.a_lot]
    axes.barh(labels[::-1], counts, color="#00703c")
    axes.set_xlim(0, max(1, *counts))  # an empty chart still has a scale
    axes.set_xlabel("Answers")
    axes.set_title("Did the help make a difference?")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
