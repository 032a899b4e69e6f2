"""`charter lsp` is the same server as `charter-lsp`; stdout carries only framed messages."""

from __future__ import annotations

import json
import subprocess

from conftest import BIN, ROOT, server_env


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def messages(stdout: bytes) -> list[dict]:
    """Splits stdout into messages; fails on any byte that is not part of a framed message."""
    out = []
    rest = stdout
    while rest:
        head, sep, rest = rest.partition(b"\r\n\r\n")
        assert sep, f"unframed bytes on stdout: {head[:80]!r}"
        fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        length = int(fields[b"Content-Length"])
        body, rest = rest[:length], rest[length:]
        out.append(json.loads(body))
    return out


def read_message(stream) -> bytes:
    """Reads one framed message, returning its raw bytes (header and body)."""
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        byte = stream.read(1)
        assert byte, f"stdout ended inside a header: {head!r}"
        head += byte
    fields = dict(line.split(b": ", 1) for line in head.strip().split(b"\r\n"))
    return head + stream.read(int(fields[b"Content-Length"]))


def session(command: list[str], summit) -> list[dict]:
    """initialize (waiting for its answer), initialized, shutdown (waiting), exit."""
    proc = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=server_env()
    )
    raw = b""

    def send(message: dict) -> None:
        proc.stdin.write(frame(message))
        proc.stdin.flush()

    def until_reply(id_: int) -> None:
        nonlocal raw
        while True:
            chunk = read_message(proc.stdout)
            raw += chunk
            if json.loads(chunk.split(b"\r\n\r\n", 1)[1]).get("id") == id_:
                return

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"capabilities": {}, "rootUri": summit.as_uri(), "processId": None}})
    until_reply(1)
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    until_reply(2)
    send({"jsonrpc": "2.0", "method": "exit"})
    proc.stdin.close()
    raw += proc.stdout.read()
    assert proc.wait(timeout=60) == 0, proc.stderr.read().decode()
    proc.stderr.close()
    proc.stdout.close()
    return messages(raw)


def test_charter_lsp_and_charter_lsp_subcommand_answer_alike(summit):
    answers = []
    for command in ([str(BIN)], [str(ROOT / "target" / "debug" / "charter"), "lsp"]):
        replies = {m["id"]: m for m in session(command, summit) if "id" in m}
        init = replies[1]["result"]
        assert init["serverInfo"]["name"] == "charter-lsp"
        assert replies[2]["result"] is None
        answers.append(init["capabilities"])
    assert answers[0] == answers[1]
    assert answers[0]["semanticTokensProvider"]["legend"]["tokenTypes"][:3] == ["keyword", "string", "number"]


def test_bad_arguments_exit_2_without_stdout():
    done = subprocess.run([str(BIN), "--bogus"], capture_output=True, timeout=30)
    assert done.returncode == 2
    assert done.stdout == b""
    assert b"unknown argument" in done.stderr
