"""The organisation view and its report over many unit assessments.

Run by hand: `.venv/bin/python benchmarks/bench_organisation.py [--units N] [--hazards N] [--runs N]`.

Builds, from a seeded generator, N unit assessments (default 1,000) of a few
dozen hazards each (`--hazards`, default 20), with as many measures — about
one in five scoped across units or to the organisation, under shared ids — a
few incidents, and evaluations; writes each as JSON once; and times, median of
`--runs`, gc on:

  (a) json.loads of every unit's bytes: the floor for reading;
  (b) forsvarlig.loads of the same bytes;
  (c) risk_register of every unit, one by one: what the view must do at least;
  (d) organisation_view over all units;
  (e) organisation_report, Markdown (reviews every unit too);
  (f) organisation_report, HTML.
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
    Evaluation,
    Hazard,
    Incident,
    Measure,
    MeasureKind,
    MeasureScope,
    MeasureStatus,
    Participant,
    Participation,
    PreventionLevel,
    RiskAssessment,
    RiskEstimate,
    Role,
    Step,
    default_catalogue,
    dumps,
    loads,
    organisation_report,
    organisation_view,
    risk_register,
)
from forsvarlig.assessment import Involvement
from forsvarlig.evaluation import EffectAchieved

FACTORS = [
    "fv.workload",
    "fv.emotional-demands",
    "fv.support",
    "fv.unclear-demands",
    "fv.violence-threats",
    "fv.harassment",
    "fv.lone-work",
    "fv.organisational-change",
]
SHARED = ["staffing-model", "alarm-system", "violence-training", "allocation-criteria", "leader-programme"]


def build(units: int, per_unit: int) -> list[RiskAssessment]:
    rng = random.Random(2026)  # noqa: S311 - seeded data, not secrets
    frequency = ["rarely", "monthly-yearly", "weekly", "daily"]
    consequence = ["complaints", "injury-illness", "disability-death"]

    def estimate() -> RiskEstimate:
        return RiskEstimate(
            levels={"frequency": rng.choice(frequency), "consequence": rng.choice(consequence)}
        )

    steps = tuple(Participation(step=s, how=Involvement.DECIDED_TOGETHER) for s in Step)
    out = []
    for u in range(units):
        hazards = tuple(
            Hazard(
                id=f"h{i}",
                title=f"Hazard {i}",
                factors=tuple(rng.sample(FACTORS, 2)),
                current=estimate(),
                residual=estimate(),
            )
            for i in range(per_unit)
        )
        measures = []
        for i in range(per_unit):
            shared = rng.random() < 0.2
            measures.append(
                Measure(
                    id=rng.choice(SHARED) if shared else f"m{i}",
                    what="Shared measure" if shared else "Plan the week together",
                    hazards=(f"h{i}",),
                    target="fv.organisation",
                    prevention=PreventionLevel.PRIMARY,
                    kind=MeasureKind.REMOVE,
                    owner="leader",
                    due=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(540)),
                    status=rng.choice(list(MeasureStatus)),
                    scope=rng.choice([MeasureScope.ACROSS_UNITS, MeasureScope.ORGANISATION])
                    if shared
                    else MeasureScope.UNIT,
                )
            )
        # A shared id appears once per unit.
        seen: set[str] = set()
        unique = []
        for m in measures:
            if m.id in seen:
                continue
            seen.add(m.id)
            unique.append(m)
        done = [m for m in unique if m.status is MeasureStatus.DONE]
        evaluations = tuple(
            Evaluation(
                measure=m.id,
                on=dt.date(2026, 6, 1),
                implemented=True,
                effect=EffectAchieved.PARTLY,
                estimate=estimate(),
                next_follow_up=dt.date(2026, 10, 1),
            )
            for m in done
        )
        incidents = tuple(
            Incident(
                id=f"x{i}",
                date=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                factor="fv.violence-threats",
                followed_up=True,
            )
            for i in range(rng.randrange(6))
        )
        out.append(
            RiskAssessment(
                unit=f"Unit {u:04d}",
                date=dt.date(2026, 3, 2),
                method="fv.talk-matrix",
                catalogue={"fv": "0.1.0"},
                methods={"fv.talk-matrix": 1},
                participants=(
                    Participant(
                        id="vo", role=Role.SAFETY_REPRESENTATIVE, reference="e-1", participation=steps
                    ),
                ),
                hazards=hazards,
                measures=tuple(unique),
                evaluations=evaluations,
                incidents=incidents,
                next_review=dt.date(2027, 3, 1),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1_000)
    parser.add_argument("--hazards", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cat = default_catalogue()
    on = dt.date(2026, 11, 26)
    units = build(args.units, args.hazards)
    raws = [dumps(a, format="json", indent=None).encode() for a in units]
    assert [loads(r, format="json") for r in raws[:5]] == units[:5]
    cases = {
        "(a) json.loads, every unit": lambda: [json.loads(r) for r in raws],
        "(b) forsvarlig.loads, every unit": lambda: [loads(r, format="json") for r in raws],
        "(c) risk_register, every unit": lambda: [risk_register(a, cat) for a in units],
        "(d) organisation_view": lambda: organisation_view(units, cat, on=on),
        "(e) organisation_report (md)": lambda: organisation_report(units, cat, format="md", on=on),
        "(f) organisation_report (html)": lambda: organisation_report(units, cat, on=on),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, fn in cases.items():
            gc.collect()
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    view = organisation_view(units, cat, on=on)
    print(
        f"{args.units:,} units of {args.hazards} hazards ({sum(len(a.hazards) for a in units):,} in all,"
        f" {sum(len(a.measures) for a in units):,} measures, {len(view.shared)} shared,"
        f" {len(view.recurring)} recurring factors, {len(view.lagging):,} lagging units),"
        f" {sum(map(len, raws)) / 1e6:.1f} MB of JSON; median of {args.runs}, gc on"
    )
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    for name, median in medians.items():
        print(f"  {name:<36}{median * 1e3:9.1f} ms")
    print(f"  (d)/(c) = {medians['(d) organisation_view'] / medians['(c) risk_register, every unit']:.2f}")


if __name__ == "__main__":
    main()
