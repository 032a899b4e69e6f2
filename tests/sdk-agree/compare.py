"""Compares the drivers' outputs of the agreement test (tests/sdk-agree/run.sh) case by case.

Usage: compare.py RESPONSES_JSON NAME=OUTPUT_FILE...  (the first NAME is the reference)

Every driver must print one line per case of RESPONSES_JSON, in order, and every line must
equal the reference driver's, except where ``known_divergences`` lists the case and driver:
then that driver must print exactly the divergence's ``prints`` (so a divergence that goes away,
or changes, fails too until the list is updated). Exits 1 naming the first disagreement."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    table = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    cases = [c["case"] for c in table["cases"]]
    known = {(d["case"], d["driver"]): d for d in table["known_divergences"]}
    outputs: dict[str, list[dict[str, object]]] = {}
    for arg in sys.argv[2:]:
        name, _, path = arg.partition("=")
        with open(path, encoding="utf-8") as f:
            lines = [json.loads(line) for line in f if line.strip()]
        got = [line.get("case") for line in lines]
        if got != cases:
            print(f"FAIL sdk-agree {name}: printed cases {got}, expected {cases}")
            return 1
        outputs[name] = lines
    for name, lines in outputs.items():
        for line in lines:
            if line.get("kind") == "api:418":
                # replay.py answers 418 when a request is not the case's operation (its method,
                # path, query or body): the driver sent something else.
                print(
                    f"FAIL sdk-agree {line['case']}: {name} sent what the replay server refused"
                )
                return 1
    names = list(outputs)
    for case, name in known:
        if case not in cases or name not in names:
            print(
                f"FAIL sdk-agree: known_divergences names no such case and driver: {case}, {name}"
            )
            return 1
    reference = names[0]
    for i, case in enumerate(cases):
        if (case, reference) in known:
            print(
                f"FAIL sdk-agree {case}: the reference driver {reference} cannot be a known divergence"
            )
            return 1
        agreeing = [reference]
        for name in names[1:]:
            want = outputs[reference][i]
            line = outputs[name][i]
            divergence = known.get((case, name))
            if divergence is not None:
                if line != divergence["prints"]:
                    print(
                        f"FAIL sdk-agree {case}: {name} no longer prints its known divergence "
                        f"({divergence['reason']})\n  expected {json.dumps(divergence['prints'])}\n"
                        f"  printed  {json.dumps(line)}\n  {reference} printed {json.dumps(want)}"
                    )
                    return 1
                print(
                    f"ok   sdk-agree {case}: {name} KNOWN DIVERGENCE: {divergence['reason']}"
                )
                continue
            if line != want:
                print(
                    f"FAIL sdk-agree {case}: {name} disagrees with {reference}\n"
                    f"  {reference}: {json.dumps(want, sort_keys=True)}\n"
                    f"  {name}: {json.dumps(line, sort_keys=True)}"
                )
                return 1
            agreeing.append(name)
        print(
            f"ok   sdk-agree {case}: {' = '.join(agreeing)}: {json.dumps(outputs[reference][i], sort_keys=True)}"
        )
    return 0


sys.exit(main())
