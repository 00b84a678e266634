"""Which forsvarlig the tests run against: the checkout, or (in CI's release step) the installed wheel."""

import os
import zipfile
from pathlib import Path

import pytest

import forsvarlig

ROOT = Path(__file__).parent.parent
INSTALLED = os.environ.get("FORSVARLIG_TEST_INSTALLED") == "1"


def test_the_package_under_test():
    """In CI's release step the tests import the installed wheel, never the checkout's sources."""
    here = Path(forsvarlig.__file__).resolve()
    in_checkout = (ROOT / "src").resolve() in here.parents
    assert in_checkout is not INSTALLED, here


@pytest.mark.skipif(not INSTALLED, reason="runs in CI's release step, against the installed wheel")
def test_the_installed_package_is_whole():
    """The installed package has its catalogue (YAML and compiled), its schemas and py.typed, and its version."""
    folder = Path(forsvarlig.__file__).parent
    for path in (ROOT / "catalogue").glob("*.yaml"):
        assert (folder / "_catalogue" / path.name).is_file(), path.name
    assert (folder / "schemas" / "assessment-1.json").is_file()
    assert (folder / "py.typed").is_file()
    from importlib.metadata import version

    assert forsvarlig.__version__ == version("forsvarlig")


def test_the_version_is_the_projects():
    """`forsvarlig.__version__` is the version in pyproject.toml."""
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert forsvarlig.__version__ == declared


def test_a_wheel_in_dist_ships_the_catalogue():
    """Where CI built the release (FORSVARLIG_DIST), its wheel holds the catalogue and the schemas."""
    dist = os.environ.get("FORSVARLIG_DIST")
    if not dist:
        pytest.skip("no release built here (CI's release step sets FORSVARLIG_DIST)")
    (wheel,) = Path(dist).glob("forsvarlig-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"forsvarlig/_catalogue/{p.name}" for p in (ROOT / "catalogue").glob("*.yaml")} <= names
    assert "forsvarlig/schemas/catalogue-1.json" in names
