"""Load: concurrent decision requests against one OPA server on loopback, bounded in time and
count (LOAD_SECONDS, LOAD_REQUESTS), over keep-alive connections (http.client, one per thread),
cycling through summit's cases: zero failed requests, zero undefined results, every answer the
verdict `charter eval` gives. Twice: each case to its policy's verdict, then each case's input
(without `policy`) to the router (`/v1/data/charter/router/verdict`, vs `charter eval` without
`--policy`), each run bounded by LOAD_SECONDS and LOAD_REQUESTS. Throughput and p50/p99 latency are printed (and written to
$CHARTER_FLEET_FIGURES as JSON when set); docs/benchmarks.md ("OPA fleet") records them, with the
native evaluator's time for the same decisions, measured in the same run, as the ceiling.
Decision logging is off here (it is on in the other fleet tests)."""

from __future__ import annotations

import http.client
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import threading
import time

import pytest

from bundle_server import PATH, BundleServer
from conftest import (
    SUMMIT,
    Bundles,
    native_routes,
    native_verdicts,
    policy_path,
    router_inputs,
    run_charter,
)
from fleet import start_fleet, wait_revision

LOAD_SECONDS = float(os.environ.get("CHARTER_FLEET_LOAD_SECONDS", "5"))
LOAD_REQUESTS = int(os.environ.get("CHARTER_FLEET_LOAD_REQUESTS", "20000"))
THREADS = int(os.environ.get("CHARTER_FLEET_LOAD_THREADS", "4"))
# How many times the native measure repeats summit's test cases.
REPEAT = int(os.environ.get("CHARTER_FLEET_NATIVE_REPEAT", "50"))


@pytest.fixture
def bundle_server():
    server = BundleServer()
    yield server
    server.stop()


def percentile(sorted_values, fraction):
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def test_load_against_one_server(charter, opa, bundles, cases, servers, bundle_server, tmp_path):
    bundle_server.publish((bundles.rev1 / "bundle.tar.gz").read_bytes())
    (member,) = start_fleet(
        servers, opa, tmp_path, {"url": bundle_server.url}, PATH, bundles.public, count=1,
        decision_logs=False,
    )
    wait_revision([member], Bundles.revision(bundles.rev1))

    native = native_verdicts(charter, bundles.rev1_ws, cases)
    requests = [
        (f"/v1/data/{policy_path(policy)}", json.dumps({"input": input_}).encode(), native[name])
        for name, policy, input_ in cases
    ]
    # The same inputs through the router, as an enforcement point that does not know the
    # policy sends them (without `policy`).
    routed = [(name, input_) for name, input_ in router_inputs(cases) if name.endswith(" (routed)")]
    assert len(routed) == len(cases)
    routes = native_routes(charter, bundles.rev1_ws, routed)
    router_requests = [
        ("/v1/data/charter/router/verdict", json.dumps({"input": input_}).encode(), routes[name])
        for name, input_ in routed
    ]

    run = load(member.port, requests)
    router_run = load(member.port, router_requests)
    for what, (done, _, _, failures, undefined) in (
        ("policies", run), ("router", router_run)
    ):
        assert failures == [], f"{what}: {failures[:10]}"
        assert undefined == 0, f"{what}: {undefined} undefined results"
        assert done > 0, what

    # The ceiling: the same decisions in Charter's native evaluator, in this run, on this
    # machine: `charter test` of a copy of summit whose test cases are repeated REPEAT times
    # (every case decided by the evaluator in one process), minus `charter check` of that copy.
    native_bin = pathlib.Path(os.environ.get("CHARTER_FLEET_NATIVE_BIN", str(charter)))
    repeated, decided = summit_with_repeated_cases(tmp_path, charter, REPEAT)
    test_s = wall(native_bin, "test", repeated, "--format", "json")
    check_s = wall(native_bin, "check", repeated)
    native_per_decision = max(0.0, test_s - check_s) / decided
    figures = {
        "threads": THREADS,
        **rates(*run[:3]),
        "failed": len(run[3]),
        "undefined": run[4],
        "router": {**rates(*router_run[:3]), "failed": len(router_run[3]), "undefined": router_run[4]},
        "native_binary": native_bin.parent.name,
        "native_decisions": decided,
        "native_test_process_ms": round(test_s * 1000, 1),
        "native_check_process_ms": round(check_s * 1000, 1),
        "native_per_decision_us": round(native_per_decision * 1e6, 2),
        "cases": len(cases),
    }
    print("\nOPA fleet load:", json.dumps(figures))
    if os.environ.get("CHARTER_FLEET_FIGURES"):
        with open(os.environ["CHARTER_FLEET_FIGURES"], "w") as out:
            json.dump(figures, out, indent=2)


def load(port, requests):
    """Posts `requests` ((path, body, expected result) cycled) from THREADS threads over
    keep-alive connections for LOAD_SECONDS or LOAD_REQUESTS requests: (requests done, seconds,
    sorted latencies, failures, undefined results)."""
    lock = threading.Lock()
    taken = [0]
    latencies: list[list[float]] = [[] for _ in range(THREADS)]
    failures: list[str] = []
    undefined = [0]
    deadline = time.monotonic() + LOAD_SECONDS

    def worker(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = latencies[index]
        i = index
        try:
            while time.monotonic() < deadline:
                with lock:
                    if taken[0] >= LOAD_REQUESTS:
                        return
                    taken[0] += 1
                path, body, expected = requests[i % len(requests)]
                i += THREADS
                start = time.perf_counter()
                try:
                    connection.request("POST", path, body, {"Content-Type": "application/json"})
                    response = connection.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException) as error:
                    with lock:
                        failures.append(f"{path}: {error!r}")
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    continue
                mine.append(time.perf_counter() - start)
                if response.status != 200:
                    with lock:
                        failures.append(f"{path}: HTTP {response.status}")
                    continue
                document = json.loads(payload)
                if "result" not in document:
                    with lock:
                        undefined[0] += 1
                elif document["result"] != expected:
                    with lock:
                        failures.append(f"{path}: {document['result']} != {expected}")
        finally:
            connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 30)
    elapsed = time.perf_counter() - start
    assert not any(t.is_alive() for t in threads)
    done = sorted(x for mine in latencies for x in mine)
    return len(done), elapsed, done, failures, undefined[0]


def rates(done, elapsed, latencies) -> dict:
    return {
        "requests": done,
        "seconds": round(elapsed, 3),
        "throughput_per_s": round(done / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 3),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
    }


def wall(binary, *args, runs=5):
    """The median wall time of `binary ARGS` over `runs` runs (seconds)."""
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        subprocess.run([str(binary), *map(str, args)], capture_output=True, check=False)
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


CASE_NAME = re.compile(r'^(  )"((?:[^"\\]|\\.)*)" \{$', re.MULTILINE)


def summit_with_repeated_cases(folder, charter, repeat):
    """A copy of examples/summit whose `test` blocks hold each case `repeat` times (renamed
    `NAME #k`); (the copy, the number of cases `charter test` decides there)."""
    copy = folder / "summit-repeated"
    shutil.copytree(SUMMIT, copy, ignore=shutil.ignore_patterns("out"))
    for path in copy.rglob("*.charter"):
        text = path.read_text()
        start = re.search(r"^test \w+ \{$", text, re.MULTILINE)
        if not start:
            continue
        end = text.rindex("\n}")
        body = text[start.end() : end]
        copies = [CASE_NAME.sub(lambda m, k=k: f'{m[1]}"{m[2]} #{k}" {{', body) for k in range(repeat)]
        path.write_text(text[: start.end()] + "".join(copies) + text[end:])
    result = run_charter(charter, "test", copy, "--format", "json", check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    decided = len(json.loads(result.stdout)["cases"])
    assert decided > repeat * 30, decided
    return copy, decided

