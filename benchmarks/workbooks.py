"""Benchmark: build the same personalised workbooks three ways and print the ratios (run by hand).

    python benchmarks/workbooks.py --sizes 16,500

1. a shell loop of ``papermill`` CLI calls (what a trainer would script),
2. sequential ``papermill.execute_notebook`` in one process (default engine: a new kernel per notebook),
3. ``netcourse workbooks`` (warm kernels reset between notebooks, ``--jobs`` parallel workers).

All three run the template in exercises/ with the same participants and store. ``--cli-limit N`` runs the
slow baselines on the first N participants only and scales their time up (printed as "extrapolated").
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "src" / "netcourse" / "data" / "workbook.ipynb"
TRAITS = ["Tausch", "Ziele", "Unterschiedlichkeit", "Vertrauen"]


def write_roster(path: Path, size: int) -> None:
    lines = ["Name;Kommune;Gruppe"]
    lines += [f"Teilnehmerin {i:04d} Müller;Kommune {i % 12 + 1};{TRAITS[i % 4]}" for i in range(size)]
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")


def run_netcourse(roster: Path, out: Path, store: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "netcourse", "workbooks", str(roster), "--out", str(out), "--store",
                    str(store), "--jobs", str(jobs)], check=True, capture_output=True)
    return time.perf_counter() - start


def participant_ids(store: Path) -> list[str]:
    from netcourse.core.store import AnswerStore

    return [p.participant_id for p in AnswerStore(store).profiles()]


def run_cli_loop(ids: list[str], out: Path, store: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    script = "\n".join(
        f"papermill -r participant {pid} -r lang de -r store {store} --no-progress-bar -k python3 "
        f"{TEMPLATE} {out / (pid + '.ipynb')} 2>/dev/null || exit 1" for pid in ids)
    start = time.perf_counter()
    subprocess.run(["bash", "-c", script], check=True)
    return time.perf_counter() - start


def run_sequential(ids: list[str], out: Path, store: Path) -> float:
    import papermill

    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for pid in ids:
        papermill.execute_notebook(str(TEMPLATE), str(out / f"{pid}.ipynb"), kernel_name="python3",
                                   parameters={"participant": pid, "lang": "de", "store": str(store)},
                                   progress_bar=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="16,500", help="comma-separated roster sizes (default 16,500)")
    parser.add_argument("--jobs", type=int, default=2, help="netcourse workers (default 2 = this machine's cores)")
    parser.add_argument("--cli-limit", type=int, default=0,
                        help="run the two baselines on at most N participants and extrapolate (default: all)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="netcourse-bench-"))
    print(f"{'size':>5} {'papermill CLI loop':>20} {'execute_notebook':>18} {'netcourse':>10} "
          f"{'vs CLI':>8} {'vs seq':>8}")
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            roster, store = work / f"roster-{size}.csv", work / f"store-{size}.sqlite"
            write_roster(roster, size)
            ours = run_netcourse(roster, work / f"ours-{size}", store, args.jobs)
            ids = participant_ids(store)
            sample = ids[: args.cli_limit] if args.cli_limit else ids
            scale = len(ids) / len(sample)
            cli = run_cli_loop(sample, work / f"cli-{size}", store) * scale
            seq = run_sequential(sample, work / f"seq-{size}", store) * scale
            note = f"  (baselines extrapolated from {len(sample)})" if scale > 1 else ""
            print(f"{size:>5} {cli:>19.1f}s {seq:>17.1f}s {ours:>9.1f}s {cli / ours:>7.1f}x {seq / ours:>7.1f}x{note}",
                  flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
