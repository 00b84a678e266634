"""Notebook views: `_repr_html_` on the types a notebook user looks at, and `view` in a chosen language."""

import datetime as dt
import html
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings

from forsvarlig import ForsvarligError, RiskEstimate, default_catalogue, load, review, view
from forsvarlig.testing import risk_matrices, scales

CAT = default_catalogue()
ON = dt.date(2026, 11, 26)
HOME_CARE = load(Path(__file__).parent.parent / "examples" / "home-care.yaml")


class _Cells(HTMLParser):
    """The text of every table cell, in order."""

    def __init__(self):
        super().__init__()
        self.cells, self._in = [], False

    def handle_starttag(self, tag, attrs):
        if tag in {"td", "th"}:
            self._in = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag in {"td", "th"}:
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.cells[-1] += data


def cells(page):
    parser = _Cells()
    parser.feed(page)
    return parser.cells


@pytest.mark.parametrize(
    "value",
    [CAT.scale("fv.talk-frequency"), CAT.matrix("fv.talk-frequency-by-consequence"), CAT],
    ids=["scale", "matrix", "catalogue"],
)
def test_repr_html_is_the_english_view(value):
    assert value._repr_html_() == view(value).html
    assert view(value, lang="nb").html != view(value).html


def test_scale_view():
    page = view(CAT.scale("fv.talk-frequency"), lang="nb").html
    assert [c for c in cells(page) if c in {"Daglig", "150–1000/år"}] == ["Daglig", "150–1000/år"]


def test_matrix_view_counts_estimates():
    m = CAT.matrix("fv.talk-frequency-by-consequence")
    estimates = [
        RiskEstimate(levels={"frequency": "daily", "consequence": "complaints"}),
        RiskEstimate(levels={"frequency": "daily", "consequence": "complaints"}),
        {"frequency": "rarely", "consequence": "disability-death"},
        {"likelihood": "likely"},  # not on this matrix: not counted
    ]
    page = view(m, estimates=estimates).html
    import re

    numbers = re.findall(r"<b>(\d+)</b>", page)
    assert sorted(numbers) == ["1", "2"]
    assert page.count("<b></b>") == len(m.rows) * len(m.columns) - 2
    assert page.count("<td style=") == len(m.rows) * len(m.columns)


def test_assessment_view_is_its_register():
    page = view(HOME_CARE, lang="nb", on=ON).html
    for hazard in HOME_CARE.hazards:
        assert html.escape(hazard.title) in page
    assert "Høy" in page
    assert HOME_CARE._repr_html_().count("<tr>") == page.count("<tr>")


def test_findings_view():
    findings = review(HOME_CARE, CAT, on=ON)
    page = view(findings, lang="nb").html
    assert all(html.escape(f.message.get("nb")) in page for f in findings)
    assert "ingenting" in view((), lang="nb").html


def test_no_view_of_other_things():
    with pytest.raises(ForsvarligError, match="no view of int"):
        view(3)
    with pytest.raises(ForsvarligError, match="language"):
        view(CAT, lang="de")


def test_a_view_prints_as_html():
    v = view(CAT.scale("fv.talk-frequency"))
    assert str(v) == v.html == v._repr_html_()
    assert repr(v).startswith("<View of ")


@settings(max_examples=30, deadline=None)
@given(scales())
def test_any_scale_renders_escaped(scale):
    page = view(scale, lang="en").html
    parser = HTMLParser()
    parser.feed(page)
    for level in scale.levels:
        assert html.escape(level.label.get("en")) in page


@settings(max_examples=30, deadline=None)
@given(risk_matrices())
def test_any_matrix_renders_every_cell(matrix):
    page = view(matrix).html
    assert page.count("<td style=") == len(matrix.rows) * len(matrix.columns)


def test_the_example_notebook_runs(monkeypatch):
    """docs/notebook.ipynb runs top to bottom, and the value each cell ends with displays as HTML or an image."""
    import ast
    import json

    notebook = json.loads(
        (Path(__file__).parent.parent / "docs" / "notebook.ipynb").read_text(encoding="utf-8")
    )
    assert notebook["nbformat"] == 4
    monkeypatch.chdir(Path(__file__).parent.parent / "docs")
    namespace: dict = {}
    shown = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        assert cell["outputs"] == [], "the notebook is kept without outputs"
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)  # noqa: S307
            shown.append(value)
    for value in shown:
        if hasattr(value, "savefig"):  # a matplotlib figure: Jupyter shows it as an image
            from io import BytesIO

            out = BytesIO()
            value.savefig(out, format="png")
            assert out.getvalue().startswith(b"\x89PNG")
        elif hasattr(value, "_repr_html_"):
            assert value._repr_html_()
        else:
            assert isinstance(value, list)
            assert value
    assert len(shown) == 8


def test_findings_show_themselves():
    """What review returns is a tuple that shows itself, and gives records for pandas."""
    findings = review(HOME_CARE, CAT, on=ON)
    assert isinstance(findings, tuple)
    assert findings == tuple(findings)
    assert findings._repr_html_() == view(findings).html
    records = findings.records()
    assert [r["code"] for r in records] == [f.code for f in findings]
    assert set(records[0]) == {"code", "severity", "path", "message_nb", "message_en"}
    assert findings.errors == ()
    assert repr(findings) == repr(tuple(findings))
