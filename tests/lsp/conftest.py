"""End-to-end tests of charter-lsp, driven over stdio by pytest-lsp (a real LSP client).

Each test gets a fresh server and its own copy of examples/summit in a temporary folder.
Expected positions are computed from the files' text (UTF-16 columns, as LSP counts them).
"""

from __future__ import annotations

import asyncio
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = ROOT / "target" / "debug" / "charter-lsp"
CACHE = tempfile.mkdtemp(prefix="charter-lsp-cache-")
SUMMIT = ROOT / "examples" / "summit"


def pytest_configure(config):
    if not os.environ.get("CHARTER_SKIP_BUILD"):
        subprocess.run(
            ["cargo", "build", "--locked", "-q", "-p", "charter-lsp", "-p", "charter-cli"],
            cwd=ROOT,
            check=True,
        )


def pytest_unconfigure(config):
    shutil.rmtree(CACHE, ignore_errors=True)


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = CACHE
    return env


def utf16_position(text: str, offset: int) -> types.Position:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    col = len(text[start:offset].encode("utf-16-le")) // 2
    return types.Position(line=line, character=col)


class Doc:
    """A file of the workspace copy, as the editor has it."""

    def __init__(self, path: pathlib.Path):
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.uri = path.as_uri()
        self.version = 0

    def offset(self, needle: str, nth: int = 0, delta: int = 0) -> int:
        at = -1
        for _ in range(nth + 1):
            at = self.text.index(needle, at + 1)
        return at + delta

    def pos(self, needle: str, nth: int = 0, delta: int = 0) -> types.Position:
        return utf16_position(self.text, self.offset(needle, nth, delta))

    def range(self, needle: str, nth: int = 0, delta: int = 0, length: int | None = None):
        start = self.offset(needle, nth, delta)
        end = start + (len(needle) - delta if length is None else length)
        return types.Range(
            start=utf16_position(self.text, start), end=utf16_position(self.text, end)
        )

    def ident(self) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=self.uri)


class Session:
    """The client, the workspace copy and helpers for common steps."""

    def __init__(self, client: LanguageClient, root: pathlib.Path):
        self.client = client
        self.root = root
        self.docs: dict[str, Doc] = {}

    def doc(self, rel: str) -> Doc:
        if rel not in self.docs:
            self.docs[rel] = Doc(self.root / rel)
        return self.docs[rel]

    def open(self, rel: str) -> Doc:
        doc = self.doc(rel)
        doc.version = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=doc.uri, language_id="charter", version=doc.version, text=doc.text
                )
            )
        )
        return doc

    def change(self, doc: Doc, text: str) -> None:
        doc.text = text
        doc.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=doc.uri, version=doc.version
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def diagnostics(self, doc: Doc, check, timeout: float = 30.0):
        """Waits until the published diagnostics of `doc` satisfy `check`."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            current = self.client.diagnostics.get(doc.uri)
            if current is not None and check(current):
                return current
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"diagnostics of {doc.uri} never matched: {current}")
            await asyncio.sleep(0.02)


async def start_session(client: LanguageClient, root: pathlib.Path, **options) -> Session:
    await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options={"debounceMs": 50, **options},
        )
    )
    return Session(client, root)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[str(BIN)], server_env=server_env()))
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def summit(tmp_path) -> pathlib.Path:
    root = tmp_path / "summit"
    shutil.copytree(SUMMIT, root)
    return root


@pytest.fixture
async def session(client: LanguageClient, summit: pathlib.Path) -> Session:
    return await start_session(client, summit)
