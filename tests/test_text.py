import pickle

import pytest
from hypothesis import given

from forsvarlig import Text, from_dict, to_dict
from forsvarlig.testing import texts


class TestText:
    def test_order_of_languages_does_not_matter(self):
        """Texts compare and hash by content, whatever order the languages came in."""
        a = Text(en="Daily", nb="Daglig")
        b = Text({"nb": "Daglig"}, en="Daily")
        assert a == b
        assert hash(a) == hash(b)
        assert a.languages == ("nb", "en")

    def test_fallback(self):
        """A missing language falls back: nb <-> nn first, then en, then the first stored."""
        t = Text(nn="Dagleg", en="Daily")
        assert t.get("nb") == "Dagleg"
        assert t.get("de") == "Daily"
        assert t.get("en-GB") == "Daily"
        assert Text(se="Beaivválaččat").get("nb") == "Beaivválaččat"
        assert str(Text(nb="Daglig", en="Daily")) == "Daily"

    def test_getitem_is_exact(self):
        """Indexing asks for exactly that language and says which there are."""
        with pytest.raises(LookupError, match="have nb"):
            Text(nb="Daglig")["en"]

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            ({}, "at least one language"),
            ({"nb": ""}, "non-empty"),
            ({"nb": "   "}, "non-empty"),
            ({"NB": "x"}, "not a language code"),
            ({"n": "x"}, "not a language code"),
        ],
    )
    def test_invalid(self, args, message):
        """Empty texts, blank strings and malformed codes are refused."""
        with pytest.raises(ValueError, match=message):
            Text(args)

    def test_serial_form_is_a_mapping(self):
        """A text is written as a plain mapping; a bare string is not a text."""
        assert to_dict(Text(en="a", nb="b")) == {"nb": "b", "en": "a"}
        from forsvarlig import ValidationError

        with pytest.raises(ValidationError, match="expected a mapping of language codes"):
            from_dict("Daily", Text)

    @given(texts())
    def test_pickle(self, text):
        """Texts pickle to equal texts."""
        assert pickle.loads(pickle.dumps(text)) == text

    def test_repr(self):
        """The repr reads like the call that makes it."""
        assert repr(Text(nb="Ja", en="Yes")) == "Text(nb='Ja', en='Yes')"
        assert repr(Text({"en-GB": "Colour"})) == "Text({'en-GB': 'Colour'})"
