"""Import time of forsvarlig against the libraries it is built on.

Runs each snippet in a fresh interpreter many times, interleaving the
snippets round by round (in a rotating order) so that a noisy machine
penalises them all alike, and prints the median wall time of each.

    .venv/bin/python benchmarks/bench_import.py [--runs 21]

Target: `import forsvarlig` takes at most 1.15 x `import attrs, cattrs`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

PYTHON = sys.executable
CORE = "from forsvarlig import Scale, RiskMatrix, Catalogue, loads"
# `-X importtime` only reports imports made by import statements, not those
# made through `importlib.import_module` (which is how the package's lazy
# re-exports load), so the profile names the modules behind CORE outright.
CORE_MODULES = "import forsvarlig.scales, forsvarlig.matrix, forsvarlig.catalogue, forsvarlig.documents"

#: (label, code) in the order the table prints them.
SNIPPETS = [
    ("python -c pass", "pass"),
    ("import attrs, cattrs", "import attrs, cattrs"),
    ("import forsvarlig", "import forsvarlig"),
    ("from forsvarlig import Scale, ...", CORE),
]
BASELINE = "import attrs, cattrs"
TARGET = 1.15


def run_once(code: str) -> float:
    """Wall time of one fresh interpreter running `code`, in seconds."""
    start = time.perf_counter()
    subprocess.run([PYTHON, "-c", code], check=True)
    return time.perf_counter() - start


def measure(runs: int, warmup: int = 2) -> dict[str, list[float]]:
    """Time every snippet `runs` times, round-robin, after `warmup` rounds."""
    times: dict[str, list[float]] = {label: [] for label, _ in SNIPPETS}
    for round_no in range(warmup + runs):
        shift = round_no % len(SNIPPETS)
        for label, code in SNIPPETS[shift:] + SNIPPETS[:shift]:
            elapsed = run_once(code)
            if round_no >= warmup:
                times[label].append(elapsed)
    return times


def import_profile(code: str) -> list[tuple[str, int, int]]:
    """Return (module, self us, cumulative us) from `-X importtime` for `code`."""
    proc = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", code], check=True, capture_output=True, text=True
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
        rows.append((name.rstrip(), int(self_us), int(cumulative_us)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each snippet (default 21)")
    args = parser.parse_args()

    times = measure(args.runs)
    medians = {label: statistics.median(ts) for label, ts in times.items()}
    base = medians[BASELINE]
    floor = medians["python -c pass"]

    print(f"Python {sys.version.split()[0]}, {args.runs} runs each, median wall time\n")
    print(f"{'snippet':<36} {'median ms':>10} {'minus floor':>12} {'vs attrs+cattrs':>16}")
    for label, _ in SNIPPETS:
        m = medians[label]
        print(f"{label:<36} {m * 1e3:>10.1f} {(m - floor) * 1e3:>12.1f} {m / base:>15.2f}x")

    ratio = medians["import forsvarlig"] / base
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"\nimport forsvarlig / import attrs, cattrs = {ratio:.3f} (target <= {TARGET}: {verdict})")

    print(f"\n-X importtime (one run) of {CORE_MODULES!r}")
    print("forsvarlig's modules, and attrs and cattrs where they are first imported:")
    print(f"{'module':<40} {'self ms':>8} {'cumulative ms':>14}")
    for name, self_us, cumulative_us in import_profile(f"{CORE_MODULES}; {CORE}"):
        if name.strip().startswith("forsvarlig") or name.strip() in {"attrs", "cattrs", "yaml"}:
            print(f"{name:<40} {self_us / 1e3:>8.2f} {cumulative_us / 1e3:>14.2f}")


if __name__ == "__main__":
    main()
