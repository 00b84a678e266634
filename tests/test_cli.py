"""The forsvarlig command."""

import io
import subprocess
import sys

import pytest

from forsvarlig.cli import main

# A layer whose matrix jumps from low to high: not consistent.
BAD_LAYER = (
    "forsvarlig: catalogue/1\nnamespace: acme\nversion: '1'\nmatrices:\n"
    "  - id: acme.bad\n    label: {nb: Bad, en: Bad}\n    rows: fv.at-frequency\n    columns: fv.at-consequence\n"
    "    bands: fv.three-bands\n    grid:\n"
    "      very-often: [high, high, high, high]\n      often: [low, high, high, high]\n"
    "      rare: [low, low, high, high]\n      very-rare: [low, low, low, high]\n"
)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


class TestMatrix:
    def test_shows_grid_and_check(self):
        """`matrix ID` draws the grid, highest row first, and reports the check."""
        code, out = run("matrix", "fv.talk-frequency-by-consequence")
        assert code == 0
        lines = out.splitlines()
        daily = next(i for i, line in enumerate(lines) if line.startswith("Daily"))
        rarely = next(i for i, line in enumerate(lines) if line.startswith("Rarely"))
        assert daily < rarely
        assert "check of fv.talk-frequency-by-consequence: consistent" in out
        assert "weak consistency:     yes" in out

    def test_norwegian(self):
        """--lang nb shows Norwegian labels."""
        code, out = run("matrix", "fv.talk-frequency-by-consequence", "--lang", "nb")
        assert code == 0
        assert "Daglig" in out
        assert "Høy" in out

    def test_all_matrices(self):
        """Without an id, every matrix is shown."""
        code, out = run("matrix")
        assert code == 0
        assert out.count("check of ") == len(__import__("forsvarlig").default_catalogue().matrices)

    def test_unknown(self, capsys):
        """An unknown id is an error with a suggestion, exit 1."""
        code, _ = run("matrix", "fv.talk-matrx")
        assert code == 1
        assert "did you mean 'fv.talk-matrix'" in capsys.readouterr().err

    def test_inconsistent_layer_fails(self, tmp_path):
        """A layer's inconsistent matrix makes the command exit 1 and says why."""
        layer = tmp_path / "acme.yaml"
        layer.write_text(BAD_LAYER, encoding="utf-8")
        code, out = run("matrix", "acme.bad", "--catalogue", str(layer))
        assert code == 1
        assert "NOT consistent" in out
        assert "betweenness:          NO" in out


class TestCheck:
    def test_good_and_bad(self, tmp_path):
        """`check` reports each file: ok, or every problem with its line."""
        bad = tmp_path / "bad.yaml"
        bad.write_text("forsvarlig: catalogue/1\nnamespace: acme\nversion: 1\n", encoding="utf-8")
        code, out = run("check", str(bad))
        assert code == 1
        assert "bad.yaml:3:10: $.version: expected a string" in out

    def test_builtin_files(self):
        """The shipped catalogue files check together as layers."""
        from pathlib import Path

        files = sorted(str(p) for p in (Path(__file__).parent.parent / "catalogue").glob("*.yaml"))
        code, out = run("check", *files)
        assert code == 0, out

    def test_missing_file(self, tmp_path):
        """A missing file is reported, exit 2, as in the other commands."""
        code, out = run("check", str(tmp_path / "nope.yaml"))
        assert code == 2
        assert "cannot read" in out


def test_catalogue_listing():
    """`catalogue` lists the scales, band sets and matrices."""
    code, out = run("catalogue")
    assert code == 0
    assert "fv.talk-frequency" in out
    assert "fv.three-bands" in out


def test_usage_error():
    """No command prints help and exits 2."""
    code, out = run()
    assert code == 2
    assert "usage" in out


def test_console_script():
    """The installed `forsvarlig` command runs (the README's main job)."""
    result = subprocess.run(
        [sys.executable, "-m", "forsvarlig.cli", "matrix", "fv.talk-frequency-by-consequence"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "consistent" in result.stdout


@pytest.mark.parametrize("flag", ["--version"])
def test_version(flag):
    """--version prints the version."""
    code, out = run(flag)
    assert code == 0
    assert out.startswith("forsvarlig ")


def test_check_directory(tmp_path):
    """`check` takes folders; a failing matrix is named with its file and line."""
    (tmp_path / "bad.yaml").write_text(BAD_LAYER, encoding="utf-8")
    code, out = run("check", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'bad.yaml'}:5: matrix acme.bad:" in out


def test_broken_pipe():
    """Output whose reader has gone (`| head`) ends quietly, without a traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "forsvarlig.cli", "matrix"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader leaves before the command writes
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err
    assert proc.returncode == 0


@pytest.mark.parametrize(
    ("iso", "en", "nb"),
    [
        ("P2W", "2 weeks", "2 uker"),
        ("P0D", "at once", "straks"),
        ("P1Y2M", "1 year 2 months", "1 år 2 måneder"),
        ("PT24H", "24 hours", "24 timer"),
        ("PT30M", "PT30M", "PT30M"),
    ],
)
def test_deadlines_in_words(iso, en, nb):
    """Band deadlines are said in words, in the language asked for."""
    from forsvarlig.cli import _duration

    assert _duration(iso, "en") == en
    assert _duration(iso, "nb") == nb


def test_not_a_matrix(capsys):
    """Asking `matrix` for a scale says what it is."""
    code, _ = run("matrix", "fv.talk-frequency")
    assert code == 1
    assert "is not a matrix" in capsys.readouterr().err


class TestScore:
    def test_scores_and_explains(self):
        """`score METHOD DIM=LEVEL ...` prints the value, band, action and vector."""
        code, out = run("score", "fv.matrix-5x5", "likelihood=likely", "consequence=major")
        assert code == 0
        assert "value: 3" in out
        assert "band: high" in out
        assert "action: Plan measures that reduce the risk. (within 2 months)" in out
        assert "vector: FV:1/fv.matrix-5x5@1/likelihood:likely/consequence:major" in out

    def test_explain_a_vector(self):
        """`score --explain VECTOR` scores a stored vector again and explains it, in Norwegian with --lang nb."""
        vector = "FV:1/fv.fine-kinney@1/probability:quite-possible/exposure:daily/consequence:important"
        code, out = run("score", "--explain", vector, "--lang", "nb")
        assert code == 0
        assert "verdi: 108" in out
        assert "risikonivå: substantial: Betydelig" in out
        assert f"vektor: {vector}" in out

    def test_json(self):
        """--json prints the score as JSON data with its vector."""
        import json

        code, out = run("score", "fv.talk-matrix", "frequency=daily", "consequence=complaints", "--json")
        assert code == 0
        data = json.loads(out)
        assert data["band"] == "high"
        assert data["vector"] == "FV:1/fv.talk-matrix@1/frequency:daily/consequence:complaints"

    def test_without_levels_lists_them(self):
        """Without levels, the command lists each dimension's levels and exits 2."""
        code, out = run("score", "fv.oira-two-criteria")
        assert code == 2
        assert "severity (fv.oira-severity-4): weak not-severe severe very-severe" in out

    def test_bad_level(self, capsys):
        """An unknown level is an error with a suggestion, exit 1."""
        code, _ = run("score", "fv.oira-two-criteria", "frequency=often", "severity=severr")
        assert code == 1
        assert "did you mean 'severe'" in capsys.readouterr().err

    def test_not_a_pair(self, capsys):
        """An argument without = is a usage error."""
        code, _ = run("score", "fv.oira-two-criteria", "often")
        assert code == 2
        assert "DIMENSION=LEVEL" in capsys.readouterr().err

    def test_bad_vector(self, capsys):
        """A bad vector is an error, exit 1."""
        code, _ = run("score", "--explain", "CVSS:3.1/AV:N")
        assert code == 1
        assert "not a score vector" in capsys.readouterr().err

    def test_layer_method(self):
        """A method from a layer given with --catalogue scores."""
        from pathlib import Path

        layer = Path(__file__).parent.parent / "examples" / "acme-layer.yaml"
        code, out = run(
            "score", "acme.contact", "frequency=weekly-or-more", "severity=serious", "--catalogue", str(layer)
        )
        assert code == 0
        assert "vector: FV:1/acme.contact@1/frequency:weekly-or-more/severity:serious" in out


def test_matrix_of_a_method():
    """`matrix METHOD` shows the matrix a matrix method scores with; other methods say what to do."""
    code, out = run("matrix", "fv.talk-matrix")
    assert code == 0
    assert "fv.talk-frequency-by-consequence" in out
    code, _ = run("matrix", "fv.fine-kinney")
    assert code == 1


def test_check_reports_broken_methods(tmp_path):
    """`check` on a layer configures its methods and reports their problems with file and line."""
    layer = tmp_path / "acme.yaml"
    layer.write_text(
        "forsvarlig: catalogue/1\nnamespace: acme\nversion: '1'\nmethods:\n"
        "  - {id: acme.m, label: {nb: M, en: M}, strategy: matrix, version: 1, params: {matrix: fv.nope}}\n",
        encoding="utf-8",
    )
    code, out = run("check", str(layer))
    assert code == 1
    assert f"{layer}:5:" in out
    assert "unknown matrix 'fv.nope'" in out


def test_catalogue_lists_methods():
    """`catalogue` lists the methods with their strategy and version."""
    code, out = run("catalogue")
    assert code == 0
    assert "fv.fine-kinney: Fine–Kinney [fine-kinney, version 1]" in out


def test_score_levels_after_options_and_no_repeats(capsys):
    """Levels may follow --lang or --catalogue; a dimension given twice is a usage error."""
    code, out = run("score", "fv.matrix-5x5", "--lang", "nb", "likelihood=likely", "consequence=major")
    assert code == 0
    assert "verdi: 3" in out
    code, _ = run("score", "fv.matrix-5x5", "likelihood=likely", "likelihood=possible", "consequence=major")
    assert code == 2
    assert "given twice" in capsys.readouterr().err


class TestCatalogueCommands:
    def test_list_kind(self):
        """`catalogue list --kind factors` lists the factors with polarity and current law."""
        code, out = run("catalogue", "list", "--kind", "factors")
        assert code == 0
        assert "fv.workload: Workload and time pressure [demand, aml § 4-3 (2) c]" in out
        assert "methods (" not in out

    def test_show_factor_in_norwegian(self):
        """`catalogue show` gives a factor's law (quoted, dated), crosswalk, buffers and templates."""
        code, out = run("catalogue", "show", "fv.violence-threats", "--lang", "nb")
        assert code == 0
        assert "aml § 4-3 (6) [2026-01-01 –]" in out
        assert "fua § 23A-1 [2017-01-01 – 2025-12-31]" in out
        assert "fua § 3A-1 [2026-01-01 –] (ikke bekreftet)" in out
        assert "iso45003.violence-at-work" in out
        assert "tiltaksmaler:" in out

    def test_show_framework_entry_and_other(self):
        """Showing a framework entry gives the factors that map to it; other entries show their data."""
        code, out = run("catalogue", "show", "hsems.demands")
        assert code == 0
        assert "factors: fv.emotional-demands, fv.workload" in out
        code, out = run("catalogue", "show", "fv.clarify-priorities")
        assert code == 0
        assert "target: fv.organisation" in out

    def test_show_unknown(self, capsys):
        """An unknown id is an error with a suggestion."""
        code, _ = run("catalogue", "show", "fv.workloda")
        assert code == 1
        assert "did you mean 'fv.workload'" in capsys.readouterr().err

    def test_crosswalk(self):
        """`catalogue crosswalk --to` maps factors to a framework and lists what is left unmapped, and why."""
        code, out = run("catalogue", "crosswalk", "--to", "comcare.psychosocial-code-2024")
        assert code == 0
        assert "fv.working-hours -> " in out
        assert "not mapped:" in out
        assert "comcare.intrusive-surveillance:" in out

    def test_check_layers(self, tmp_path):
        """`catalogue check` exits 0 for a clean layer, 1 for problems, 2 for an unreadable path."""
        from pathlib import Path

        example = Path(__file__).parent.parent / "examples" / "acme-layer.yaml"
        code, out = run("catalogue", "check", str(example))
        assert code == 0
        assert out.strip().endswith(": ok")
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            "forsvarlig: catalogue/1\nnamespace: acme\nversion: '1'\nfactors:\n"
            "  - {id: acme.x, label: {nb: X, en: X}, polarity: demand, description: {nb: X, en: X},"
            " crosswalk: [hsems.demand]}\n",
            encoding="utf-8",
        )
        code, out = run("catalogue", "check", str(bad))
        assert code == 1
        assert f"{bad}:5:" in out
        assert "did you mean 'hsems.demands'" in out
        code, _ = run("catalogue", "check", str(tmp_path / "missing.yaml"))
        assert code == 2


def test_catalogue_options_before_the_action(tmp_path):
    """`catalogue --lang nb show X` means `catalogue show X --lang nb`; so does --catalogue."""
    from pathlib import Path

    code, out = run("catalogue", "--lang", "nb", "show", "fv.support")
    assert code == 0
    assert "Støtte og hjelp i arbeidet" in out
    example = Path(__file__).parent.parent / "examples" / "acme-layer.yaml"
    code, out = run("catalogue", "--catalogue", str(example), "show", "acme.leader-dialogue")
    assert code == 0


def test_catalogue_check_warns_of_unexplained_gaps(tmp_path):
    """A framework entry no factor maps to, and with no `unmapped` reason, is warned about."""
    layer = tmp_path / "fw.yaml"
    layer.write_text(
        "forsvarlig: catalogue/1\nnamespace: acme\nversion: '1'\nframeworks:\n"
        "  - id: acme.fw\n    label: {nb: F, en: F}\n    entries:\n"
        "      - {id: acme.lonely, label: {nb: L, en: L}}\n",
        encoding="utf-8",
    )
    code, out = run("catalogue", "check", str(layer))
    assert code == 0
    assert "warning:" in out
    assert "acme.lonely" in out


class TestReview:
    EXAMPLE = str(__import__("pathlib").Path(__file__).parent.parent / "examples" / "home-care.yaml")

    def test_clean_example(self):
        """The example reviews with no errors: exit 0, findings and a summary in the chosen language."""
        code, out = run("review", self.EXAMPLE, "--on", "2026-04-15", "--lang", "nb")
        assert code == 0
        assert "Hjemmetjenesten, sone nord" in out
        assert "0 feil" in out

    def test_errors_exit_1_and_json(self, tmp_path):
        """An assessment with error findings exits 1; --format json gives the findings as data."""
        import json

        text = (
            "forsvarlig: assessment/1\nunit: Lab\ndate: 2026-01-05\nmethod: fv.matrix-5x5\n"
            "catalogue: {fv: 0.1.0}\nmethods: {fv.matrix-5x5: 1}\n"
        )
        path = tmp_path / "a.yaml"
        path.write_text(text, encoding="utf-8")
        code, out = run("review", str(path), "--on", "2026-02-01", "--format", "json")
        assert code == 1
        (report,) = json.loads(out)
        codes = {f["code"] for f in report["findings"]}
        assert "fv.no-participation" in codes
        assert all(set(f["message"]) >= {"nb", "en"} for f in report["findings"])

    def test_unreadable_exits_2_with_place(self, tmp_path, capsys):
        """A document that does not read exits 2 with file, line and path."""
        path = tmp_path / "bad.yaml"
        path.write_text("forsvarlig: assessment/1\nunit: Lab\ndate: 2026-13-05\n", encoding="utf-8")
        code, _ = run("review", str(path))
        assert code == 2
        err = capsys.readouterr().err
        assert f"{path}:" in err
        assert "3:7: $.date" in err
        code, _ = run("review", str(tmp_path / "missing.yaml"))
        assert code == 2
        code, _ = run("review", self.EXAMPLE, "--on", "April")
        assert code == 2

    def test_schema(self):
        """`schema NAME` prints a shipped JSON Schema."""
        import json

        code, out = run("schema", "assessment")
        assert code == 0
        assert json.loads(out)["properties"]["forsvarlig"]["const"] == "assessment/1"
        code, _ = run("schema", "nothing")
        assert code == 1
