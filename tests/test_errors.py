import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forsvarlig import (
    CatalogueError,
    CatalogueValidationError,
    DuplicateEntryError,
    ForsvarligError,
    PluginError,
    PluginLoadError,
    PluginRegistrationError,
    Problem,
    ScoringError,
    UnknownPluginError,
    UnknownReferenceError,
    ValidationError,
)
from forsvarlig.testing import problems


class TestHierarchy:
    @pytest.mark.parametrize(
        ("cls", "builtin"),
        [
            (ValidationError, ValueError),
            (CatalogueValidationError, ValueError),
            (DuplicateEntryError, ValueError),
            (UnknownReferenceError, LookupError),
            (UnknownPluginError, LookupError),
            (PluginRegistrationError, ValueError),
            (PluginLoadError, ImportError),
            (ScoringError, ValueError),
        ],
    )
    def test_each_is_also_a_builtin(self, cls, builtin):
        """Every error is a ForsvarligError and the matching builtin."""
        assert issubclass(cls, ForsvarligError)
        assert issubclass(cls, builtin)

    def test_catalogue_validation_is_validation(self):
        """A catalogue's validation error is a ValidationError and a CatalogueError."""
        assert issubclass(CatalogueValidationError, ValidationError)
        assert issubclass(CatalogueValidationError, CatalogueError)


class TestPickle:
    @given(st.lists(problems(), min_size=1, max_size=4))
    def test_validation_error(self, items):
        """A validation error pickles with its problems and its message."""
        err = ValidationError(items)
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is ValidationError
        assert back.problems == err.problems
        assert str(back) == str(err)

    @pytest.mark.parametrize(
        "err",
        [
            CatalogueValidationError([Problem("$.a", "bad")]),
            DuplicateEntryError("fv.x", "a.yaml:3", "b.yaml:9"),
            UnknownReferenceError("scale", "fv.y", ["fv.x"], where="matrix 'fv.m'"),
            PluginError("a plugin failed"),
            UnknownPluginError("forsvarlig.scoring", "prodcut", ["matrix", "product"]),
            PluginRegistrationError("forsvarlig.scoring", "matrix", "the name is taken"),
            PluginLoadError("forsvarlig.scoring", "x", "acme:make", "acme 1.0"),
            ScoringError(
                "unknown level",
                method="fv.m",
                dimension="d",
                level="l",
                scale="fv.s",
                suggestions=["k"],
                row=3,
            ),
        ],
    )
    def test_others(self, err):
        """Every error class round-trips through pickle with its attributes."""
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err)
        assert vars(back) == vars(err)
        assert str(back) == str(err)


class TestMessages:
    def test_problem_str(self):
        """A problem shows its place before its message."""
        assert str(Problem("$.a", "bad", source="f.yaml", line=2, column=5)) == "f.yaml:2:5: $.a: bad"
        assert str(Problem("$.a", "bad")) == "$.a: bad"

    def test_unknown_reference(self):
        """An unknown reference names the kind, the id and the suggestions."""
        err = UnknownReferenceError("level", "dayly", ["daily", "weekly"], where="scale 'fv.f'")
        assert str(err) == "unknown level 'dayly' in scale 'fv.f' (did you mean 'daily' or 'weekly'?)"
        assert err.suggestions == ("daily", "weekly")

    def test_plugin_errors_are_plugin_errors(self):
        """Every plugin error is a PluginError, so one except clause catches them all."""
        for cls in (UnknownPluginError, PluginRegistrationError, PluginLoadError):
            assert issubclass(cls, PluginError)

    def test_scoring_error_message(self):
        """A scoring error names the method, the row, the level, its dimension and scale, and a suggestion."""
        err = ScoringError(
            "unknown level", method="fv.m", dimension="d", level="l", scale="fv.s", suggestions=["k"], row=3
        )
        assert str(err) == "fv.m: row 3: unknown level 'l' for d on scale fv.s (did you mean 'k'?)"

    def test_duplicate(self):
        """A duplicate names both places."""
        msg = str(DuplicateEntryError("fv.x", "a.yaml:3", "b.yaml:9"))
        assert "a.yaml:3" in msg
        assert "b.yaml:9" in msg
