"""`tfpar-doctor server` driven by a real LSP client (pytest-lsp starts it as a subprocess over stdio).

One server serves the whole module (starting one takes seconds): each test opens its documents and closes
them again before it ends (`_close`), so that no test sees another's open documents or diagnostics.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

pytest.importorskip("pygls")

PIPE = '''import time

import tensorflow as tf


def slow(x):
    time.sleep(0.1)
    return x


def augment(image):
    return tf.image.random_flip_left_right(image)


ds = tf.data.Dataset.range(10).map(slow)
ds = ds.map(augment)
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[tool.tfpar-doctor]\n", encoding="utf-8")
    (root / "pipe.py").write_text(PIPE, encoding="utf-8")
    return root


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "tfpar_doctor", "server"])
# Every test runs on the module's event loop, where the one server's client lives.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: LanguageClient, project: Path):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=project.as_uri(),
                               initialization_options={})
    )
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, path: Path, text: str) -> Sequence[types.Diagnostic]:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


async def _close(client: LanguageClient, *paths: Path) -> None:
    """Close the documents and wait until the server has answered every close (each publishes an empty
    list): a request sent after them is answered after them, so the next test waits for its own."""
    for path in paths:
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri())))
    await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=paths[0].as_uri()),
        position=types.Position(line=0, character=0)))


async def test_diagnostics_match_check_and_follow_changes(client: LanguageClient, project: Path) -> None:
    pipe = project / "pipe.py"
    diagnostics = await _open(client, pipe, PIPE)
    assert [(d.code, d.range.start.line, d.range.start.character) for d in diagnostics] == [
        ("TFP001", 6, 4), ("TFP105", 15, 8)]
    first = diagnostics[0]
    assert first.source == "tfpar-doctor" and first.severity == types.DiagnosticSeverity.Error
    assert (first.range.end.line, first.range.end.character) == (6, 19)  # exclusive end after `sleep(0.1)`
    assert first.related_information and first.related_information[0].location.uri == pipe.as_uri()
    # An unsaved edit is checked as typed: removing the sleep removes TFP001.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=pipe.as_uri(), version=2),
        content_changes=[
            types.TextDocumentContentChangeWholeDocument(text=PIPE.replace("time.sleep(0.1)", "pass"))
        ],
    ))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[pipe.as_uri()]] == ["TFP105"]
    await _close(client, pipe)


async def test_hover_shows_the_rule_docs(client: LanguageClient, project: Path) -> None:
    await _open(client, project / "pipe.py", PIPE)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=(project / "pipe.py").as_uri()),
        position=types.Position(line=6, character=8)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "(TFP001)" in hover.contents.value and "Why is this bad?" in hover.contents.value
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=(project / "pipe.py").as_uri()),
        position=types.Position(line=0, character=0)))
    assert nothing is None
    await _close(client, project / "pipe.py")


async def test_code_actions_offer_noqa_and_only_safe_fixes(client: LanguageClient, project: Path) -> None:
    uri = (project / "pipe.py").as_uri()
    diagnostics = await _open(client, project / "pipe.py", PIPE)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostics[1].range,
        context=types.CodeActionContext(diagnostics=diagnostics)))
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    # TFP105's fix (num_parallel_calls on a stateful map) is unsafe: not offered, only the noqa comments.
    assert titles == ["Add `# noqa: TFP001`", "Add `# noqa: TFP105`"]
    noqa = actions[1]
    assert isinstance(noqa, types.CodeAction) and noqa.edit is not None and noqa.edit.changes is not None
    (edit,) = noqa.edit.changes[uri]
    assert edit.range.start.line == 15 and edit.new_text == "ds = ds.map(augment)  # noqa: TFP105\n"
    await _close(client, project / "pipe.py")


HELPER = "import time\n\n\ndef slow(x):\n    time.sleep(0.1)\n    return x\n"
USER = "import tensorflow as tf\n\nfrom helper import slow\n\nds = tf.data.Dataset.range(3).map(slow)\n"


async def test_a_finding_caused_by_another_open_file_is_published_where_it_lies(
    client: LanguageClient, project: Path
) -> None:
    # As `check .` reports it: helper.py:5 TFP001, because pipe_user.py's map traces `slow`.
    (project / "helper.py").write_text(HELPER, encoding="utf-8")
    (project / "pipe_user.py").write_text(USER, encoding="utf-8")
    assert not await _open(client, project / "helper.py", HELPER)  # alone, nothing traces it
    await _open(client, project / "pipe_user.py", USER)
    # One notification per open document of the project; wait until the helper's new one has come.
    for _ in range(600):
        if client.diagnostics.get((project / "helper.py").as_uri()):
            break
        await asyncio.sleep(0.1)
    helper = client.diagnostics[(project / "helper.py").as_uri()]
    assert [(d.code, d.range.start.line) for d in helper] == [("TFP001", 4)]
    assert not client.diagnostics[(project / "pipe_user.py").as_uri()]
    await _close(client, project / "helper.py", project / "pipe_user.py")
