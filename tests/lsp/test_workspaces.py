"""Several workspace folders in one server, and folders added and removed."""

from __future__ import annotations

import shutil

from lsprotocol import types

from conftest import ROOT, Session


async def test_two_workspace_folders(client, tmp_path):
    folders = []
    for name in ("summit", "hello"):
        shutil.copytree(ROOT / "examples" / name, tmp_path / name)
        folders.append(types.WorkspaceFolder(uri=(tmp_path / name).as_uri(), name=name))
    await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=folders,
            initialization_options={"debounceMs": 50},
        )
    )
    session = Session(client, tmp_path)
    hello = session.open("hello/src/hello.charter")
    policy = session.open("summit/src/policy/dataset_access.charter")
    await session.diagnostics(hello, lambda d: len(d) == 0)
    await session.diagnostics(policy, lambda d: len(d) == 0)
    # Each folder resolves on its own: `Person` only exists in hello.
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=hello.ident(), position=hello.pos("on Person", delta=3))
    )
    assert found.uri == hello.uri and found.range == hello.range("entity Person", delta=7)
    session.change(policy, policy.text.replace("by User with", "by Person with", 1))
    diags = await session.diagnostics(policy, lambda d: len(d) > 0)
    assert [d.range for d in diags if d.code == "E1001"] == [policy.range("Person with", length=6)]
    session.change(hello, hello.text.replace("subject.friendly", "subject.friendlyy", 1))
    await session.diagnostics(hello, lambda d: len(d) == 1)
    # Removing the hello folder drops its workspace and clears its diagnostics.
    client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(added=[], removed=[folders[1]])
        )
    )
    await session.diagnostics(hello, lambda d: len(d) == 0)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=hello.ident(), position=hello.pos("on Person", delta=3))
    )
    assert hover is None
