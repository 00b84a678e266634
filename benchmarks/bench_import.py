"""Import time of forsvarlig against the libraries it is built on.

Runs each snippet in a fresh interpreter many times, the snippets taking
turns round by round (in a rotating order) so that a noisy machine penalises
them all alike, and prints the median wall time of each.

Bytecode: an installed wheel has its `.pyc` files, and attrs and cattrs in
the virtual environment have theirs, but an editable checkout run with
PYTHONDONTWRITEBYTECODE=1 compiles forsvarlig's sources at every import. By
default the interpreters therefore write and read bytecode under a temporary
PYTHONPYCACHEPREFIX (the same for every snippet, filled by the warm-up
rounds); `--as-is` runs them in the inherited environment instead.

    .venv/bin/python benchmarks/bench_import.py [--runs 21] [--as-is]

Target: `import forsvarlig` takes at most 1.15 x `import attrs, cattrs`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

PYTHON = sys.executable
CORE = "from forsvarlig import Scale, RiskMatrix, Catalogue, loads"
# `-X importtime` reports only imports made by import statements, not those
# made through `importlib.import_module` (which is how the package's lazy
# re-exports load), so the profile imports the modules behind CORE by name.
CORE_MODULES = "import forsvarlig.scales, forsvarlig.matrix, forsvarlig.catalogue, forsvarlig.documents"

#: (label, code) in the order the table prints them.
SNIPPETS = [
    ("python -c pass", "pass"),
    ("import attrs, cattrs", "import attrs, cattrs"),
    ("import forsvarlig", "import forsvarlig"),
    ("from forsvarlig import Scale, ...", CORE),
]
FLOOR = "python -c pass"
BASELINE = "import attrs, cattrs"
TARGET = 1.15


def run_once(code: str, env: dict[str, str]) -> float:
    """Wall time of one fresh interpreter running `code`, in seconds."""
    start = time.perf_counter()
    subprocess.run([PYTHON, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def measure(runs: int, env: dict[str, str], warmup: int = 2) -> dict[str, float]:
    """Median time of every snippet over `runs` rounds, after `warmup` rounds."""
    times: dict[str, list[float]] = {label: [] for label, _ in SNIPPETS}
    for round_no in range(warmup + runs):
        shift = round_no % len(SNIPPETS)
        for label, code in SNIPPETS[shift:] + SNIPPETS[:shift]:
            elapsed = run_once(code, env)
            if round_no >= warmup:
                times[label].append(elapsed)
    return {label: statistics.median(ts) for label, ts in times.items()}


def import_profile(code: str, env: dict[str, str]) -> list[tuple[str, int, int]]:
    """Return (module, self us, cumulative us) from `-X importtime` for `code`."""
    proc = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", code], check=True, capture_output=True, text=True, env=env
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
        rows.append((name.rstrip(), int(self_us), int(cumulative_us)))
    return rows


def report(medians: dict[str, float], runs: int, how: str) -> None:
    base = medians[BASELINE]
    floor = medians[FLOOR]
    print(f"Python {sys.version.split()[0]}, {how}; median wall time of {runs} runs each\n")
    print(f"{'snippet':<36} {'median ms':>10} {'minus floor':>12} {'vs attrs+cattrs':>16}")
    for label, _ in SNIPPETS:
        m = medians[label]
        print(f"{label:<36} {m * 1e3:>10.1f} {(m - floor) * 1e3:>12.1f} {m / base:>15.2f}x")
    ratio = medians["import forsvarlig"] / base
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"\nimport forsvarlig / import attrs, cattrs = {ratio:.3f} (target <= {TARGET}: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each snippet (default 21)")
    parser.add_argument("--as-is", action="store_true", help="keep the inherited bytecode settings")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="forsvarlig-bench-pyc-") as cache:
        env = dict(os.environ)
        if args.as_is:
            how = "bytecode settings as inherited"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
            how = "bytecode cached"
        report(measure(args.runs, env), args.runs, how)

        print(f"\n-X importtime (one run) of {CORE_MODULES!r}")
        print("forsvarlig's modules, and attrs and cattrs where they are first imported:")
        print(f"{'module':<40} {'self ms':>8} {'cumulative ms':>14}")
        for name, self_us, cumulative_us in import_profile(f"{CORE_MODULES}; {CORE}", env):
            if name.strip().startswith("forsvarlig") or name.strip() in {"attrs", "cattrs", "yaml"}:
                print(f"{name:<40} {self_us / 1e3:>8.2f} {cumulative_us / 1e3:>14.2f}")


if __name__ == "__main__":
    main()
