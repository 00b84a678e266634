"""The factor catalogue: the law's factors, crosswalks, protective factors, requirements, templates, layers."""

import datetime as dt
import textwrap
import warnings
from pathlib import Path

import pytest

from forsvarlig import (
    CatalogueValidationError,
    DuplicateEntryError,
    Factor,
    LegalReference,
    MeasureKind,
    Polarity,
    RetiredEntryWarning,
    Text,
    ValidationError,
    default_catalogue,
    dumps,
    load,
    load_catalogue,
    loads,
)

ROOT = Path(__file__).parent.parent
CAT = default_catalogue()
AML_2026 = dt.date(2026, 1, 1)


def cited(paragraph, letter=None, on=AML_2026):
    """The factors that cite aml § 4-3 (paragraph) [letter] in the text in force on `on`."""
    return [
        f.id
        for f in CAT.factors.values()
        for ref in f.legal
        if ref.act == "aml"
        and ref.section == "4-3"
        and ref.paragraph == paragraph
        and ref.letter == letter
        and ref.in_force(on)
    ]


class TestTheLaw:
    @pytest.mark.parametrize("letter", ["a", "b", "c", "d"])
    def test_paragraph_2_letters(self, letter):
        """Each of § 4-3 (2) a–d is cited by a factor, dated from 2026, its wording quoted and marked unverified."""
        (factor_id,) = cited(2, letter)
        ref = next(r for r in CAT.factor(factor_id).legal if r.paragraph == 2 and r.letter == letter)
        assert ref.valid_from == AML_2026
        assert ref.text
        assert ref.verified is False  # layout and punctuation unconfirmed (DOMAIN.md § 1.1)

    @pytest.mark.parametrize(("paragraph", "count"), [(3, 1), (4, 1), (5, 2), (6, 2)])
    def test_paragraphs_3_to_6(self, paragraph, count):
        """(3)–(6) are cited; (5) by harassment and sexual harassment, (6) by violence and by strain from contact."""
        assert len(cited(paragraph)) == count
        if paragraph == 6:
            assert set(cited(6)) == {"fv.violence-threats", "fv.strain-from-contact"}
        if paragraph == 5:
            assert set(cited(5)) == {"fv.harassment", "fv.sexual-harassment"}

    def test_older_text_resolves_by_date(self):
        """An assessment of 2025 resolves the harassment paragraph to its 2024 text, numbered (3); of 2023, to the older text."""
        harassment = CAT.factor("fv.harassment")
        in_2025 = [r for r in harassment.legal if r.in_force(dt.date(2025, 6, 1))]
        in_2023 = [r for r in harassment.legal if r.in_force(dt.date(2023, 6, 1))]
        assert [(r.paragraph, "seksuell" in r.text) for r in in_2025] == [(3, True)]
        assert [(r.paragraph, "seksuell" in r.text) for r in in_2023] == [(3, False)]

    def test_general_requirement(self):
        """§ 4-3 (1) is a requirement, not a factor."""
        assert not cited(1)
        requirement = CAT.requirement("fv.fully-justifiable")
        (ref,) = requirement.legal
        assert (ref.section, ref.paragraph, ref.valid_from) == ("4-3", 1, AML_2026)
        assert "fullt forsvarlige" in ref.text

    def test_violence_duties(self):
        """The violence duties are present: 23A (verified, 2017–2025) and 3A (from 2026, unverified)."""
        duties = {
            "fv.violence-risk-assessment": None,
            "fv.violence-training": MeasureKind.TRAINING,
            "fv.violence-information": MeasureKind.INFORMATION,
            "fv.violence-measures": MeasureKind.REMOVE,
            "fv.violence-follow-up": MeasureKind.FOLLOW_UP,
        }
        for duty_id, kind in duties.items():
            duty = CAT.requirement(duty_id)
            old = [r for r in duty.legal if r.section.startswith("23A")]
            new = [r for r in duty.legal if r.section.startswith("3A")]
            assert [(r.valid_from, r.valid_to, r.verified) for r in old] == [
                (dt.date(2017, 1, 1), dt.date(2025, 12, 31), True)
            ]
            assert [(r.valid_from, r.valid_to, r.verified) for r in new] == [(AML_2026, None, False)]
            assert duty.factors == ("fv.violence-threats",)
            assert (kind in duty.met_by) if kind else duty.assessment

    def test_further_factors(self):
        """The further factors the issue names exist, working hours anchored in org.forskr. § 7-1."""
        for factor_id in (
            "fv.autonomy",
            "fv.development",
            "fv.organisational-change",
            "fv.leadership-justice",
            "fv.recognition",
            "fv.job-insecurity",
            "fv.work-life-balance",
            "fv.lone-work",
            "fv.traumatic-events",
            "fv.relationships-culture",
            "fv.physical-environment",
            "fv.working-hours",
        ):
            assert factor_id in CAT.factors
        hours = CAT.factor("fv.working-hours")
        assert any(r.act == "orgforskr" and r.section == "7-1" for r in hours.legal)

    def test_every_factor_is_complete(self):
        """Every factor has nb and en labels, a description, a polarity, and a group."""
        for factor in CAT.factors.values():
            assert {"nb", "en"} <= set(factor.label.languages), factor.id
            assert {"nb", "en"} <= set(factor.description.languages), factor.id
            assert factor.group, factor.id


class TestProtectiveFactors:
    def test_the_talks_protective_factors(self):
        """The talk's protective factors are resources that buffer demands."""
        protective = [
            "fv.autonomy",
            "fv.clear-expectations",
            "fv.recognition",
            "fv.leader-interplay",
            "fv.leadership-justice",
            "fv.predictability",
            "fv.information",
            "fv.participation",
            "fv.openness-respect",
            "fv.support",
        ]
        for factor_id in protective:
            factor = CAT.factor(factor_id)
            assert factor.polarity is Polarity.RESOURCE
            assert factor.buffers, factor_id

    def test_only_resources_buffer(self):
        """A demand cannot buffer."""
        with pytest.raises(ValidationError, match="only a resource"):
            Factor(
                id="x.y",
                label=Text(nb="Y", en="Y"),
                polarity=Polarity.DEMAND,
                description=Text(nb="Y", en="Y"),
                buffers=("fv.workload",),
            )


class TestCrosswalks:
    def test_every_target_exists(self):
        """Every crosswalk target is a framework entry (the catalogue would not load otherwise)."""
        for factor in CAT.factors.values():
            for target in factor.crosswalk:
                assert target in CAT.framework_entries

    def test_every_entry_reachable_or_unmapped(self):
        """Every framework entry is reached from a factor, or says why it is deliberately unmapped."""
        for entry in CAT.framework_entries.values():
            assert CAT.crosswalk(entry.id) or entry.unmapped is not None, entry.id

    def test_both_ways(self):
        """A crosswalk reads both ways."""
        for factor in CAT.factors.values():
            for target in factor.crosswalk:
                assert factor.id in CAT.crosswalk(target)

    def test_framework_sizes(self):
        """ISO 45003 has 21 sub-categories in three groups, HSE six areas, SWA 14, Comcare three more."""
        iso = CAT.framework("iso45003.iso-45003")
        assert len(iso.entries) == 21
        assert len({e.group for e in iso.entries}) == 3
        assert len(CAT.framework("hsems.management-standards").entries) == 6
        assert len(CAT.framework("swa.managing-psychosocial-hazards").entries) == 14
        assert len(CAT.framework("comcare.psychosocial-code-2024").entries) == 3

    def test_crosswalk_to(self):
        """crosswalk_to maps factors to one framework's entries."""
        mapping = CAT.crosswalk_to("hsems.management-standards")
        assert mapping["fv.workload"] == ("hsems.demands",)


class TestMeasureTemplates:
    def test_every_demand_has_an_organisational_template(self):
        """Someone planning measures for a demand sees organisational options."""
        for factor in CAT.factors.values():
            if factor.polarity is Polarity.DEMAND:
                targets = {t.target for t in CAT.measure_templates.values() if factor.id in t.factors}
                assert "fv.organisation" in targets, factor.id

    def test_templates_for_a_factor_are_ordered(self):
        """Templates for a factor come organisation first, outcome last."""
        ranks = {"fv.organisation": 0, "fv.factor": 1, "fv.outcome": 2}
        for factor_id in CAT.factors:
            got = [ranks[t.target] for t in CAT.measure_templates_for(factor_id)]
            assert got == sorted(got), factor_id

    def test_targets(self):
        """The talk's three targets exist, and every template aims at one of them."""
        assert list(CAT.targets) == ["fv.organisation", "fv.factor", "fv.outcome"]
        for template in CAT.measure_templates.values():
            assert template.target in CAT.targets


class TestMatrices:
    def test_all_shipped_matrices_pass(self):
        """Every shipped matrix passes check()."""
        for matrix in CAT.matrices.values():
            assert matrix.check().ok, matrix.id

    def test_incident_scales_are_attached(self):
        """The incident-severity method is attached to violence, harassment and strain from contact."""
        for factor_id in ("fv.violence-threats", "fv.harassment", "fv.strain-from-contact"):
            assert "fv.incident-matrix" in CAT.factor(factor_id).methods
        method = CAT.method("fv.incident-matrix")
        assert CAT.matrix(method.params["matrix"]).columns.id == "fv.talk-incident-severity"


class TestStableIds:
    def test_no_shipped_id_disappears(self):
        """Every id ever shipped still resolves, and every current id is recorded (run `python -m forsvarlig._compile`)."""
        from forsvarlig._compile import shipped_ids

        shipped = shipped_ids()
        assert shipped
        missing = [i for i in shipped if i not in CAT]
        assert not missing, f"ids disappeared (retire them with replaced_by instead): {missing}"
        unrecorded = [i for i in CAT.ids if i not in set(shipped)]
        assert not unrecorded, f"run `python -m forsvarlig._compile` to record: {unrecorded}"


EXAMPLE = ROOT / "examples" / "acme-layer.yaml"


class TestExampleLayer:
    def test_loads_with_override_and_deprecation(self):
        """The example layer overrides a factor, retires another, and adds its own."""
        cat = load_catalogue(EXAMPLE)
        assert cat.factor("fv.lone-work").label.get("en") == "Working alone on home visits"
        assert cat.source("fv.lone-work").startswith(str(EXAMPLE))
        with pytest.warns(RetiredEntryWarning, match="acme.leader-dialogue"):
            retired = cat.factor("fv.leader-interplay")
        assert retired.replaced_by == "acme.leader-dialogue"
        assert "acme.conflicts-with-relatives" in cat.factors
        assert "acme.conflicts-with-relatives" in cat.crosswalk("swa.violence-and-aggression")

    def test_round_trips_alone(self):
        """The layer read alone round-trips."""
        layer = load(EXAMPLE)
        assert loads(dumps(layer)) == layer


def layer(tmp_path, body, name="acme.yaml", head='forsvarlig: catalogue/1\nnamespace: acme\nversion: "1"\n'):
    path = tmp_path / name
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return path


FACTOR = """\
factors:
  - id: {id}
    label: {{nb: X, en: X}}
    polarity: demand
    description: {{nb: X, en: X}}
"""


class TestBrokenLayers:
    def problems(self, *paths):
        with pytest.raises(CatalogueValidationError) as info:
            load_catalogue(*paths)
        return info.value.problems

    def test_duplicate_id_names_both_places(self, tmp_path):
        """The same id in two layers names both files and lines."""
        a = layer(tmp_path, FACTOR.format(id="acme.x"), "a.yaml")
        b = layer(tmp_path, FACTOR.format(id="acme.x"), "b.yaml")
        with pytest.raises(DuplicateEntryError) as info:
            load_catalogue(a, b)
        assert info.value.first == f"{a}:5"
        assert info.value.second == f"{b}:5"

    def test_clash_without_overrides(self, tmp_path):
        """Redefining a built-in id without `overrides:` is refused, naming both files and lines."""
        path = layer(tmp_path, FACTOR.format(id="fv.workload"))
        with pytest.raises(DuplicateEntryError) as info:
            load_catalogue(path)
        assert info.value.first == default_catalogue().source("fv.workload")
        assert info.value.first.startswith("<forsvarlig>/fv-factors.yaml:")
        assert info.value.second == f"{path}:5"

    def test_foreign_id(self, tmp_path):
        """An id of another namespace that no layer defines is refused, placed at its id."""
        (problem,) = self.problems(layer(tmp_path, FACTOR.format(id="other.x")))
        assert (problem.path, problem.line, problem.code) == ("$.factors[0].id", 5, "namespace")

    def test_override_of_nothing(self, tmp_path):
        """An override must name an entry an earlier layer defines."""
        body = FACTOR.format(id="fv.workloa") + "    overrides: fv.workloa\n"
        (problem,) = self.problems(layer(tmp_path, body))
        assert (problem.path, problem.line) == ("$.factors[0].overrides", 9)
        assert "did you mean 'fv.workload'" in problem.message

    def test_unknown_reference(self, tmp_path):
        """An unknown crosswalk target, buffer or method is refused with a suggestion, file and line."""
        body = FACTOR.format(id="acme.x") + "    crosswalk: [hsems.demand]\n    methods: [fv.matrix-5x6]\n"
        problems = self.problems(layer(tmp_path, body))
        assert [(p.path, p.line) for p in problems] == [
            ("$.factors[0].crosswalk[0]", 9),
            ("$.factors[0].methods[0]", 10),
        ]
        assert "did you mean 'hsems.demands'" in problems[0].message
        assert "did you mean 'fv.matrix-5x5'" in problems[1].message

    @pytest.mark.parametrize("label", ["{en: X}", "{nb: X}"])
    def test_missing_label_language(self, tmp_path, label):
        """A label without nb or en is refused."""
        body = FACTOR.format(id="acme.x").replace("label: {nb: X, en: X}", f"label: {label}")
        (problem,) = self.problems(layer(tmp_path, body))
        assert (problem.path, problem.line, problem.code) == ("$.factors[0].label", 6, "missing")

    def test_levels_out_of_order(self, tmp_path):
        """A scale's levels out of rank order are refused."""
        body = """\
        scales:
          - id: acme.s
            kind: frequency
            label: {nb: S, en: S}
            levels:
              - {id: a, rank: 2, label: {nb: A, en: A}}
              - {id: b, rank: 1, label: {nb: B, en: B}}
        """
        problems = self.problems(layer(tmp_path, body))
        assert {p.path for p in problems} == {"$.scales[0].levels[0].rank", "$.scales[0].levels[1].rank"}
        assert all(p.line for p in problems)

    def test_wrong_schema_version(self, tmp_path):
        """A newer major of the format is refused, at the tag's line."""
        path = layer(
            tmp_path,
            FACTOR.format(id="acme.x"),
            head='forsvarlig: catalogue/2\nnamespace: acme\nversion: "1"\n',
        )
        (problem,) = self.problems(path)
        assert problem.line == 1
        assert "catalogue/2" in problem.message

    def test_repeated_yaml_key(self, tmp_path):
        """A key repeated in one mapping is refused, at its line."""
        body = FACTOR.format(id="acme.x") + "    polarity: resource\n"
        (problem,) = self.problems(layer(tmp_path, body))
        assert problem.line == 9
        assert problem.code == "duplicate-key"

    def test_replaced_by_unknown(self, tmp_path):
        """A retirement must name an existing replacement of the same kind."""
        body = FACTOR.format(id="acme.x") + "    replaced_by: acme.y\n"
        (problem,) = self.problems(layer(tmp_path, body))
        assert problem.path == "$.factors[0].replaced_by"

    def test_legal_reference_checks(self):
        """A legal reference refuses a malformed section, a paragraph of 0 and dates out of order."""
        with pytest.raises(ValidationError):
            LegalReference(act="aml", section="§4-3")
        with pytest.raises(ValidationError):
            LegalReference(act="aml", section="4-3", paragraph=0)
        with pytest.raises(ValidationError):
            LegalReference(act="aml", section="4-3", valid_from=AML_2026, valid_to=dt.date(2025, 1, 1))


def test_retired_lookup_warns_once_per_call():
    """Looking up a retired entry warns; a current one does not."""
    cat = load_catalogue(EXAMPLE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cat.factor("fv.workload")
    with pytest.warns(RetiredEntryWarning):
        cat.factor("fv.leader-interplay")


class TestReviewFindings:
    """Holes a review of the catalogue found; each stays closed."""

    def test_replaced_by_loop_and_chain(self, tmp_path):
        """A loop of replacements is refused, and so is pointing to a retired entry."""
        body = (
            FACTOR.format(id="acme.a")
            + "    replaced_by: acme.b\n"
            + FACTOR.format(id="acme.b").replace("factors:\n", "")
            + "    replaced_by: acme.a\n"
        )
        problems = TestBrokenLayers().problems(layer(tmp_path, body))
        assert all("loop" in p.message for p in problems)
        assert len(problems) == 2
        chain = (
            FACTOR.format(id="acme.a")
            + "    replaced_by: acme.b\n"
            + FACTOR.format(id="acme.b").replace("factors:\n", "")
            + "    replaced_by: acme.c\n"
            + FACTOR.format(id="acme.c").replace("factors:\n", "")
        )
        (problem,) = TestBrokenLayers().problems(layer(tmp_path, chain, "chain.yaml"))
        assert "point to 'acme.c'" in problem.message

    def test_wrong_kind_of_reference(self, tmp_path):
        """Retiring a factor to a measure template says what the id is."""
        body = FACTOR.format(id="acme.a") + "    replaced_by: fv.clarify-priorities\n"
        (problem,) = TestBrokenLayers().problems(layer(tmp_path, body))
        assert problem.message == "'fv.clarify-priorities' is a measure template, not a factor"

    def test_built_in_namespace_is_reserved(self, tmp_path):
        """A layer cannot add entries to a built-in namespace."""
        path = layer(
            tmp_path,
            FACTOR.format(id="fv.my-new"),
            head='forsvarlig: catalogue/1\nnamespace: fv\nversion: "0.1.0"\n',
        )
        (problem,) = TestBrokenLayers().problems(path)
        assert (problem.path, problem.line, problem.code) == ("$.namespace", 2, "namespace")

    def test_templates_for_a_retired_factor_do_not_warn(self):
        """Listing templates for a retired factor does not warn from inside the library."""
        cat = load_catalogue(EXAMPLE)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            cat.measure_templates_for("fv.leader-interplay")

    def test_odd_arguments(self):
        """A non-string id and a non-path are clear errors, not internal TypeErrors."""
        from forsvarlig import UnknownReferenceError

        with pytest.raises(UnknownReferenceError):
            CAT.crosswalk(["fv.workload"])
        with pytest.raises(TypeError, match="takes paths"):
            load_catalogue(None)

    def test_act_name_message(self):
        """A bad act name is described as an act's short name."""
        with pytest.raises(ValidationError, match="act's short name"):
            LegalReference(act="AML", section="4-3")
