"""The built-in catalogue's first read: from the compiled JSON against parsing the YAML.

Run by hand: `.venv/bin/python benchmarks/bench_catalogue.py`. Each sample is a fresh
interpreter that imports forsvarlig's modules first (not timed), then times the first
`default_catalogue()` (compiled form, the default) or the same files read from YAML
(`load_catalogue(<catalogue folder>, builtin=False)`, which also imports PyYAML).
"""

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
SNIPPETS = {
    "compiled JSON (default_catalogue)": "forsvarlig.default_catalogue()",
    "YAML (load_catalogue of catalogue/)": f"forsvarlig.load_catalogue({str(ROOT / 'catalogue')!r}, builtin=False)",
}
CODE = (
    "import time, forsvarlig, forsvarlig.catalogue, forsvarlig.documents, forsvarlig._serial as s;"
    "s.converter(); t = time.perf_counter(); {call}; print(time.perf_counter() - t)"
)


def main(runs: int = 15) -> None:
    times: dict[str, list[float]] = {name: [] for name in SNIPPETS}
    for _ in range(runs):
        for name, call in SNIPPETS.items():
            out = subprocess.run(
                [sys.executable, "-c", CODE.format(call=call)], capture_output=True, text=True, check=True
            )
            times[name].append(float(out.stdout))
    base = statistics.median(times["YAML (load_catalogue of catalogue/)"])
    print(f"median of {runs} fresh interpreters each")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:<40}{median * 1e3:8.1f} ms{median / base:8.2f}x")


if __name__ == "__main__":
    main()
