"""A fuzz-like editing session: the server stays up, writes only protocol messages, and answers
correctly once the original text is back."""

from __future__ import annotations

import asyncio
import random
import re

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from conftest import Session

POLICY = "src/policy/dataset_access.charter"
IDENTITY = "src/identity/identity.charter"
CONTENT_MODIFIED = -32801

SNIPPETS = [
    "policy", "{", "}", "(", ")", ".", "subject.", "resource.", "Role.", "soc2.\"", "\"", "///",
    "// note\n", "\n", "when ", " and ", "allow x when", "record R { x: string }\n",
    "use summit.identity.{", "é", "𝄞", "\u0000", "\r\n", "@deprecated(", "==", "..", "-> T",
]


def junk(rng: random.Random) -> str:
    return rng.randbytes(rng.randint(1, 200)).decode("utf-8", errors="replace")


def random_position(rng: random.Random, text: str) -> types.Position:
    lines = text.split("\n")
    line = rng.randint(0, len(lines) + 2)
    width = len(lines[line]) if line < len(lines) else 5
    return types.Position(line=line, character=rng.randint(0, width + 3))


async def request(session: Session, rng: random.Random, doc) -> None:
    """One random request; only `ContentModified` is an acceptable error."""
    c = session.client
    ident = doc.ident()
    pos = random_position(rng, doc.text)
    kind = rng.randrange(7)
    try:
        if kind == 0:
            await c.text_document_hover_async(types.HoverParams(text_document=ident, position=pos))
        elif kind == 1:
            await c.text_document_definition_async(types.DefinitionParams(text_document=ident, position=pos))
        elif kind == 2:
            await c.text_document_completion_async(types.CompletionParams(text_document=ident, position=pos))
        elif kind == 3:
            await c.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=ident))
        elif kind == 4:
            await c.text_document_formatting_async(
                types.DocumentFormattingParams(
                    text_document=ident, options=types.FormattingOptions(tab_size=2, insert_spaces=True)
                )
            )
        elif kind == 5:
            await c.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=ident))
        else:
            await c.text_document_references_async(
                types.ReferenceParams(
                    text_document=ident, position=pos, context=types.ReferenceContext(include_declaration=True)
                )
            )
    except JsonRpcException as error:
        assert error.code == CONTENT_MODIFIED, f"request {kind} failed: {error!r}"


async def test_fuzzed_session_then_correct_answers(session: Session):
    rng = random.Random(20261129)
    doc = session.open(POLICY)
    original = doc.text
    pending = []
    for step in range(300):
        text = doc.text
        op = rng.randrange(10)
        at = rng.randint(0, len(text))
        if op < 4:
            text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        elif op < 7:
            text = text[:at] + text[at + rng.randint(1, 80):]
        elif op < 9:
            text = text[:at] + junk(rng) + text[at:]
        elif step % 3 == 0:
            text = ""
        else:
            text = original
        session.change(doc, text)
        if rng.random() < 0.5:
            pending.append(asyncio.ensure_future(request(session, rng, doc)))
        if len(pending) >= 8:
            await asyncio.gather(*pending)
            pending = []
    await asyncio.gather(*pending)
    # A 5 MB buffer, with requests on it.
    big = (original + "\n") * (5_000_000 // len(original) + 1)
    assert len(big.encode()) >= 5_000_000
    session.change(doc, big)
    await asyncio.gather(*(request(session, rng, doc) for _ in range(6)))
    session.change(doc, "")
    await request(session, rng, doc)

    # Back to the original text: the right diagnostics (none), hover and definition.
    session.change(doc, original)
    await session.diagnostics(doc, lambda d: len(d) == 0)
    hover = await session.client.text_document_hover_async(
        types.HoverParams(text_document=doc.ident(), position=doc.pos("subject.tenant", delta=9))
    )
    assert hover.range == doc.range("subject.tenant", delta=8, length=6)
    assert re.search(r"User\.tenant: \w+", hover.contents.value)
    ident = session.doc(IDENTITY)
    found = await session.client.text_document_definition_async(
        types.DefinitionParams(text_document=doc.ident(), position=doc.pos("by User", delta=3))
    )
    assert found.uri == ident.uri and found.range == ident.range("entity User", delta=7)
    # And a new error is still reported exactly.
    session.change(doc, original.replace("by User with", "by Usr with", 1))
    diags = await session.diagnostics(doc, lambda d: len(d) > 0)
    assert [d.range for d in diags if d.code == "E1001"] == [doc.range("Usr")]
    # The server is alive and every byte it wrote to stdout parsed as a protocol message.
    assert session.client.error is None
    assert session.client._server.returncode is None
