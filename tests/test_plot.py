"""Plots (the `plot` extra): the matrix heat map before and after measures, and risk by factor across units."""

from io import BytesIO
from pathlib import Path

import pytest

from forsvarlig import (
    ForsvarligError,
    Hazard,
    RiskAssessment,
    RiskEstimate,
    default_catalogue,
    load,
    risk_register,
)
from forsvarlig.plot import matrix_heatmap, risk_by_factor

CAT = default_catalogue()
EXAMPLES = Path(__file__).parent.parent / "examples"
ORG = [load(p) for p in sorted((EXAMPLES / "organisation").glob("*.yaml"))]


def numbers(ax):
    return sum(int(t.get_text()) for t in ax.texts)


def png(fig):
    out = BytesIO()
    fig.savefig(out, format="png", dpi=60)
    data = out.getvalue()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_heat_map_counts_every_hazard_once(path):
    doc = load(path)
    if not isinstance(doc, RiskAssessment):
        return
    rows = risk_register(doc, CAT)
    for method in doc.methods:
        fig = matrix_heatmap(doc, CAT, method=method, lang="nb")
        before, after = fig.axes
        assert before.get_title() == "Før tiltak"
        assert numbers(before) == sum(1 for r in rows if r.now is not None and r.now.method == method)
        assert numbers(after) == sum(1 for r in rows if r.after is not None and r.after.method == method)
        png(fig)


def test_heat_map_needs_two_dimensions():
    a = RiskAssessment(
        unit="Lab",
        date=ORG[0].date,
        method="fv.fine-kinney",
        catalogue={"fv": "0.1.0"},
        methods={"fv.fine-kinney": 1},
        hazards=(
            Hazard(
                id="h",
                title="Nights",
                factors=("fv.workload",),
                current=RiskEstimate(
                    levels={"probability": "unusual", "exposure": "daily", "consequence": "serious"}
                ),
            ),
        ),
    )
    with pytest.raises(ForsvarligError, match="3 dimensions"):
        matrix_heatmap(a, CAT)


def test_risk_by_factor():
    fig = risk_by_factor(ORG, CAT, lang="en")
    (ax,) = fig.axes
    units = [label.get_text().replace("\n", " ") for label in ax.get_xticklabels()]
    assert units == sorted(a.unit for a in ORG)
    # Every estimated hazard is counted once for each factor it concerns.
    expected = sum(len(r.factors) for a in ORG for r in risk_register(a, CAT) if r.now is not None)
    assert numbers(ax) == expected
    rows = [label.get_text().replace("\n", " ") for label in ax.get_yticklabels()]
    assert rows[0] in {"Emotional demands and strain in work with people", "Workload and time pressure"}
    png(fig)
