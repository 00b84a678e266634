"""Loading, resolving and reviewing a large assessment made of the real types.

Run by hand: `.venv/bin/python benchmarks/bench_assessment.py [--hazards N [N ...]] [--runs N]`
(`--hazards 10000 100000` also prints each case's ratio between the sizes).

Builds, from a seeded generator, an assessment of N hazards (each with two
pieces of evidence and current and residual estimates on `fv.talk-matrix`),
N measures and N/10 incidents, writes it as JSON once, and times, median of
`--runs`, gc on:

  (a) json.loads of the bytes: the floor for reading;
  (b) forsvarlig.loads of the same bytes (strict reading into the real types);
  (c) resolve (every catalogue id and level checked);
  (d) review with every built-in rule (it scores every hazard);
  (e) forsvarlig.dumps to JSON;
  (f) the HTML report (which reviews again);
  (g) incident statistics per quarter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import statistics
import time

from forsvarlig import (
    Evidence,
    EvidenceKind,
    Hazard,
    Incident,
    Measure,
    MeasureKind,
    Participant,
    Participation,
    PreventionLevel,
    RiskAssessment,
    RiskEstimate,
    Role,
    Step,
    assessment_report,
    default_catalogue,
    dumps,
    incident_statistics,
    loads,
    resolve,
    review,
)
from forsvarlig.assessment import Involvement


def build(n: int) -> RiskAssessment:
    rng = random.Random(2026)  # noqa: S311 - seeded data, not secrets
    frequency = ["rarely", "monthly-yearly", "weekly", "daily"]
    consequence = ["complaints", "injury-illness", "disability-death"]
    factors = [
        "fv.workload",
        "fv.emotional-demands",
        "fv.support",
        "fv.unclear-demands",
        "fv.violence-threats",
    ]

    def estimate() -> RiskEstimate:
        return RiskEstimate(
            levels={"frequency": rng.choice(frequency), "consequence": rng.choice(consequence)},
            rationale="From the survey and the safety representative's notes",
            by="safety-representative",
            on=dt.date(2026, 2, 10),
        )

    hazards = tuple(
        Hazard(
            id=f"h{i}",
            title=f"Hazard {i}",
            factors=(rng.choice(factors),),
            evidence=(
                Evidence(kind=EvidenceKind.SURVEY, summary="Scored low", group_size=12),
                Evidence(kind=EvidenceKind.DEVIATION, summary="Reported twice", reference=f"A-{i}"),
            ),
            current=estimate(),
            residual=estimate(),
        )
        for i in range(n)
    )
    measures = tuple(
        Measure(
            id=f"m{i}",
            what="Plan the week together",
            hazards=(f"h{i}",),
            target="fv.organisation",
            prevention=PreventionLevel.PRIMARY,
            kind=MeasureKind.REMOVE,
            owner="leader",
            due=dt.date(2026, 6, 1),
        )
        for i in range(n)
    )
    incidents = tuple(
        Incident(
            id=f"x{i}",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365)),
            factor=rng.choice(["fv.violence-threats", "fv.harassment"]),
            severity=rng.choice(["less-serious", "serious", "very-serious"]),
            roles=("nurse",),
            followed_up=True,
        )
        for i in range(n // 10)
    )
    steps = tuple(Participation(step=s, how=Involvement.DECIDED_TOGETHER) for s in Step)
    return RiskAssessment(
        unit="Large unit",
        date=dt.date(2026, 3, 2),
        method="fv.talk-matrix",
        catalogue={"fv": "0.1.0"},
        methods={"fv.talk-matrix": 1},
        participants=(
            Participant(id="vo", role=Role.SAFETY_REPRESENTATIVE, reference="e-1", participation=steps),
        ),
        hazards=hazards,
        measures=measures,
        incidents=incidents,
    )


def measure(n: int, runs: int) -> dict[str, float]:
    """Time every case for an assessment of `n` hazards; return the medians."""
    cat = default_catalogue()
    assessment = build(n)
    text = dumps(assessment, format="json", indent=None)
    raw = text.encode()
    assert loads(raw, format="json") == assessment
    cases = {
        "(a) json.loads": lambda: json.loads(raw),
        "(b) forsvarlig.loads": lambda: loads(raw, format="json"),
        "(c) resolve": lambda: resolve(assessment, cat),
        "(d) review": lambda: review(assessment, cat, on=dt.date(2026, 4, 1)),
        "(e) forsvarlig.dumps (json)": lambda: dumps(assessment, format="json", indent=None),
        "(f) assessment_report (html)": lambda: assessment_report(assessment, cat, on=dt.date(2026, 4, 1)),
        "(g) incident_statistics": lambda: incident_statistics(assessment, cat, period="quarter"),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, fn in cases.items():
            gc.collect()
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    print(
        f"{n:,} hazards, {n:,} measures, {len(assessment.incidents):,} incidents,"
        f" {len(raw) / 1e6:.1f} MB of JSON; median of {runs}, gc on"
    )
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    for name, median in medians.items():
        print(f"  {name:<30}{median * 1e3:9.1f} ms")
    print(f"  (b)/(a) = {medians['(b) forsvarlig.loads'] / medians['(a) json.loads']:.2f}")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, nargs="+", default=[10_000], help="one size or more")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = {n: measure(n, args.runs) for n in args.hazards}
    if len(results) > 1:
        small, large = min(results), max(results)
        for name in results[small]:
            ratio = results[large][name] / results[small][name]
            print(f"  {name}: {large:,} / {small:,} = {ratio:.1f} x")


if __name__ == "__main__":
    main()
