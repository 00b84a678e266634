"""Incident statistics: counts per factor and period, the frequency they suggest, and the rule that reads them."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forsvarlig import (
    ForsvarligError,
    Hazard,
    Incident,
    IncidentPeriod,
    RiskAssessment,
    RiskEstimate,
    default_catalogue,
    incident_statistics,
    review,
    suggested_level,
)

CAT = default_catalogue()
TALK = CAT.scale("fv.talk-frequency")


def assessment(incidents=(), hazards=(), **kw):
    base = {
        "unit": "Terminal",
        "date": dt.date(2026, 3, 2),
        "method": "fv.incident-matrix",
        "catalogue": {"fv": "0.1.0"},
        "methods": {"fv.incident-matrix": 1, "fv.talk-matrix": 1},
    }
    return RiskAssessment(**{**base, **kw}, incidents=tuple(incidents), hazards=tuple(hazards))


def threats(*days, factor="fv.violence-threats", severity=None):
    prefix = factor.split(".")[1]
    return [
        Incident(id=f"{prefix}{i}", date=day, factor=factor, severity=severity) for i, day in enumerate(days)
    ]


def hazard(frequency, *, factors=("fv.violence-threats",), hid="threats", method=None):
    return Hazard(
        id=hid,
        title="Threats at the counter",
        factors=factors,
        method=method,
        current=RiskEstimate(levels={"frequency": frequency, "severity": "serious"}),
    )


class TestSuggestedLevel:
    @pytest.mark.parametrize(
        ("rate", "level"),
        [
            (0.5, "rarely"),
            (1.0, "monthly-yearly"),  # a rate on a boundary belongs to the higher level
            (23.99, "monthly-yearly"),
            (24.0, "weekly"),
            (150.0, "daily"),
            (1e6, "daily"),  # past the top: the top level
        ],
    )
    def test_levels(self, rate, level):
        assert suggested_level(TALK, rate) == level

    def test_nothing_for_no_incidents_or_no_bounds(self):
        assert suggested_level(TALK, 0.0) is None
        assert suggested_level(CAT.scale("fv.at-frequency"), 12.0) is None

    @given(st.floats(0.001, 1e5), st.floats(0.001, 1e5))
    def test_monotone(self, a, b):
        """A higher rate never suggests a lower level."""
        lo, hi = sorted((a, b))
        assert TALK.rank(suggested_level(TALK, lo)) <= TALK.rank(suggested_level(TALK, hi))


class TestPeriods:
    @pytest.mark.parametrize(
        ("period", "day", "start", "name"),
        [
            ("year", dt.date(2026, 7, 9), dt.date(2026, 1, 1), "2026"),
            ("half", dt.date(2026, 7, 9), dt.date(2026, 7, 1), "2026-H2"),
            ("quarter", dt.date(2026, 5, 31), dt.date(2026, 4, 1), "2026-Q2"),
            ("month", dt.date(2026, 12, 31), dt.date(2026, 12, 1), "2026-12"),
        ],
    )
    def test_calendar(self, period, day, start, name):
        p = IncidentPeriod(period)
        assert p.start_of(day) == start
        assert p.name_of(start) == name
        after = p.after(start)
        assert after > day
        assert p.start_of(after - dt.timedelta(days=1)) == start

    @given(st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)), st.sampled_from(list(IncidentPeriod)))
    def test_every_day_is_in_its_period(self, day, period):
        start = period.start_of(day)
        assert start <= day < period.after(start)


class TestStatistics:
    def test_counts_per_year_and_comparison(self):
        a = assessment(
            threats(*(dt.date(2026, m, 3) for m in range(1, 13)), severity="serious")
            + threats(dt.date(2025, 6, 1), factor="fv.harassment"),
            [hazard("rarely")],
        )
        rows = incident_statistics(a, CAT)
        by = {(r.factor, r.period): r for r in rows}
        assert set(by) == {
            ("fv.harassment", "2025"),
            ("fv.harassment", "2026"),
            ("fv.violence-threats", "2025"),
            ("fv.violence-threats", "2026"),
        }
        row = by[("fv.violence-threats", "2026")]
        assert (row.count, row.suggested, row.estimated, row.below) == (12, "monthly-yearly", "rarely", True)
        assert row.severities == {"serious": 12}
        assert row.hazard == "threats"
        assert row.dimension == "frequency"
        assert row.scale == "fv.talk-frequency"
        quiet = by[("fv.violence-threats", "2025")]
        assert (quiet.count, quiet.suggested, quiet.below) == (0, None, False)
        # No hazard concerns harassment: compared on the default method's scale, with no estimate.
        alone = by[("fv.harassment", "2025")]
        assert (alone.hazard, alone.suggested, alone.estimated) == (None, "monthly-yearly", None)

    def test_an_estimate_at_or_above_the_bound_is_not_below(self):
        days = [dt.date(2026, 1, 1) + dt.timedelta(days=7 * i) for i in range(30)]
        for frequency, below in (("monthly-yearly", True), ("weekly", False), ("daily", False)):
            (row,) = incident_statistics(assessment(threats(*days), [hazard(frequency)]), CAT)
            assert row.suggested == "weekly"
            assert row.below is below, frequency

    def test_a_period_shorter_than_a_year_counts_as_a_year(self):
        """Two incidents in a quarter show at least two a year: a busy quarter is never scaled up."""
        a = assessment(threats(dt.date(2026, 1, 5), dt.date(2026, 1, 20)))
        (row,) = incident_statistics(a, CAT, period="quarter")
        assert row.period == "2026-Q1"
        assert row.per_year == 2.0
        (row,) = incident_statistics(a, CAT, period="month")
        assert row.per_year == 2.0
        (row,) = incident_statistics(a, CAT, period="year")
        assert row.per_year == 2.0

    def test_the_assessment_period_shows_quiet_periods(self):
        a = assessment(
            threats(dt.date(2026, 2, 1)), period_from=dt.date(2026, 1, 1), period_to=dt.date(2026, 12, 31)
        )
        rows = incident_statistics(a, CAT, period="quarter")
        assert [(r.period, r.count) for r in rows] == [
            ("2026-Q1", 1),
            ("2026-Q2", 0),
            ("2026-Q3", 0),
            ("2026-Q4", 0),
        ]

    def test_one_row_per_hazard_of_the_factor(self):
        a = assessment(
            threats(dt.date(2026, 2, 1)),
            [hazard("weekly", hid="b-counter"), hazard("rarely", hid="a-yard", method="fv.incident-matrix")],
        )
        rows = incident_statistics(a, CAT)
        assert [r.hazard for r in rows] == ["a-yard", "b-counter"]

    def test_a_method_without_frequency_gives_no_suggestion(self):
        a = assessment(
            threats(dt.date(2026, 2, 1)),
            method="fv.matrix-5x5",
            methods={"fv.matrix-5x5": 1},
        )
        (row,) = incident_statistics(a, CAT)
        assert (row.count, row.scale, row.suggested, row.dimension) == (1, None, None, None)

    def test_no_incidents_no_rows(self):
        assert incident_statistics(assessment(), CAT) == ()

    def test_unknown_period(self):
        with pytest.raises(ForsvarligError, match="quarterly"):
            incident_statistics(assessment(threats(dt.date(2026, 1, 1))), CAT, period="quarterly")

    def test_record(self):
        (row,) = incident_statistics(assessment(threats(dt.date(2026, 1, 1), severity="serious")), CAT)
        record = row.record()
        assert record["count"] == 1
        assert record["severity_serious"] == 1
        assert record["suggested"] == "monthly-yearly"

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
                st.sampled_from(["fv.violence-threats", "fv.harassment"]),
            ),
            max_size=30,
        ),
        st.sampled_from(list(IncidentPeriod)),
    )
    def test_counts_add_up(self, drawn, period):
        """Each factor's counts over its periods add up to its incidents; rates agree with counts."""
        incidents = [Incident(id=f"i{i}", date=d, factor=f) for i, (d, f) in enumerate(drawn)]
        rows = incident_statistics(assessment(incidents), CAT, period=period)
        for factor in {f for _, f in drawn}:
            mine = [r for r in rows if r.factor == factor]
            assert sum(r.count for r in mine) == sum(f == factor for _, f in drawn)
            assert [r.start for r in mine] == sorted(r.start for r in mine)
            for r in mine:
                assert (r.per_year > 0) is (r.count > 0)
                assert (r.suggested is None) is (r.count == 0)
                assert r.start <= r.end


class TestRule:
    def codes(self, a, on=dt.date(2026, 11, 26)):
        return [f for f in review(a, CAT, on=on) if f.code == "fv.estimate-below-incidents"]

    WEEKLY = tuple(dt.date(2025, 4, 1) + dt.timedelta(days=7 * i) for i in range(30))

    def test_fires_when_the_estimate_is_below(self):
        (finding,) = self.codes(assessment(threats(*self.WEEKLY), [hazard("monthly-yearly")]))
        assert finding.path == "$.hazards[0].current.levels.frequency"
        assert "30 in the twelve months before the assessment" in finding.message.get("en")
        assert "weekly" in finding.message.get("en").lower()
        assert "30 i de tolv månedene" in finding.message.get("nb")

    def test_quiet_when_the_estimate_is_at_the_bound(self):
        assert self.codes(assessment(threats(*self.WEEKLY), [hazard("weekly")])) == []

    def test_the_assessment_period_counts(self):
        days = [dt.date(2026, 4, 1) + dt.timedelta(days=7 * i) for i in range(30)]
        a = assessment(
            threats(*days),
            [hazard("monthly-yearly")],
            period_from=dt.date(2026, 1, 1),
            period_to=dt.date(2026, 12, 31),
        )
        (finding,) = self.codes(a)
        assert "2026-01-01 – 2026-12-31" in finding.message.get("en")

    def test_old_incidents_do_not_count(self):
        """Incidents more than a year before the assessment say nothing of today's estimate."""
        days = [dt.date(2023, 1, 1) + dt.timedelta(days=7 * i) for i in range(30)]
        assert self.codes(assessment(threats(*days), [hazard("rarely")])) == []
        # A burst in January of the year before, more than twelve months before the assessment.
        burst = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(30)]
        assert self.codes(assessment(threats(*burst), [hazard("rarely")])) == []
