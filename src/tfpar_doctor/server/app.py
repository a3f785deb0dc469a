"""The language server: pygls over stdio. Diagnostics are published for open documents on open, change
and save; hover over a finding shows its rule's documentation; code actions add a noqa comment or apply
the finding's safe fix (unsafe ones too when the client sets `unsafeFixes` in its initialization options).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from tfpar_doctor import __version__
from tfpar_doctor.model import Finding
from tfpar_doctor.server.convert import SOURCE, diagnostic, location_range, offers_fix, text_edits
from tfpar_doctor.server.documents import check_documents


class DoctorServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("tfpar-doctor", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.findings: dict[str, list[Finding]] = {}  # by document URI, from the last check
        self.uris: dict[Path, str] = {}  # open documents' URIs as the client wrote them
        self.unsafe_fixes = False


server = DoctorServer()


def uri_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def _open_python_documents(ls: DoctorServer) -> dict[Path, str]:
    """The open Python documents by path, their URIs remembered as the client spelled them."""
    documents: dict[Path, str] = {}
    for uri, doc in ls.workspace.text_documents.items():
        path = uri_path(uri)
        if path is not None and path.suffix in (".py", ".pyi"):
            documents[path] = doc.source
            ls.uris[path] = uri
    return documents


def publish(ls: DoctorServer, uri: str) -> None:
    """Check the document (with the other open documents of its project) and publish the diagnostics of
    every document checked."""
    path = uri_path(uri)
    if path is None or path.suffix not in (".py", ".pyi"):
        return
    checked = check_documents(path, _open_python_documents(ls))
    for error in checked.errors:
        ls.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=error))
    # Related locations in an open document are converted with its text; others point at the file.
    uri_of = {f.location.path: ls.uris.get(document, document.as_uri())
              for document, findings in checked.findings.items() for f in findings}
    # The edited document first: its diagnostics are the ones the user is waiting for.
    for document, findings in sorted(checked.findings.items(), key=lambda item: item[0] != path):
        doc_uri = ls.uris.get(document, document.as_uri())
        doc = ls.workspace.get_text_document(doc_uri)
        ls.findings[doc_uri] = findings
        diagnostics = [diagnostic(f, doc, uri_of) for f in findings]
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=doc_uri, diagnostics=diagnostics, version=doc.version)
        )


@server.feature(types.INITIALIZE)
def initialize(ls: DoctorServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    ls.unsafe_fixes = bool(isinstance(options, dict) and options.get("unsafeFixes"))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: DoctorServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: DoctorServer, params: types.DidChangeTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: DoctorServer, params: types.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: DoctorServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.findings.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _contains(r: types.Range, p: types.Position) -> bool:
    return (r.start.line, r.start.character) <= (p.line, p.character) <= (r.end.line, r.end.character)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: DoctorServer, params: types.HoverParams) -> types.Hover | None:
    from tfpar_doctor import rule_docs
    from tfpar_doctor.rules import RULES_BY_CODE

    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    for f in ls.findings.get(uri, []):
        where = location_range(doc, f.location)
        rule = RULES_BY_CODE.get(f.code)
        if rule is not None and _contains(where, params.position):
            text = rule_docs.markdown(rule)
            return types.Hover(
                contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=where
            )
    return None


def _finding_for(ls: DoctorServer, uri: str, diag: types.Diagnostic) -> Finding | None:
    doc = ls.workspace.get_text_document(uri)
    for f in ls.findings.get(uri, []):
        if f.code == diag.code and location_range(doc, f.location).start == diag.range.start:
            return f
    return None


def _noqa_action(ls: DoctorServer, uri: str, f: Finding, diag: types.Diagnostic) -> types.CodeAction | None:
    from tfpar_doctor.fix import plan_noqa

    doc = ls.workspace.get_text_document(uri)
    (plan,) = plan_noqa([f], sources={f.location.path: doc.source})
    if not plan.changed:
        return None
    line = f.location.line - 1
    new_line = plan.fixed.splitlines(keepends=True)[line]
    old_line = doc.lines[line]
    edit = types.TextEdit(
        range=types.Range(start=types.Position(line=line, character=0),
                          end=types.Position(line=line, character=len(old_line.encode("utf-16-le")) // 2)),
        new_text=new_line,
    )
    return types.CodeAction(
        title=f"Add `# noqa: {f.code}`", kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def code_action(ls: DoctorServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    actions: list[types.CodeAction] = []
    for diag in params.context.diagnostics:
        if diag.source != SOURCE:
            continue
        f = _finding_for(ls, uri, diag)
        if f is None:
            continue
        if f.fix is not None and offers_fix(f, ls.unsafe_fixes):
            actions.append(types.CodeAction(
                title=f"{f.fix.description} ({f.fix.applicability.value} fix)",
                kind=types.CodeActionKind.QuickFix, diagnostics=[diag], is_preferred=True,
                edit=types.WorkspaceEdit(changes={uri: text_edits(doc, f.fix.edits)}),
            ))
        noqa = _noqa_action(ls, uri, f, diag)
        if noqa is not None:
            actions.append(noqa)
    return actions


def serve() -> None:
    server.start_io()
