"""Reading and writing 100,000 hazard-like records: forsvarlig against pydantic.

Side by side in one process, from the same JSON bytes:

    (a) json.loads alone                                 the floor for reading
    (b) forsvarlig: _serial.read_json, then the strict cattrs hook for list[Record]
    (c) pydantic v2, strict: TypeAdapter(list[Model]).validate_json
    (d) json.dumps of the same data, prebuilt as dicts   the floor for writing
    (e) forsvarlig: `_serial.dump_json_value` (what `forsvarlig.dumps(..., format="json")`
        does: objects turned into data as the encoder reaches them), same json settings

Both readers refuse unknown keys and coercions. Every case is timed
`--repeats` times, the cases taking turns, and the median is reported, once
with the garbage collector on (as programs run) and once with it off (the
work itself). A case's input is built, untimed, just before it runs, so that
no other case's objects are alive to make collections dearer.

pydantic is needed only here (`.venv/bin/pip install pydantic`); it is no
dependency of forsvarlig.

    .venv/bin/python benchmarks/bench_records.py [--records 100000] [--repeats 7] [--profile]

Targets: (b)/(c) <= 1.5, stretch <= 1.0; (e)/(d) <= 1.6.
"""

import argparse
import contextlib
import cProfile
import datetime as dt
import functools
import gc
import json
import platform
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import attrs
import pydantic
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from forsvarlig import _serial
from forsvarlig._serial import Meta
from forsvarlig.errors import ValidationError

READ_TARGET = 1.5
READ_STRETCH = 1.0
WRITE_TARGET = 1.6

#: The same settings on both sides of the writing comparison; they are those
#: of `_serial.dump_json(data, indent=None)`.
dumps = functools.partial(json.dumps, ensure_ascii=False, allow_nan=False)


@attrs.frozen(kw_only=True)
class Record:
    id: str
    title: str
    description: str
    level: str
    found: dt.date
    factors: tuple[str, ...]
    owner: str | None = None
    meta: Meta = attrs.field(factory=dict)


class Model(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    id: str
    title: str
    description: str
    level: str
    found: dt.date
    factors: tuple[str, ...]
    owner: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


FIELDS = [a.name for a in attrs.fields(Record)]

LEVELS = ["rarely", "yearly", "monthly", "weekly", "daily"]
FACTORS = [
    "fv.workload",
    "fv.time-pressure",
    "fv.role-clarity",
    "fv.role-conflict",
    "fv.control",
    "fv.social-support",
    "fv.leadership",
    "fv.harassment",
    "fv.emotional-demands",
    "fv.change",
]
WORDS = [
    *("arbeidsmengde", "tidspress", "rolle", "konflikt", "støtte", "ledelse", "endring"),
    *("omstilling", "kunde", "pasient", "skift", "natt", "overtid", "vold", "trusler"),
    *("trakassering", "kollega", "møte", "frist", "ansvar", "oppfølging", "tiltak"),
    *("risiko", "vurdering", "avdeling", "team"),
]
OWNERS = ["Kari Nordmann", "Ola Nordmann", "Åse Ødegård", "HMS-leder", "Verneombud"]


def make_records(n: int, seed: int = 2024) -> list[dict[str, Any]]:
    """Plain records as a document holds them: defaults left out."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    start = dt.date(2020, 1, 1).toordinal()
    records = []
    for i in range(n):
        record: dict[str, Any] = {
            "id": f"hz.{i:06d}",
            "title": " ".join(rng.choices(WORDS, k=4)).capitalize(),
            "description": " ".join(rng.choices(WORDS, k=24)).capitalize() + ".",
            "level": rng.choice(LEVELS),
            "found": dt.date.fromordinal(start + rng.randrange(2190)).isoformat(),
            "factors": rng.sample(FACTORS, 3),
        }
        if rng.random() < 0.5:
            record["owner"] = rng.choice(OWNERS)
        if rng.random() < 0.2:
            record["meta"] = {
                "source": rng.choice(["survey", "interview", "incident"]),
                "score": rng.randint(1, 5),
                "weight": round(rng.random(), 3),
                "tags": rng.sample(WORDS, 2),
            }
        records.append(record)
    return records


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Case:
    label: str
    run: Callable[[Any], Any]
    #: Builds the case's input, untimed.
    setup: Callable[[], Any] = _nothing


def median_times(cases: dict[str, Case], repeats: int) -> dict[tuple[str, bool], float]:
    """Median wall time of each case, keyed by (case, whether gc was on)."""
    times: dict[tuple[str, bool], list[float]] = {(k, on): [] for k in cases for on in (True, False)}
    for _ in range(repeats):
        for key, case in cases.items():
            given = case.setup()
            for on in (True, False):
                gc.collect()
                if not on:
                    gc.disable()
                start = time.perf_counter()
                result = case.run(given)
                elapsed = time.perf_counter() - start
                gc.enable()
                del result
                times[key, on].append(elapsed)
            del given
    return {key: statistics.median(ts) for key, ts in times.items()}


#: Changes to a good record that both readers must refuse.
SPOILERS: list[dict[str, Any]] = [
    {"owner": 3},
    {"extra": "x"},
    {"found": "2024-02-30"},
    {"found": "01.02.2024"},
    {"factors": "fv.workload"},
    {"meta": ["not", "a", "mapping"]},
    {"title": None},
]


def check(raw: bytes, objs: list[Record], models: list[Model], adapter: TypeAdapter[list[Model]]) -> None:
    """Both readers agree on every record and refuse the same errors; writing gives the input back."""
    assert len(objs) == len(models)
    for obj, model in zip(objs, models, strict=True):
        for name in FIELDS:
            assert getattr(obj, name) == getattr(model, name), (obj.id, name)
    assert json.loads(dumps(_serial.unstructure(objs, list[Record]))) == json.loads(raw)
    assert json.loads(_serial.dump_json_value(objs, indent=None)) == json.loads(raw)

    good = json.loads(raw)[0]
    for change in SPOILERS:
        bad = dumps([good | change])
        with contextlib.suppress(ValidationError):
            _serial.structure(_serial.read_json(bad), list[Record])
            raise AssertionError(f"forsvarlig accepted {change}")
        with contextlib.suppress(pydantic.ValidationError):
            adapter.validate_json(bad)
            raise AssertionError(f"pydantic accepted {change}")


def profile(fn: Callable[[], Any], lines: int = 20) -> None:
    """Print where the time goes in one run of `fn`, with gc off.

    With gc on, a profile charges each collection to whatever function
    happens to be running when it starts; `gc_pauses` measures those apart.
    """
    prof = cProfile.Profile()
    gc.collect()
    gc.disable()
    try:
        prof.runcall(fn)
    finally:
        gc.enable()
    pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(lines)


def gc_pauses(fn: Callable[[], Any]) -> str:
    """Run `fn` once with gc on; say how long it took and how much of it was collections."""
    spent = [0.0, 0.0, 0.0]
    counts = [0, 0, 0]
    started = 0.0

    def callback(phase: str, info: dict[str, int]) -> None:
        nonlocal started
        if phase == "start":
            started = time.perf_counter()
        else:
            spent[info["generation"]] += time.perf_counter() - started
            counts[info["generation"]] += 1

    gc.collect()
    gc.callbacks.append(callback)
    try:
        start = time.perf_counter()
        result = fn()
        total = time.perf_counter() - start
    finally:
        gc.callbacks.remove(callback)
    del result
    per_gen = ", ".join(f"gen{g}: {counts[g]} in {spent[g] * 1e3:.0f} ms" for g in range(3))
    return f"{total * 1e3:.0f} ms, of which {sum(spent) * 1e3:.0f} ms in collections ({per_gen})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="also profile forsvarlig's two paths")
    args = parser.parse_args()

    plain = make_records(args.records)
    raw = dumps(plain).encode()
    assert json.loads(dumps(plain)) == plain
    del plain

    conv = _serial.converter()
    structure = conv.get_structure_hook(list[Record])
    unstructure = conv.get_unstructure_hook(list[Record])
    adapter = TypeAdapter(list[Model])

    def read(text: bytes) -> list[Record]:
        return structure(_serial.read_json(text.decode()), list[Record])

    check(raw, read(raw), adapter.validate_json(raw), adapter)

    cases = {
        "a": Case("json.loads(bytes)", lambda _: json.loads(raw)),
        "b": Case("forsvarlig: read_json + structure hook", lambda _: read(raw)),
        "b1": Case("  of which read_json(bytes.decode())", lambda _: _serial.read_json(raw.decode())),
        "b2": Case(
            "  of which structure hook (parsed data)",
            lambda data: structure(data, list[Record]),
            lambda: json.loads(raw),
        ),
        "c": Case("pydantic strict: validate_json(bytes)", lambda _: adapter.validate_json(raw)),
        "d": Case("json.dumps(dicts)", dumps, lambda: json.loads(raw)),
        "e": Case(
            "forsvarlig: dump_json_value (what dumps does)",
            lambda objs: _serial.dump_json_value(objs, indent=None),
            lambda: read(raw),
        ),
        "e1": Case(
            "  for reference: unstructure + json.dumps",
            lambda objs: dumps(unstructure(objs)),
            lambda: read(raw),
        ),
        "e2": Case("  of which unstructure hook", unstructure, lambda: read(raw)),
        "f": Case(
            "pydantic: dump_json (for reference)", adapter.dump_json, lambda: adapter.validate_json(raw)
        ),
    }
    t = median_times(cases, args.repeats)

    print(
        f"{args.records:,} records, {len(raw) / 1e6:.1f} MB of JSON; median of {args.repeats} runs;"
        f" CPython {platform.python_version()}, attrs {version('attrs')}, cattrs {version('cattrs')},"
        f" pydantic {version('pydantic')}\n"
    )
    print(f"{'':4}{'case':<44}{'ms':>9}{'us/record':>11}{'ms, gc off':>12}")
    for key, case in cases.items():
        on, off = t[key, True], t[key, False]
        print(f"{key:<4}{case.label:<44}{on * 1e3:>9.1f}{on / args.records * 1e6:>11.2f}{off * 1e3:>12.1f}")

    print(f"\n{'ratio':<44}{'gc on':>9}{'gc off':>9}  target (judged with gc on)")
    for label, num, den, target in [
        ("(b)/(c) forsvarlig / pydantic, reading", "b", "c", READ_TARGET),
        ("(b)/(a) forsvarlig / json.loads", "b", "a", None),
        ("(e)/(d) forsvarlig / json.dumps, writing", "e", "d", WRITE_TARGET),
    ]:
        on, off = t[num, True] / t[den, True], t[num, False] / t[den, False]
        verdict = ""
        if target is not None:
            verdict = f"<= {target}: {'met' if on <= target else 'MISSED'}"
        if target == READ_TARGET:
            verdict += f"; stretch <= {READ_STRETCH}: {'met' if on <= READ_STRETCH else 'missed'}"
        print(f"{label:<44}{on:>9.2f}{off:>9.2f}  {verdict}")

    if args.profile:
        objs = read(raw)
        print("\nOne run each with gc on, and the time the collector took:")
        print(f"  (b) read:         {gc_pauses(lambda: read(raw))}")
        print(f"  (c) pydantic:     {gc_pauses(lambda: adapter.validate_json(raw))}")
        print(f"  (e1) unstructure: {gc_pauses(lambda: unstructure(objs))}")
        print("\nProfile of forsvarlig reading, bytes to objects (b), gc off:")
        profile(lambda: read(raw))
        print("Profile of the unstructure hook (e1), gc off:")
        profile(lambda: unstructure(objs))


if __name__ == "__main__":
    main()
