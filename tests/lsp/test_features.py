"""The features of charter-lsp on a copy of examples/summit, with exact positions."""

from __future__ import annotations

import pathlib
import re

from lsprotocol import types

from conftest import CACHE, Session, utf16_position

POLICY = "src/policy/dataset_access.charter"
IDENTITY = "src/identity/identity.charter"
GOVERNANCE = "src/compliance/governance.charter"


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Applies LSP text edits (UTF-16 positions) to `text`."""

    def offset(pos: types.Position) -> int:
        lines = text.split("\n")
        base = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return base + i
            units += len(ch.encode("utf-16-le")) // 2
        return base + len(line)

    spans = sorted(
        ((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def code_words(text: str, word: str) -> list[int]:
    """Offsets of `word` as a whole word outside comments and strings."""
    found = []
    for m in re.finditer(r"//[^\n]*|\"(?:[^\"\\\n]|\\.)*\"|\b" + re.escape(word) + r"\b", text):
        if m.group(0) == word:
            found.append(m.start())
    return found


async def test_diagnostics_appear_and_disappear(session: Session):
    doc = session.open(POLICY)
    await session.diagnostics(doc, lambda d: len(d) == 0)
    broken = doc.text.replace("subject.tenant != ", "subject.tenantt != ", 1)
    session.change(doc, broken)
    diags = await session.diagnostics(doc, lambda d: len(d) > 0)
    assert len(diags) == 1, diags
    d = diags[0]
    assert d.range == doc.range("tenantt")
    assert d.severity == types.DiagnosticSeverity.Error
    assert "tenantt" in d.message
    assert d.source == "charter"
    code = d.code
    assert re.fullmatch(r"E\d{4}", code)
    href = d.code_description.href
    assert href.endswith(f"/{code}.md")
    page = pathlib.Path(href.removeprefix("file://"))
    assert page.read_text().startswith(f"# {code}")
    # Fixing it clears the file's diagnostics.
    original = broken.replace("tenantt", "tenant", 1)
    session.change(doc, original)
    await session.diagnostics(doc, lambda d: len(d) == 0)


async def test_utf16_positions_with_non_ascii_text(session: Session):
    doc = session.open(POLICY)
    await session.diagnostics(doc, lambda d: len(d) == 0)
    text = doc.text.replace(
        '  /// Tenant isolation comes before everything else.\n',
        '  /// Tenant isolation — café, 𝄞 clef, ünïcödé.\n',
        1,
    ).replace('because "datasets are only', 'because "𝄞 é datasets are only', 1)
    text = text.replace("subject.tenant != ", "subject.tenant_𝄞 != ", 1)
    session.change(doc, text)
    diags = await session.diagnostics(doc, lambda d: len(d) > 0)
    # `𝄞` in an identifier is not a token: the lexer reports it where it is.
    starts = {(x.range.start.line, x.range.start.character) for x in diags}
    at = doc.offset("𝄞 != ")
    p = utf16_position(doc.text, at)
    assert (p.line, p.character) in starts, diags
    bad = next(x for x in diags if (x.range.start.line, x.range.start.character) == (p.line, p.character))
    assert bad.range.end.character == p.character + 2  # one character, two UTF-16 units
    # Hover after non-ASCII text on the same line still finds the name.
    line_text = 'allow auditor_read'
    hover = await session.client.text_document_hover_async(
        types.HoverParams(text_document=doc.ident(), position=doc.pos("resource.tenant", delta=10))
    )
    assert hover is not None and "Dataset.tenant" in hover.contents.value
    assert line_text in doc.text


async def test_hover(session: Session):
    doc = session.open(POLICY)
    hover = await session.client.text_document_hover_async(
        types.HoverParams(text_document=doc.ident(), position=doc.pos("subject.tenant", delta=9))
    )
    user = re.search(r"entity User \{(.*?)\n\}", session.doc(IDENTITY).text, re.S).group(1)
    tenant_type = re.search(r"^  tenant: (\S+)$", user, re.M).group(1)
    assert f"User.tenant: {tenant_type}" in hover.contents.value
    assert hover.range == doc.range("subject.tenant", delta=8, length=6)
    # A role: its type in this policy.
    hover = await session.client.text_document_hover_async(
        types.HoverParams(text_document=doc.ident(), position=doc.pos("subject.tenant", delta=2))
    )
    assert "subject: User" in hover.contents.value
    assert hover.range == doc.range("subject.tenant", length=len("subject"))
    # A policy: its doc comment and the verdict it returns.
    hover = await session.client.text_document_hover_async(
        types.HoverParams(text_document=doc.ident(), position=doc.pos("dataset_access on"))
    )
    assert "policy summit.policy.dataset_access on Dataset by User" in hover.contents.value
    assert "Tenants are isolated" in hover.contents.value
    assert "rule_id: string" in hover.contents.value
    # A framework requirement: its title.
    gov = session.open(GOVERNANCE)
    hover = await session.client.text_document_hover_async(
        types.HoverParams(text_document=gov.ident(), position=gov.pos('"CC6.1"', delta=2))
    )
    std = pathlib.Path(CACHE, "charter-lsp").rglob("soc2.charter")
    soc2 = next(std).read_text()
    title = re.search(r'requirement "CC6\.1" "([^"]+)"', soc2).group(1)
    assert title in hover.contents.value
    # A deprecated operation: dates and replacement.
    lineage = session.open("src/lineage/lineage.charter")
    hover = await session.client.text_document_hover_async(
        types.HoverParams(text_document=lineage.ident(), position=lineage.pos("op trace_v1", delta=3))
    )
    assert "since 2026-03-01, sunset 2027-06-30" in hover.contents.value
    assert "use `trace` instead" in hover.contents.value


async def test_definition_in_another_file_and_in_the_standard_library(session: Session):
    doc = session.open(POLICY)
    ident = session.doc(IDENTITY)
    result = await session.client.text_document_definition_async(
        types.DefinitionParams(text_document=doc.ident(), position=doc.pos("by User", delta=3))
    )
    assert result.uri == ident.uri
    assert result.range == ident.range("entity User", delta=7)
    gov = session.open(GOVERNANCE)
    result = await session.client.text_document_definition_async(
        types.DefinitionParams(text_document=gov.ident(), position=gov.pos('soc2."CC6.1"', delta=1))
    )
    assert result.uri.startswith(pathlib.Path(CACHE).as_uri())
    target = pathlib.Path(result.uri.removeprefix("file://")).read_text()
    start = result.range.start
    line = target.split("\n")[start.line]
    assert line[start.character:].startswith("soc2")
    # Inside the standard library's copy, hover and definition work too.
    hover = await session.client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=result.uri), position=start)
    )
    assert hover is not None and "framework std.frameworks.soc2" in hover.contents.value


async def test_references(session: Session):
    ident = session.open(IDENTITY)
    refs = await session.client.text_document_references_async(
        types.ReferenceParams(
            text_document=ident.ident(),
            position=ident.pos("enum Sensitivity", delta=5),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    got = sorted((r.uri, r.range.start.line, r.range.start.character) for r in refs)
    expected = []
    for path in sorted(session.root.rglob("*.charter")):
        text = path.read_text()
        for at in code_words(text, "Sensitivity"):
            p = utf16_position(text, at)
            expected.append((path.as_uri(), p.line, p.character))
    assert got == sorted(expected)
    assert len(got) >= 8


async def test_rename_across_files(session: Session):
    ident = session.open(IDENTITY)
    prep = await session.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=ident.ident(), position=ident.pos("enum Sensitivity", delta=6))
    )
    assert prep == ident.range("Sensitivity", nth=0) or prep == ident.range("enum Sensitivity", delta=5)
    edit = await session.client.text_document_rename_async(
        types.RenameParams(
            text_document=ident.ident(),
            position=ident.pos("enum Sensitivity", delta=6),
            new_name="Classification",
        )
    )
    files = {uri: edits for uri, edits in edit.changes.items()}
    assert len(files) == 4, files.keys()
    for uri, edits in files.items():
        path = pathlib.Path(uri.removeprefix("file://"))
        rel = str(path.relative_to(session.root))
        before = path.read_text()
        after = apply_edits(before, edits)
        assert code_words(after, "Sensitivity") == []
        assert len(code_words(after, "Classification")) == len(code_words(before, "Sensitivity"))
        # Apply: open buffers change, the others are written to disk.
        if rel in session.docs and session.docs[rel].version:
            session.change(session.docs[rel], after)
        else:
            path.write_text(after)
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=uri, type=types.FileChangeType.Changed)
                for uri in files
                if uri != ident.uri
            ]
        )
    )
    policy = session.open(POLICY)
    await session.diagnostics(policy, lambda d: len(d) == 0)
    await session.diagnostics(ident, lambda d: len(d) == 0)
    # The standard library and keywords are refused, with a message.
    gov = session.open(GOVERNANCE)
    try:
        await session.client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=gov.ident(), position=gov.pos("soc2,", delta=1))
        )
        raise AssertionError("renaming soc2 was accepted")
    except Exception as error:  # noqa: BLE001 - the client raises the server's error
        assert "standard library" in str(error)
    try:
        await session.client.text_document_prepare_rename_async(
            types.PrepareRenameParams(text_document=policy.ident(), position=policy.pos("policy dataset_access", delta=2))
        )
        raise AssertionError("renaming a keyword was accepted")
    except Exception as error:  # noqa: BLE001
        assert "keyword" in str(error)


async def test_completion_after_dot_and_framework(session: Session):
    doc = session.open(POLICY)
    text = doc.text.replace("subject.tenant != ", "subject. != ", 1)
    session.change(doc, text)
    items = await session.client.text_document_completion_async(
        types.CompletionParams(text_document=doc.ident(), position=doc.pos("subject. !=", delta=8))
    )
    labels = {i.label for i in items}
    user = re.search(r"entity User \{(.*?)\n\}", session.doc(IDENTITY).text, re.S).group(1)
    fields = set(re.findall(r"^  (\w+):", user, re.M))
    assert fields and fields <= labels, (fields, labels)
    gov = session.open(GOVERNANCE)
    text = gov.text.replace('soc2."CC6.1", soc2."CC6.3"', 'soc2."CC6.1", soc2.', 1)
    session.change(gov, text)
    items = await session.client.text_document_completion_async(
        types.CompletionParams(text_document=gov.ident(), position=gov.pos('soc2.,', nth=0, delta=5) if 'soc2.,' in gov.text else gov.pos('soc2.\n', delta=5))
    )
    by_label = {i.label: i for i in items}
    assert "CC6.3" in by_label and by_label["CC6.3"].insert_text == '"CC6.3"'
    assert by_label["CC6.3"].kind == types.CompletionItemKind.Value


async def test_formatting(session: Session):
    doc = session.open(POLICY)
    original = doc.text
    messy = original.replace("\n  deny cross_tenant\n", "\n        deny    cross_tenant\n", 1)
    assert messy != original
    session.change(doc, messy)
    edits = await session.client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=doc.ident(), options=types.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert apply_edits(messy, edits) == original
    # A buffer with a syntax error is left alone.
    session.change(doc, messy.replace("policy dataset_access on", "policy dataset_access on {", 1))
    edits = await session.client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=doc.ident(), options=types.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )
    assert not edits


async def test_code_actions(session: Session):
    doc = session.open(POLICY)
    original = doc.text
    session.change(doc, original.replace("by User with", "by Usr with", 1))
    diags = await session.diagnostics(doc, lambda d: any(x.code == "E1001" for x in d))
    typo = next(x for x in diags if x.code == "E1001")
    assert typo.range == doc.range("Usr")
    actions = await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc.ident(), range=typo.range, context=types.CodeActionContext(diagnostics=[typo])
        )
    )
    fix = next(a for a in actions if a.title == "Replace with `User`")
    fixed = apply_edits(doc.text, fix.edit.changes[doc.uri])
    assert fixed == original
    session.change(doc, fixed)
    await session.diagnostics(doc, lambda d: len(d) == 0)
    # A missing `use`: drop `Role` from the import list.
    session.change(doc, original.replace("{User, Dataset, Role, Sensitivity}", "{User, Dataset, Sensitivity}", 1))
    diags = await session.diagnostics(doc, lambda d: any(x.code == "E1001" for x in d))
    missing = next(x for x in diags if x.code == "E1001")
    actions = await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc.ident(), range=missing.range, context=types.CodeActionContext(diagnostics=[missing])
        )
    )
    add = next(a for a in actions if a.title == "Add `use summit.identity.Role`")
    session.change(doc, apply_edits(doc.text, add.edit.changes[doc.uri]))
    await session.diagnostics(doc, lambda d: len(d) == 0)


async def test_symbols_tokens_and_folding(session: Session):
    doc = session.open(POLICY)
    symbols = await session.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc.ident())
    )
    policy = next(s for s in symbols if s.name == "dataset_access" and s.kind == types.SymbolKind.Function)
    rules = re.findall(r"^  (?:allow|deny) (\w+)$", doc.text, re.M)
    assert [c.name for c in policy.children] == rules
    assert policy.selection_range == doc.range("dataset_access on", length=len("dataset_access"))
    found = await session.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="sensitiv"))
    assert any(s.name == "Sensitivity" for s in found)
    tokens = await session.client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc.ident())
    )
    data = tokens.data
    assert len(data) % 5 == 0 and len(data) > 50
    # Decode the first token: `package` on line 1 (after the plain comment on line 0).
    line, col, kinds = 0, 0, []
    for i in range(0, len(data), 5):
        dl, dc, length, kind, _ = data[i : i + 5]
        line += dl
        col = dc if dl else col + dc
        kinds.append((line, col, length, kind))
    assert (0, 0, len(doc.text.split("\n")[0]), 3) in kinds  # the comment
    pkg = doc.pos("package")
    assert (pkg.line, pkg.character, len("package"), 0) in kinds  # a keyword
    folds = await session.client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=doc.ident())
    )
    start = doc.pos("policy dataset_access").line
    end = utf16_position(doc.text, doc.text.index("\n}\n", doc.offset("policy dataset_access")) + 1).line
    assert any(f.start_line == start and f.end_line == end for f in folds)


async def test_files_created_and_deleted_on_disk(session: Session):
    doc = session.open(POLICY)
    await session.diagnostics(doc, lambda d: len(d) == 0)
    extra = session.root / "src" / "policy" / "extra.charter"
    extra.write_text("package summit.policy\n\nrecord Broken { x: Nope }\n")
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=extra.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    extra_doc = session.doc("src/policy/extra.charter")
    diags = await session.diagnostics(extra_doc, lambda d: len(d) == 1)
    assert diags[0].range == extra_doc.range("Nope")
    extra.unlink()
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=extra.as_uri(), type=types.FileChangeType.Deleted)]
        )
    )
    await session.diagnostics(extra_doc, lambda d: len(d) == 0)
