"""Catalogue files, layers and the built-in catalogue."""

import pickle
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from forsvarlig import (
    Catalogue,
    CatalogueValidationError,
    DuplicateEntryError,
    ScaleKind,
    UnknownReferenceError,
    default_catalogue,
    dumps,
    load_catalogue,
    loads,
)
from forsvarlig.catalogue import _builtin_dir

ROOT = Path(__file__).parent.parent

LAYER = """\
forsvarlig: catalogue/1
namespace: acme
version: "1"
scales:
  - id: acme.often
    kind: frequency
    label: {nb: Hvor ofte, en: How often}
    levels:
      - {id: seldom, rank: 1, label: {nb: Sjelden, en: Seldom}}
      - {id: often, rank: 2, label: {nb: Ofte, en: Often}}
matrices:
  - id: acme.small
    label: {nb: Liten, en: Small}
    rows: acme.often
    columns: fv.talk-health-consequence
    bands: fv.three-bands
    grid:
      often: [medium, medium, high]
      seldom: [low, low, medium]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestDefault:
    def test_loads_once(self):
        """The built-in catalogue is built once and shared."""
        assert default_catalogue() is default_catalogue()

    def test_contents(self):
        """It holds the talk's scales, Arbeidstilsynet's, a 5 x 5 pair, band sets and a matrix for each pair."""
        cat = default_catalogue()
        assert set(cat.namespaces) == {"fv", "iso45003", "hsems", "swa", "comcare", "euosha"}
        assert cat.scale("fv.talk-frequency").ids == ("rarely", "monthly-yearly", "weekly", "daily")
        assert cat.scale("fv.talk-health-consequence").ids == (
            "complaints",
            "injury-illness",
            "disability-death",
        )
        assert cat.scale("fv.talk-incident-severity").kind is ScaleKind.SEVERITY
        assert cat.scale("fv.at-frequency").ids == ("very-rare", "rare", "often", "very-often")
        assert cat.scale("fv.at-consequence").ids == ("insignificant", "minor", "serious", "very-serious")
        pairs = {(m.rows.id, m.columns.id) for m in cat.matrices.values()}
        assert pairs == {
            ("fv.talk-frequency", "fv.talk-health-consequence"),
            ("fv.at-frequency", "fv.at-consequence"),
            ("fv.likelihood-5", "fv.consequence-5"),
            ("fv.talk-frequency", "fv.talk-incident-severity"),
        }

    def test_labels_in_both_languages(self):
        """Every label the catalogue ships has nb and en."""
        cat = default_catalogue()
        labels = [s.label for s in cat.scales.values()] + [
            lv.label for s in cat.scales.values() for lv in s.levels
        ]
        labels += [b.label for bs in cat.band_sets.values() for b in bs.bands] + [
            m.label for m in cat.matrices.values()
        ]
        for label in labels:
            assert {"nb", "en"} <= set(label.languages), label

    def test_own_work_is_labelled(self):
        """Every shipped matrix and band set says in its note that the colouring is forsvarlig's own."""
        cat = default_catalogue()
        for entry in [*cat.matrices.values(), *cat.band_sets.values()]:
            assert entry.note is not None
            assert "forsvarlig's own" in entry.note["en"], entry.id

    def test_sources(self):
        """Each entry knows the file and line it came from."""
        where = default_catalogue().source("fv.talk-frequency")
        assert re.fullmatch(r"<forsvarlig>/fv-scales\.yaml:\d+", where)

    def test_pickles(self):
        """A catalogue pickles to an equal catalogue."""
        cat = default_catalogue()
        assert pickle.loads(pickle.dumps(cat)) == cat

    def test_read_only_views(self):
        """The mappings a catalogue exposes cannot be changed."""
        with pytest.raises(TypeError):
            default_catalogue().scales["x"] = None  # type: ignore[index]


class TestLayers:
    def test_layer_on_builtin(self, tmp_path):
        """An integrator's layer refers to built-in entries by id."""
        cat = load_catalogue(write(tmp_path, "acme.yaml", LAYER))
        assert set(cat.namespaces) == {*default_catalogue().namespaces, "acme"}
        m = cat.matrix("acme.small")
        assert m.columns is cat.scale("fv.talk-health-consequence")
        assert cat.source("acme.small").endswith("acme.yaml:12")

    def test_directory(self, tmp_path):
        """A directory's catalogue files are read in name order."""
        write(tmp_path, "a.yaml", LAYER)
        write(tmp_path, "notes.txt", "not a catalogue")
        assert "acme.small" in load_catalogue(tmp_path)

    def test_duplicate_names_both_places(self, tmp_path):
        """An id defined twice names both files and lines."""
        a = write(tmp_path, "a.yaml", LAYER)
        b = write(tmp_path, "b.yaml", LAYER)
        with pytest.raises(DuplicateEntryError) as info:
            load_catalogue(a, b)
        assert info.value.id == "acme.often"
        assert info.value.first == f"{a}:5"
        assert info.value.second == f"{b}:5"

    def test_same_id_in_one_file(self, tmp_path):
        """An id repeated within one file is an error at the second."""
        text = LAYER.replace("id: acme.small", "id: acme.often")
        with pytest.raises(CatalogueValidationError) as info:
            load_catalogue(write(tmp_path, "a.yaml", text))
        (p,) = info.value.problems
        assert p.path == "$.matrices[0].id"
        assert "already defined at $.scales[0]" in p.message

    def test_foreign_namespace(self, tmp_path):
        """Every id in a file is in the file's namespace."""
        text = LAYER.replace("id: acme.small", "id: other.small")
        with pytest.raises(CatalogueValidationError, match="not in this file's namespace 'acme'"):
            load_catalogue(write(tmp_path, "a.yaml", text))

    def test_unknown_reference(self, tmp_path):
        """A matrix naming an unknown scale gets a suggestion and its line."""
        text = LAYER.replace("columns: fv.talk-health-consequence", "columns: fv.talk-health-consequense")
        path = write(tmp_path, "a.yaml", text)
        with pytest.raises(CatalogueValidationError) as info:
            load_catalogue(path)
        (p,) = info.value.problems
        assert (p.path, p.line, p.source) == ("$.matrices[0].columns", 15, str(path))
        assert "did you mean 'fv.talk-health-consequence'" in p.message

    def test_version_conflict(self, tmp_path):
        """Files of one namespace must agree on its version."""
        a = write(tmp_path, "a.yaml", LAYER)
        b = write(tmp_path, "b.yaml", 'forsvarlig: catalogue/1\nnamespace: acme\nversion: "2"\n')
        with pytest.raises(CatalogueValidationError, match="version '1'"):
            load_catalogue(a, b)

    def test_every_problem_in_every_file(self, tmp_path):
        """Problems from several files come together, each naming its file."""
        a = write(tmp_path, "a.yaml", LAYER.replace("kind: frequency", "kind: often"))
        b = write(tmp_path, "b.yaml", "forsvarlig: catalogue/1\nnamespace: beta\nversion: 1\n")
        with pytest.raises(CatalogueValidationError) as info:
            load_catalogue(a, b)
        assert {p.source for p in info.value.problems} == {str(a), str(b)}

    def test_missing_file(self, tmp_path):
        """A file that cannot be read is a catalogue error naming it."""
        with pytest.raises(CatalogueValidationError, match="cannot read"):
            load_catalogue(tmp_path / "missing.yaml")

    def test_without_builtin(self, tmp_path):
        """builtin=False gives only the files' entries."""
        text = LAYER.split("matrices:", maxsplit=1)[0]
        cat = load_catalogue(write(tmp_path, "a.yaml", text), builtin=False)
        assert cat.ids == ("acme.often",)

    def test_json_and_yaml_layers_are_equal(self, tmp_path):
        """The same layer in YAML and in JSON builds equal catalogues."""
        text = LAYER.split("matrices:", maxsplit=1)[0]
        cat = load_catalogue(write(tmp_path, "a.yaml", text), builtin=False)
        again = load_catalogue(write(tmp_path, "b.json", dumps(cat, format="json")), builtin=False)
        assert again == cat
        assert again.source("acme.often") != cat.source("acme.often")


class TestLookups:
    @pytest.mark.parametrize(
        ("method", "wrong", "right"),
        [
            ("scale", "fv.talk-frequensy", "fv.talk-frequency"),
            ("band_set", "fv.three-band", "fv.three-bands"),
            ("matrix", "fv.at-frequency-by-consequense", "fv.at-frequency-by-consequence"),
        ],
    )
    def test_did_you_mean(self, method, wrong, right):
        """Lookups of unknown ids suggest the nearest."""
        with pytest.raises(UnknownReferenceError) as info:
            getattr(default_catalogue(), method)(wrong)
        assert info.value.suggestions[0] == right
        assert isinstance(info.value, LookupError)

    def test_level(self):
        """A scale's level lookup suggests the nearest level."""
        with pytest.raises(UnknownReferenceError, match="did you mean 'daily'"):
            default_catalogue().scale("fv.talk-frequency").level("dayly")


def test_one_namespace_per_file():
    """Dumping a catalogue of several namespaces is refused with advice."""
    from forsvarlig import ValidationError

    cat = load_catalogue(
        ROOT / "catalogue" / "fv-scales.yaml", ROOT / "catalogue" / "fv-matrices.yaml", builtin=False
    )
    two = Catalogue(namespaces={"fv": "1", "acme": "1"}, scales={}, band_sets={}, matrices={})
    assert loads(dumps(cat)) == cat
    with pytest.raises(ValidationError, match="one namespace"):
        dumps(two)


class TestPackaging:
    def test_source_checkout_finds_yaml(self):
        """From a checkout, the built-in catalogue is the project's catalogue/ folder."""
        assert _builtin_dir().resolve() in {(ROOT / "catalogue").resolve(), _builtin_dir().resolve()}
        assert sorted(p.name for p in _builtin_dir().glob("*.yaml")) == sorted(
            p.name for p in (ROOT / "catalogue").glob("*.yaml")
        )

    def test_wheel_ships_the_catalogue(self, tmp_path):
        """The wheel contains the catalogue YAML, and an installed (non-editable) copy finds it."""
        built = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "-q",
                "-w",
                str(tmp_path),
                str(ROOT),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            pytest.fail(f"building the wheel failed:\n{built.stderr}")
        (wheel,) = tmp_path.glob("forsvarlig-*.whl")
        names = zipfile.ZipFile(wheel).namelist()
        for path in (ROOT / "catalogue").glob("*.yaml"):
            assert f"forsvarlig/_catalogue/{path.name}" in names
        assert "forsvarlig/py.typed" in names
        target = tmp_path / "site"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
            check=True,
            capture_output=True,
        )
        code = (
            "import forsvarlig.catalogue as c, forsvarlig;"
            "print(c._builtin_dir().parent == __import__('pathlib').Path(forsvarlig.__file__).parent);"
            "print(forsvarlig.default_catalogue().matrix('fv.talk-frequency-by-consequence').check().ok)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": str(target), "PATH": ""},
            cwd=tmp_path,
        ).stdout.split()
        assert out == ["True", "True"]


class TestCompiled:
    def test_fresh(self):
        """The shipped compiled catalogue is exactly what the YAML compiles to (run `python -m forsvarlig._compile`)."""
        from forsvarlig.catalogue import _COMPILED, compile_builtin

        for name, text in compile_builtin().items():
            assert (_COMPILED.parent / name).read_text(encoding="utf-8") == text, name

    def test_same_catalogue_as_the_yaml(self):
        """The built-in catalogue read from the compiled form equals the one read from the YAML, sources included."""
        cat = default_catalogue()
        from_yaml = load_catalogue(ROOT / "catalogue", builtin=False)
        assert cat == from_yaml
        for entry_id in cat.ids:
            assert cat.source(entry_id) == from_yaml.source(entry_id).replace(
                str(ROOT / "catalogue"), "<forsvarlig>"
            )

    def test_no_yaml_needed(self):
        """Reading the built-in catalogue imports no YAML."""
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys, forsvarlig; forsvarlig.default_catalogue(); print('yaml' in sys.modules)",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out.split() == ["False"]
