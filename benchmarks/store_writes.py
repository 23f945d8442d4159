"""B7b store-write benchmark: many page kernels saving answers at once, SQLite file against PostgreSQL.

``--writes`` answer writes (default 1000) from ``--writers`` concurrent writer **processes** (default 30; one
process per writer, as every Voila page kernel is its own process with its own engine), each through the
public store API (``AnswerStore(locator).save(...)``, one transaction per write, as a page saves). Every
writer opens its store and reads once before a common start barrier, so engine creation and migrations are
not timed. Each round writes into a fresh store: a SQLite file (WAL, ``synchronous=FULL``, ``BEGIN
IMMEDIATE``: the kit's settings) and a fresh database in a throw-away PostgreSQL cluster (Debian's
PostgreSQL binaries, started as in ``tests/pgcluster.py``); the two backends alternate within and across
rounds (S P, P S, S P …) so that the machine's load hits both alike.

Printed per round and backend: throughput (writes/s, from the first writer's start to the last write),
write latency p50/p95, lost writes (every written answer read back through ``AnswerStore.answers`` and
compared); then the medians over the rounds and the ratio PostgreSQL/SQLite.

Run by hand (not part of pytest)::

    python benchmarks/store_writes.py                # 1000 writes, 30 writers, 3 rounds
    python benchmarks/store_writes.py --quick        # smoke test: 40 writes, 4 writers, 1 round
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from _common import REPO, machine, p95

sys.path.insert(0, str(REPO / "src"))
from netcourse.core.store import AnswerStore  # noqa: E402
from pgcluster import ClusterUnavailable, running_cluster  # noqa: E402  (tests/pgcluster.py)

MODULE = "bench"


@dataclass
class Result:
    backend: str
    round: int
    writes: int
    seconds: float
    latencies: list[float]
    lost: int
    errors: list[str]

    @property
    def throughput(self) -> float:
        return self.writes / self.seconds if self.seconds else 0.0


def writer(locator: str, index: int, count: int, nonce: str, barrier: mp.Barrier, out: mp.Queue) -> None:  # type: ignore[valid-type]
    """One page kernel: open the store, wait for the others, save ``count`` answers, report timings."""
    store = AnswerStore(locator)
    participant = f"w{index:03d}"
    errors: list[str] = []
    latencies: list[float] = []
    store.load(participant, MODULE, "warm-up")  # engine, migrations and the run check happen here
    barrier.wait()
    started = time.perf_counter()
    for n in range(count):
        value = {"text": f"Antwort {n} von {participant}", "nonce": nonce, "n": n}
        t0 = time.perf_counter()
        try:
            store.save(participant, MODULE, f"e{n:04d}", value)
        except Exception as exc:  # noqa: BLE001 - a failed write is a result
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - t0)
    out.put((index, started, time.perf_counter(), latencies, errors))


def run_round(backend: str, locator: str, args: argparse.Namespace, number: int) -> Result:
    AnswerStore(locator).answers(participant_id="nobody")  # creates the store and its schema before the writers
    ctx = mp.get_context("spawn")  # a fresh interpreter per writer, as a kernel is
    barrier, out = ctx.Barrier(args.writers), ctx.Queue()
    share = [args.writes // args.writers + (i < args.writes % args.writers) for i in range(args.writers)]
    nonce = uuid.uuid4().hex
    procs = [ctx.Process(target=writer, args=(locator, i, share[i], nonce, barrier, out))
             for i in range(args.writers)]
    for p in procs:
        p.start()
    reports = [out.get(timeout=args.timeout) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    starts, ends = [r[1] for r in reports], [r[2] for r in reports]
    latencies = [x for r in reports for x in r[3]]
    errors = [e for r in reports for e in r[4]]
    # read back: every answer that was written, with its value
    stored = {(a.participant_id, a.exercise): a.value for a in AnswerStore(locator).answers(module=MODULE)}
    lost = sum(stored.get((f"w{i:03d}", f"e{n:04d}"), {}).get("n") != n or
               stored[(f"w{i:03d}", f"e{n:04d}")].get("nonce") != nonce
               for i in range(args.writers) for n in range(share[i]))
    return Result(backend, number, sum(share), max(ends) - min(starts), latencies, lost, errors)


def line(r: Result) -> str:
    ms = [x * 1000 for x in r.latencies]
    return (f"round {r.round} {r.backend:<10} {r.writes:5d} writes in {r.seconds:6.2f} s = {r.throughput:7.1f} "
            f"writes/s  latency p50 {statistics.median(ms):7.1f} ms  p95 {p95(ms):7.1f} ms  "
            f"lost {r.lost}  errors {len(r.errors)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\nRun by hand")[0].replace("``", "'"),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writes", type=int, default=1000, help="answer writes per round and backend (1000)")
    parser.add_argument("--writers", type=int, default=30, help="concurrent writer processes (30)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, backends alternating (3)")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated (sqlite,postgresql)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a round (600)")
    parser.add_argument("--quick", action="store_true", help="smoke test: 40 writes, 4 writers, 1 round")
    args = parser.parse_args(argv)
    if args.quick:
        args.writes, args.writers, args.rounds = 40, 4, 1
    backends = args.backends.split(",")
    print(f"store-write benchmark: {args.writes} writes from {args.writers} writer processes, {args.rounds} "
          f"rounds, backends {', '.join(backends)}; {machine()}", flush=True)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="nc-store-bench-") as tmp:
        cluster_cm = running_cluster(max_connections=max(100, 4 * args.writers)) if "postgresql" in backends \
            else None
        try:
            cluster = cluster_cm.__enter__() if cluster_cm else None
        except ClusterUnavailable as exc:
            print(f"PostgreSQL skipped: {exc}")
            backends, cluster, cluster_cm = [b for b in backends if b != "postgresql"], None, None
        try:
            for number in range(1, args.rounds + 1):
                order = backends if number % 2 else list(reversed(backends))
                for backend in order:
                    if backend == "sqlite":
                        locator = str(Path(tmp) / f"round{number}.sqlite")
                    else:
                        assert cluster is not None
                        locator = cluster.url(cluster.create_database())
                    results.append(run_round(backend, locator, args, number))
                    print(line(results[-1]), flush=True)
        finally:
            if cluster_cm:
                cluster_cm.__exit__(None, None, None)
    print("medians over the rounds:")
    med: dict[str, float] = {}
    for backend in backends:
        mine = [r for r in results if r.backend == backend]
        med[backend] = statistics.median(r.throughput for r in mine)
        ms = [x * 1000 for r in mine for x in r.latencies]
        print(f"  {backend:<10} {med[backend]:7.1f} writes/s  latency p50 {statistics.median(ms):7.1f} ms  "
              f"p95 {p95(ms):7.1f} ms  lost {sum(r.lost for r in mine)}  errors {sum(len(r.errors) for r in mine)}")
    if {"sqlite", "postgresql"} <= set(backends):
        ratios = [p.throughput / s.throughput for s, p in zip(
            [r for r in results if r.backend == "sqlite"], [r for r in results if r.backend == "postgresql"],
            strict=True)]
        print(f"  throughput PostgreSQL/SQLite: {statistics.median(ratios):.2f}x (per round: "
              f"{', '.join(f'{x:.2f}' for x in ratios)})")
    for r in results:
        for error in sorted(set(r.errors))[:3]:
            print(f"  round {r.round} {r.backend}: {error}")
    return 0 if all(r.lost == 0 and not r.errors for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
