"""What the Python drivers of the agreement test share (driver.py, wire.py): the canonical
JSON of a line, and the loop over the command line's cases that prints one line per case."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path


def canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def drive(run: Callable[[dict[str, object], str], dict[str, object]]) -> None:
    """``RESPONSES_JSON BASE_URL``: prints ``run(case, base)`` for every case, one line each."""
    table = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for case in table["cases"]:
        print(canonical(run(case, sys.argv[2])), flush=True)
