"""Fixtures for the fleet tests: real servers on loopback, started and stopped by the tests.

- the `charter` binary (built once, unless CHARTER_SKIP_BUILD is set);
- the real `opa` binary (tests/tools/opa.sh prints its path, building it once per machine);
- Debian's `docker-registry` (the CNCF distribution registry, tests/fleet/install-registry.sh);
- signing keys generated for each run, and the bundles the tests push.

Every server listens on 127.0.0.1 on a free port, with its files in a temporary folder; every
process is killed at teardown, whatever the test's outcome. Run through tests/fleet/run.sh.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

REPO = pathlib.Path(__file__).resolve().parents[2]
CHARTER = REPO / "target" / "debug" / "charter"
SUMMIT = REPO / "examples" / "summit"
REGISTRY_BIN = pathlib.Path("/usr/bin/docker-registry")
KEY_ID = "charter-fleet"

# How long a test waits for a server to answer, or for a fleet to converge (seconds).
START_TIMEOUT = 30
CONVERGE_TIMEOUT = 20


# --- processes ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A process started by a test, its output in files, stopped by `stop` (always called)."""

    def __init__(self, name: str, argv: list[str], folder: pathlib.Path, env=None):
        self.name = name
        self.out = folder / f"{name}.out"
        self.err = folder / f"{name}.err"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.process = subprocess.Popen(
                argv,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                cwd=folder,
                env=env,
                start_new_session=True,
            )

    def stop(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)

    def log_lines(self) -> list[dict]:
        """The JSON lines the process wrote to stderr (OPA's log)."""
        lines = []
        for line in self.err.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                lines.append(json.loads(line))
        return lines

    def tail(self) -> str:
        return self.err.read_text(errors="replace")[-3000:]


@pytest.fixture
def servers():
    """Start servers with `servers.start(...)`; all are stopped at teardown."""

    class Servers(list):
        def start(self, *args, **kwargs) -> Server:
            server = Server(*args, **kwargs)
            self.append(server)
            return server

    started = Servers()
    yield started
    for server in started:
        server.stop()


def wait_for(what: str, check, timeout: float = START_TIMEOUT, server: Server | None = None):
    """Polls `check()` until it returns a true value (returned), or fails after `timeout`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if server is not None and server.process.poll() is not None:
            pytest.fail(f"{server.name} exited ({server.process.returncode}): {server.tail()}")
        try:
            value = check()
            if value:
                return value
        except (OSError, ValueError, KeyError) as error:
            last = error
        time.sleep(0.1)
    detail = f"; last error: {last}" if last else ""
    tail = f"\n{server.name}: {server.tail()}" if server else ""
    pytest.fail(f"timed out after {timeout}s waiting for {what}{detail}{tail}")


def http_json(url: str, body=None, headers=None, timeout: float = 10):
    """(status, parsed JSON or None) of a GET (or a POST of `body`, JSON-encoded)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, None


# --- tools --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def charter():
    if not os.environ.get("CHARTER_SKIP_BUILD"):
        subprocess.run(["cargo", "build", "-q", "-p", "charter-cli"], cwd=REPO, check=True)
    assert CHARTER.exists(), f"{CHARTER} was not built"
    return CHARTER


@pytest.fixture(scope="session")
def opa():
    """The real opa binary's path (tests/tools/opa.sh builds it once per machine)."""
    result = subprocess.run(
        ["bash", str(REPO / "tests" / "tools" / "opa.sh")],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    )
    path = pathlib.Path(result.stdout.strip().splitlines()[-1])
    assert path.is_file(), result.stderr
    return path


@pytest.fixture(scope="session")
def registry_bin():
    if not REGISTRY_BIN.exists():
        subprocess.run(
            ["bash", str(REPO / "tests" / "fleet" / "install-registry.sh")], check=True, timeout=900
        )
    assert REGISTRY_BIN.exists()
    return REGISTRY_BIN


def run_charter(charter, *args, stdin: str | None = None, check=True, env=None):
    result = subprocess.run(
        [str(charter), *map(str, args)],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    if check:
        assert result.returncode == 0, f"charter {args}: {result.stderr}"
    return result


# --- keys and bundles ---------------------------------------------------------------------------


def write_key(folder: pathlib.Path, name: str) -> tuple[pathlib.Path, str]:
    """A fresh RSA private key (PEM file) and its public key (PEM text)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = folder / f"{name}.key.pem"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public.decode()


# The rule revision 2 changes: reading within clearance now also needs MFA.
REV2_FROM = "when action == read and subject.clearance >= resource.sensitivity"
REV2_TO = "when action == read and context.mfa == true and subject.clearance >= resource.sensitivity"


def summit_revision_2(folder: pathlib.Path) -> pathlib.Path:
    """A copy of examples/summit with one rule changed (dataset_access's `read_within_clearance`
    also requires `context.mfa`)."""
    copy = folder / "summit-rev2"
    shutil.copytree(SUMMIT, copy, ignore=shutil.ignore_patterns("out"))
    changed = 0
    for path in copy.rglob("*.charter"):
        text = path.read_text()
        if REV2_FROM in text:
            path.write_text(text.replace(REV2_FROM, REV2_TO))
            changed += 1
    assert changed == 1, f"`{REV2_FROM}` should be in one file of examples/summit"
    return copy


class Bundles:
    """The bundles the fleet tests serve: revision 1 (examples/summit), revision 2 (one rule
    changed), both signed; a tampered copy of revision 2's successor and one signed with another
    key. Each is a folder with `bundle.tar.gz` and the workspace it was built from."""

    def __init__(self, charter, folder: pathlib.Path):
        self.folder = folder
        self.key, self.public = write_key(folder, "fleet")
        self.wrong_key, _ = write_key(folder, "wrong")
        self.rev1_ws = SUMMIT
        self.rev2_ws = summit_revision_2(folder)
        self.rev1 = self.build(charter, self.rev1_ws, "rev1", self.key)
        self.rev2 = self.build(charter, self.rev2_ws, "rev2", self.key)
        # A third revision (the reason of one rule changed), then a byte of a module changed
        # after signing: the signature no longer matches.
        rev3_ws = folder / "summit-rev3"
        shutil.copytree(self.rev2_ws, rev3_ws)
        for path in rev3_ws.rglob("*.charter"):
            path.write_text(path.read_text().replace("same-tenant read", "same-tenant  read"))
        self.tampered = self.build(charter, rev3_ws, "tampered", self.key)
        self.tamper(self.tampered)
        self.wrong = self.build(charter, rev3_ws, "wrong", self.wrong_key)

    def build(self, charter, workspace, name, key) -> pathlib.Path:
        out = self.folder / name
        run_charter(
            charter, "build", workspace, "--target", "rego", "--out", out,
            "--signing-key", key, "--key-id", KEY_ID,
        )
        return out / "rego"

    @staticmethod
    def tamper(bundle: pathlib.Path):
        """Changes one byte of a signed module, in the folder and in its archive."""
        module = next(p for p in sorted(bundle.rglob("*.rego")) if "dataset_access" in p.as_posix())
        text = module.read_text()
        assert '"same-tenant  read' in text
        module.write_text(text.replace('"same-tenant  read', '"Same-tenant  read', 1))
        files = {
            p.relative_to(bundle).as_posix(): p.read_bytes()
            for p in sorted(bundle.rglob("*"))
            if p.is_file() and p.name != "bundle.tar.gz"
        }
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        (bundle / "bundle.tar.gz").write_bytes(buffer.getvalue())

    @staticmethod
    def revision(bundle: pathlib.Path) -> str:
        return json.loads((bundle / ".manifest").read_text())["revision"]


@pytest.fixture(scope="session")
def bundles(charter, tmp_path_factory):
    return Bundles(charter, tmp_path_factory.mktemp("bundles"))


# --- decisions ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def cases(charter):
    """summit's test cases: (label, policy, input), the label `policy: name` (generated cases
    of different policies share a name)."""
    result = run_charter(charter, "test", SUMMIT, "--format", "json", check=False)
    assert result.returncode in (0, 1), result.stderr
    found = [
        (f"{c['policy']}: {c['name']}", c["policy"], c["input"])
        for c in json.loads(result.stdout)["cases"]
    ]
    assert len({label for label, _, _ in found}) == len(found), "two cases with one label"
    return found


def native_verdicts(charter, workspace, cases) -> dict[str, dict]:
    """`charter eval` of every case in `workspace`: case name -> verdict."""
    verdicts = {}
    for name, policy, input_ in cases:
        result = run_charter(
            charter, "eval", workspace, "--policy", policy, "--input", "-", "--format", "json",
            stdin=json.dumps(input_), check=False,
        )
        assert result.returncode in (0, 1), f"{name}: {result.stderr}"
        verdicts[name] = json.loads(result.stdout)["verdict"]
    return verdicts


# `charter eval` answers already computed: (workspace, argv flags, input JSON) -> (exit, output).
_EVALUATED: dict[tuple[str, tuple[str, ...], str], tuple[int, dict]] = {}


def charter_eval(charter, workspace, flags: tuple[str, ...], input_) -> tuple[int, dict]:
    """`charter eval WORKSPACE FLAGS --input - --format json` of `input_`: (exit code, output),
    computed once per run (both transports ask the same questions)."""
    text = json.dumps(input_, sort_keys=True)
    key = (str(workspace), flags, text)
    if key not in _EVALUATED:
        result = run_charter(
            charter, "eval", workspace, *flags, "--input", "-", "--format", "json",
            stdin=text, check=False,
        )
        assert result.returncode in (0, 1), f"charter eval {flags} {text}: {result.stderr}"
        _EVALUATED[key] = (result.returncode, json.loads(result.stdout))
    return _EVALUATED[key]


def router_inputs(cases) -> list[tuple[str, object]]:
    """What an enforcement point that does not know the policy sends the router: every case's
    input without `policy` and with it; `policy` naming each other policy (which may not decide
    the action); actions and resource types no policy decides; malformed inputs."""
    inputs = []
    firsts = {}
    for name, policy, input_ in cases:
        bare = {k: v for k, v in input_.items() if k != "policy"}
        inputs.append((f"{name} (routed)", bare))
        inputs.append((f"{name} (policy named)", dict(bare, policy=policy)))
        firsts.setdefault(policy, bare)
    for policy, bare in firsts.items():
        for other in firsts:
            if other != policy:
                inputs.append((f"{policy}'s first case, policy {other}", dict(bare, policy=other)))
    bare = next(iter(firsts.values()))
    inputs += [
        ("no policy decides the action", dict(bare, action="no_such_action")),
        ("no policy on the resource type", dict(bare, resource_type="summit.no.SuchEntity")),
        ("input not an object", [bare]),
        ("input a string", "read"),
        ("no action", {k: v for k, v in bare.items() if k != "action"}),
        ("action not a string", dict(bare, action=1)),
        ("policy null", dict(bare, policy=None)),
        ("resource_type a number", dict(bare, resource_type=5)),
    ]
    return inputs


def native_routes(charter, workspace, inputs) -> dict[str, dict]:
    """The router's verdict in `charter eval` (without `--policy`) for every input."""
    return {name: charter_eval(charter, workspace, (), input_)[1]["verdict"] for name, input_ in inputs}


ENVELOPE = {
    "origin": "sftp://partner.example/events",
    "actor": "svc-loader",
    "timestamp": "2026-01-01T00:00:00Z",
    "confidence": 0.9,
    "simulated": False,
}


def egress_inputs() -> list[tuple[str, dict]]:
    """Responses of summit's `summit.lineage.Lineage.ingest` (whose result carries provenance)
    an enforcement point checks at egress: a valid one, one whose envelope is missing."""
    accepted = {
        "provenance": ENVELOPE, "event_id": "6f1c1d8e-0c5e-4a4b-9d47-3e1f7b0c2a10",
        "sequence": 3, "chain_hash": "aGFzaA==", "accepted_at": "2026-01-01T00:00:00Z",
    }
    request = {"service": "summit.lineage.Lineage", "operation": "ingest"}
    return [
        ("valid envelope", dict(request, response=accepted)),
        ("no envelope", dict(request, response={k: v for k, v in accepted.items() if k != "provenance"})),
    ]


def native_egress(charter, workspace, inputs) -> dict[str, dict]:
    """`charter eval --egress`'s verdict for every input."""
    return {
        name: charter_eval(charter, workspace, ("--egress",), input_)[1]["verdict"]
        for name, input_ in inputs
    }


def policy_path(policy: str) -> str:
    """The data API path of a policy's verdict: `charter/<package path>/<policy>/verdict`."""
    return "charter/" + policy.replace(".", "/") + "/verdict"
