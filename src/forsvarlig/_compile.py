"""Write the built-in catalogue's compiled form: `python -m forsvarlig._compile`.

Private. Reads the YAML under `catalogue/` and writes
`src/forsvarlig/_catalogue.json` (the data and each entry's line), which
`default_catalogue()` reads instead of parsing YAML, and
`_catalogue_places.json` (every node's line, read only to report a problem).
A test fails while they and the YAML disagree.
"""

from __future__ import annotations

from typing import Final

from forsvarlig.catalogue import _COMPILED, _builtin_dir, compile_builtin


def main() -> None:
    """Write the compiled catalogue next to the package's modules, and record new ids."""
    for name, text in compile_builtin().items():
        (_COMPILED.parent / name).write_text(text, encoding="utf-8")
        print(f"wrote {name}")  # noqa: T201
    added = record_ids()
    if added:
        print(f"recorded {len(added)} new ids in {SHIPPED_IDS.name}")  # noqa: T201


#: Every id the built-in catalogue has ever had, one per line: ids are added,
#: never removed (a retired id stays, with `replaced_by`). A test holds the
#: catalogue to it.
SHIPPED_IDS: Final = _builtin_dir() / "shipped-ids.txt"


def shipped_ids() -> list[str]:
    """The recorded ids, in the order they were first shipped."""
    if not SHIPPED_IDS.is_file():
        return []
    lines = SHIPPED_IDS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def record_ids() -> list[str]:
    """Append the built-in catalogue's ids that are not recorded yet; return them."""
    from forsvarlig.catalogue import load_catalogue

    known = shipped_ids()
    current = load_catalogue(_builtin_dir(), builtin=False).ids
    added = [i for i in current if i not in set(known)]
    if added or not SHIPPED_IDS.is_file():
        head = (
            "# Every id forsvarlig's built-in catalogue has shipped. Ids are added here by\n"
            "# `python -m forsvarlig._compile` and never removed: retire one with `replaced_by`.\n"
        )
        SHIPPED_IDS.write_text(head + "".join(f"{i}\n" for i in [*known, *added]), encoding="utf-8")
    return added


if __name__ == "__main__":
    main()
