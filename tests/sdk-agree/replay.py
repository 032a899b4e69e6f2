"""The replay server of the agreement test (tests/sdk-agree/run.sh): serves the recorded
responses of responses.json on 127.0.0.1. A driver's base URL is
``http://127.0.0.1:PORT/<driver>/<case>``; the SDK appends the operation's path, which must be
the case's operation (method, path, query compared as decoded name/value pairs in any order,
and the exact bytes of the body when the operation names one), else the answer is a 418 naming
the mismatch.
Each (driver, case) is served its responses in order (a 429 then a 200), the last one repeated.

Usage: replay.py RESPONSES_JSON PORT_FILE  (writes the chosen port to PORT_FILE)."""

from __future__ import annotations

import http.server
import json
import sys
import threading
import urllib.parse
from pathlib import Path

table = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
cases = {c["case"]: c for c in table["cases"]}
served: dict[tuple[str, str], int] = {}
lock = threading.Lock()


def pairs(query: str) -> list[tuple[str, str]]:
    """A query's decoded name/value pairs, sorted: the same parameters in any order."""
    return sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        sent = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        parts = url.path.split("/", 3)  # "", driver, case, rest
        case = cases.get(parts[2]) if len(parts) == 4 else None
        if case is None:
            return self.send(418, {"replay": f"no case in {self.path}"}, {})
        want = table["operations"][case["op"]]
        got = (self.command, "/" + parts[3], pairs(url.query))
        if got != (want["method"], want["path"], pairs(want["query"])):
            return self.send(
                418, {"replay": f"{case['case']}: expected {want}, got {got}"}, {}
            )
        if "body" in want and sent != want["body"].encode():
            return self.send(
                418,
                {
                    "replay": f"{case['case']}: expected the body {want['body']}, got {sent!r}"
                },
                {},
            )
        with lock:
            n = served.get((parts[1], parts[2]), 0)
            served[(parts[1], parts[2])] = n + 1
        reply = case["responses"][min(n, len(case["responses"]) - 1)]
        self.send(reply["status"], reply["body"], reply["headers"])

    def send(self, status: int, body: object, headers: dict[str, str]) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = answer

    def log_message(self, format: str, *args: object) -> None:
        del format, args


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
