"""load/dump, loads/dumps, to_dict/from_dict: formats, tags, files and streams."""

import io
import json

import pytest

from forsvarlig import (
    Catalogue,
    Scale,
    Text,
    ValidationError,
    default_catalogue,
    document_kinds,
    dump,
    dumps,
    from_dict,
    load,
    load_catalogue,
    loads,
    to_dict,
)


@pytest.fixture
def layer() -> Catalogue:
    return load_catalogue(
        default_catalogue().source("fv.talk-frequency").split(":")[0].replace("<forsvarlig>", "catalogue"),
        builtin=False,
    )


def scale_doc() -> dict:
    return to_dict(default_catalogue().scale("fv.at-frequency"))


def catalogue_doc(tag_last: bool = False) -> dict:
    body = {"namespace": "acme", "version": "1", "scales": [{**scale_doc(), "id": "acme.freq"}]}
    return {**body, "forsvarlig": "catalogue/1"} if tag_last else {"forsvarlig": "catalogue/1", **body}


class TestTags:
    def test_tag_anywhere(self):
        """The schema tag is read wherever it stands in the top mapping."""
        assert from_dict(catalogue_doc(tag_last=True)) == from_dict(catalogue_doc())

    def test_tag_dumped_first(self):
        """Dumping writes the tag first, in YAML and JSON."""
        cat = from_dict(catalogue_doc(tag_last=True))
        assert dumps(cat).startswith("forsvarlig: catalogue/1\n")
        assert next(iter(json.loads(dumps(cat, format="json")))) == "forsvarlig"

    @pytest.mark.parametrize(
        ("tag", "code", "match"),
        [
            ("catalogue/2", "schema-version", "newer than this version"),
            ("catalogue/0", "schema", "kind/major"),
            ("catalogue/1/2", "schema", "kind/major"),
            ("catalog/1", "schema", r"did you mean 'catalogue'"),
            ("catalogue", "schema", "kind/major"),
            (1, "schema", "kind/major"),
        ],
    )
    def test_bad_tags(self, tag, code, match):
        """A newer major, an unknown kind or a malformed tag is a clear error at $.forsvarlig."""
        with pytest.raises(ValidationError, match=match) as info:
            from_dict({**catalogue_doc(), "forsvarlig": tag})
        (p,) = info.value.problems
        assert (p.path, p.code) == ("$.forsvarlig", code)

    def test_no_tag(self):
        """A document without a tag needs its type named, and a document type needs its tag."""
        body = {k: v for k, v in catalogue_doc().items() if k != "forsvarlig"}
        with pytest.raises(ValidationError, match="no schema tag"):
            from_dict(body)
        with pytest.raises(ValidationError, match="no schema tag"):
            from_dict(body, Catalogue)

    def test_plain_types_have_no_tag(self):
        """A plain type refuses a tagged document."""
        with pytest.raises(ValidationError, match="has no schema tag"):
            from_dict({**scale_doc(), "forsvarlig": "catalogue/1"}, Scale)

    def test_kinds(self):
        """The kinds this version reads are listed."""
        assert document_kinds() == {"assessment": "assessment/1", "catalogue": "catalogue/1"}


class TestFormats:
    def test_yaml_and_json_agree(self):
        """The same document in YAML and in JSON loads to equal values."""
        cat = from_dict(catalogue_doc())
        assert (
            loads(dumps(cat))
            == loads(dumps(cat, format="json"))
            == loads(dumps(cat, format="json", indent=None))
        )

    def test_bytes_and_str(self):
        """Text and UTF-8 bytes read the same."""
        text = dumps(Text(nb="Svært ofte", en="Very often"))
        assert loads(text, Text) == loads(text.encode(), Text)

    def test_unknown_format(self):
        """An unknown format name is a ValueError."""
        with pytest.raises(ValueError, match="unknown format"):
            dumps(Text(en="x"), format="toml")
        with pytest.raises(ValueError, match="unknown format"):
            loads("a: 1", Text, format="toml")

    def test_yaml_line_numbers(self):
        """Problems in YAML carry their line and column, and the source named."""
        text = "forsvarlig: catalogue/1\nnamespace: acme\nversion: 1\nscales: []\n"
        with pytest.raises(ValidationError) as info:
            loads(text, source="acme.yaml")
        (p,) = info.value.problems
        assert (p.path, p.line, p.column, p.source) == ("$.version", 3, 10, "acme.yaml")

    def test_json_paths(self):
        """Problems in JSON carry their path."""
        with pytest.raises(ValidationError) as info:
            loads('{"forsvarlig": "catalogue/1", "namespace": "acme", "version": "1", "scales": [{"id": 3}]}')
        paths = {p.path for p in info.value.problems}
        assert "$.scales[0].id" in paths
        assert "$.scales[0].kind" in paths


class TestFiles:
    @pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
    def test_path_round_trip(self, tmp_path, suffix):
        """dump/load through a path pick the format from the suffix."""
        cat = from_dict(catalogue_doc())
        path = tmp_path / f"layer{suffix}"
        dump(cat, path)
        raw = path.read_text(encoding="utf-8")
        assert raw.lstrip().startswith("{") == (suffix == ".json")
        assert load(path) == cat
        assert load(str(path)) == cat

    def test_streams(self):
        """dump/load through text and binary streams."""
        cat = from_dict(catalogue_doc())
        text, binary = io.StringIO(), io.BytesIO()
        dump(cat, text)
        dump(cat, binary, format="json")
        assert load(io.StringIO(text.getvalue())) == cat
        assert load(io.BytesIO(binary.getvalue())) == cat

    def test_problems_name_the_file(self, tmp_path):
        """Problems from a file name it."""
        path = tmp_path / "bad.yaml"
        path.write_text("forsvarlig: catalogue/1\nnamespace: acme\n", encoding="utf-8")
        with pytest.raises(ValidationError) as info:
            load(path)
        assert {p.source for p in info.value.problems} == {str(path)}


class TestMessages:
    def test_not_a_value(self):
        """Only forsvarlig values are written."""
        for fmt in ("yaml", "json"):
            with pytest.raises(TypeError, match="not a forsvarlig value"):
                dumps(object(), format=fmt)
        with pytest.raises(TypeError, match="not a forsvarlig value"):
            to_dict(object())

    def test_text_problems_name_the_language(self):
        """A bad text names the language at fault."""
        with pytest.raises(ValidationError) as info:
            from_dict({"nb": 1, "en": "x"}, Text)
        assert [p.path for p in info.value.problems] == ["$.nb"]

    def test_number_for_a_string(self):
        """A number where text belongs suggests quoting it."""
        with pytest.raises(ValidationError, match="quote it"):
            loads("forsvarlig: catalogue/1\nnamespace: acme\nversion: 1.0\n")
