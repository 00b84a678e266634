"""Scoring: `score_many` over a million rows against a bare Python loop, and one `score()`.

Run by hand: `.venv/bin/python benchmarks/bench_scoring.py [--rows N] [--runs N]`.

All cases score the same 1,000,000 (likelihood, consequence) pairs on the built-in
5 x 5 matrix (method `fv.matrix-5x5`), drawn once from a seeded generator:

  (a) a bare loop doing the matrix's dict lookups, `grid[likelihood][consequence]`,
      appending the band id: the floor;
  (b) the same loop appending the band id and the value (what score_many returns);
  (c) `scorer("fv.matrix-5x5", catalogue).score_many({...})`: band ids and values,
      as tuples, plus the shared provenance.

Before timing, the script checks that (c) gives (b)'s bands and values row by row.
Each case runs `--runs` times, the cases taking turns, with the garbage collector on;
medians are reported. (d) scores a million rows of Fine–Kinney's three dimensions, whose
values do not follow from the band alone. Then it times one `score()` call (best of 7 runs of 100,000
calls, per call) on the same method and on Fine–Kinney (three dimensions).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import timeit

from forsvarlig import Catalogue, default_catalogue
from forsvarlig.scoring import scorer


def main() -> None:  # noqa: PLR0915 - one side-by-side run, read top to bottom
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    cat = default_catalogue()
    strategy = scorer("fv.matrix-5x5", cat)
    matrix = cat.matrix(cat.method("fv.matrix-5x5").params["matrix"])
    rng = random.Random(2026)  # noqa: S311 - seeded data, not secrets
    likelihood = [rng.choice(matrix.rows.ids) for _ in range(args.rows)]
    consequence = [rng.choice(matrix.columns.ids) for _ in range(args.rows)]
    grid = {row.id: {} for row in matrix.rows}
    for row, column, band in matrix.cells():
        grid[row.id][column.id] = (band.id, float(band.rank))
    bands_only = {r: {c: out[0] for c, out in cols.items()} for r, cols in grid.items()}

    def bare_bands() -> list[str]:
        out = []
        append = out.append
        for lk, cq in zip(likelihood, consequence, strict=True):
            append(bands_only[lk][cq])
        return out

    def bare_bands_and_values() -> tuple[list[str], list[float]]:
        bands, values = [], []
        add_band, add_value = bands.append, values.append
        for lk, cq in zip(likelihood, consequence, strict=True):
            band, value = grid[lk][cq]
            add_band(band)
            add_value(value)
        return bands, values

    def forsvarlig_many() -> object:
        return strategy.score_many({"likelihood": likelihood, "consequence": consequence})

    bands, values = bare_bands_and_values()
    cols = forsvarlig_many()
    assert list(cols.bands) == bands  # type: ignore[attr-defined]
    assert list(cols.values) == values  # type: ignore[attr-defined]
    del bands, values, cols

    cases = {
        "(a) bare loop: band": bare_bands,
        "(b) bare loop: band and value": bare_bands_and_values,
        "(c) score_many": forsvarlig_many,
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, fn in cases.items():
            gc.collect()
            t = time.perf_counter()
            result = fn()
            times[name].append(time.perf_counter() - t)
            del result
    medians = {name: statistics.median(ts) for name, ts in times.items()}
    print(f"{args.rows:,} rows, median of {args.runs}, gc on")
    for name, median in medians.items():
        print(f"  {name:<32}{median * 1e3:9.1f} ms{median / args.rows * 1e9:8.1f} ns/row")
    a, b, c = medians.values()
    print(f"  (c)/(a) = {c / a:.2f}   (c)/(b) = {c / b:.2f}   target (c) <= 2 x the bare loop")

    fk = scorer("fv.fine-kinney", cat)
    fk_columns = {d: [rng.choice(scale.ids) for _ in range(args.rows)] for d, scale in fk.dimensions.items()}
    fk_times = []
    for _ in range(args.runs):
        gc.collect()
        t = time.perf_counter()
        fk.score_many(fk_columns)
        fk_times.append(time.perf_counter() - t)
    fk_median = statistics.median(fk_times)
    print(
        f"  {'(d) score_many, Fine-Kinney (3 dims)':<32}{fk_median * 1e3:9.1f} ms{fk_median / args.rows * 1e9:8.1f} ns/row"
    )

    single(cat)


def single(cat: Catalogue) -> None:
    print("one score() call, best of 7 x 100,000")
    for method_id, levels in (
        ("fv.matrix-5x5", {"likelihood": "likely", "consequence": "major"}),
        (
            "fv.fine-kinney",
            {"probability": "quite-possible", "exposure": "daily", "consequence": "important"},
        ),
    ):
        s = scorer(method_id, cat)
        best = min(timeit.repeat(lambda s=s, levels=levels: s.score(levels), number=100_000, repeat=7))
        print(f"  {method_id:<32}{best / 100_000 * 1e6:9.2f} µs")
    best = min(timeit.repeat(lambda: scorer("fv.fine-kinney", cat), number=200, repeat=5))
    print(
        f"configuring a method (scorer('fv.fine-kinney'), 252 combinations tabulated): {best / 200 * 1e3:.2f} ms"
    )


if __name__ == "__main__":
    main()
