"""Write the built-in catalogue's compiled form: `python -m forsvarlig._compile`.

Private. Reads the YAML under `catalogue/` and writes
`src/forsvarlig/_catalogue.json`, which `default_catalogue()` reads instead
of parsing YAML. A test fails while the two disagree.
"""

from __future__ import annotations

from forsvarlig.catalogue import _COMPILED, compile_builtin


def main() -> None:
    """Write the compiled catalogue next to the package's modules."""
    _COMPILED.write_text(compile_builtin(), encoding="utf-8")
    print(f"wrote {_COMPILED.name}")  # noqa: T201


if __name__ == "__main__":
    main()
