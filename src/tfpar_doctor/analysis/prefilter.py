"""The byte-level prefilter: which checked files can hold a finding, decided before any parsing.

libcst plus its name metadata costs tens of milliseconds per thousand lines, so parsing every file of a
large tree would make `check` as slow as the linters people uninstall. Most files of a repository have
nothing to do with tf.data; a regular-expression scan of their bytes shows that in microseconds.

Why skipping is safe. Every finding is reported at a *site* (a dataset transformation call such as
`.map(`, `.cache(`, `from_generator(`, `distribute(`) in the file it is reported in, or inside a function
that such a site traces. A function reached from a site in another file is found through that file's
imports, and the project index then loads its module on demand (`analysis/scopes.py`): skipping it here costs
nothing. A site counts only when its receiver is a tf.data dataset or it carries a tf.data-only keyword
(`num_parallel_calls`, ...), and a dataset can only come from TensorFlow names written in the file, or
flow in from another module of the project along an import in either direction (the file imports a
builder of datasets, or a file that uses TensorFlow imports this one and passes it a dataset). So a file
is a candidate when

    it contains a site token, and
    (it contains a tf.data-only keyword, or it is *tf-connected*: it mentions TensorFlow itself, imports
     a project module that is tf-connected, transitively, or is imported by a checked tf-connected file).

Imports are read from the bytes too (`import a.b`, `from .x import y`, multi-line parentheses) and
resolved against the same roots as the project index; imports the scan cannot see (`importlib`,
`__import__`) make the analyzer blind as well, so nothing is lost that a full parse would have found,
except through chains the index would need more than one reverse import step to follow.

Syntax errors (TFP900) stay complete: a skipped file is still parsed by CPython (`symtable`, about twenty
times cheaper than libcst with its metadata, run in the same process pool); one that does not parse is
handed to the full parse, which reports TFP900 with the same message and position as without
the prefilter (and drops CPython-only errors such as `return` outside a function, which libcst accepts).
Suppression comments in skipped files are still read (TFP901 needs them) by the caller from the same bytes.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import symtable
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

from tfpar_doctor.knowledge import tfdata

# Method names that make a call a dataset site (the extractor's own list, so they cannot drift apart).
ALL_SITE_METHODS = frozenset(tfdata.DATASET_METHODS | frozenset(tfdata.TRACED_FUNCTION_ARGUMENT))
TRACED_SITE_METHODS = frozenset(tfdata.TRACED_FUNCTION_ARGUMENT)


@dataclass(frozen=True, slots=True)
class SiteNeeds:
    """What one rule needs in a file to report there; each rule declares it (`Rule.needs`), and the
    prefilter keeps a file when it holds a site of any selected rule.

    `methods`: the dataset methods it reports at, or whose traced function it reports inside, plus the
    sites it reads around them (`with_options` lifts TFP103's cap; TFP301 follows `apply(distribute(...))`);
    None, the default, is every dataset method: safe until someone narrows it. Free functions
    (from_generator, distribute, ...) always count. Sites upstream of these are found through the dataset's
    lineage, in whatever file they are.
    `calls`: other calls that are the rule's sites, by their last name, free or as a method (`Pool` for
    `Pool(...)`, `mp.Pool(...)`, `ctx.Pool(...)`): rules about processes report where no dataset is.
    `keywords`: keyword arguments that make any call a site (`use_multiprocessing=`).
    Files must still be tf-connected (module docstring) unless they carry a tf.data-only keyword."""

    methods: frozenset[str] | None = None
    calls: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()

    def tokens(self) -> frozenset[str]:
        """The needs as site tokens (see `site_methods_for`)."""
        methods = ALL_SITE_METHODS if self.methods is None else self.methods
        return methods | {f"{name}(" for name in self.calls} | {f"{name}=" for name in self.keywords}


class DeclaresNeeds(Protocol):
    @property
    def needs(self) -> SiteNeeds: ...


def site_methods_for(rules: Iterable[DeclaresNeeds]) -> frozenset[str]:
    """The site tokens of the selected rules: a plain name is a dataset method (`.map(`), `name(` a call
    of that name free or as a method, `name=` a keyword argument. One set of strings, so that the scan
    memo of the cache stays keyed by it."""
    tokens: set[str] = set()
    for rule in rules:
        tokens |= rule.needs.tokens()
    return frozenset(tokens)


def _split_tokens(tokens: frozenset[str]) -> tuple[list[str], list[str], list[str]]:
    """(dataset methods, call names, keyword names) of a token set."""
    methods = sorted(t for t in tokens if not t.endswith(("(", "=")))
    calls = sorted(t[:-1] for t in tokens if t.endswith("("))
    keywords = sorted(t[:-1] for t in tokens if t.endswith("="))
    return methods, calls, keywords


def _site_call(tokens: frozenset[str]) -> re.Pattern[bytes] | None:
    """`.map(`, `.cache (` ... with any white space or line breaks around the name; `Pool(` and
    `mp.Pool(` for a call token; `use_multiprocessing=` for a keyword token."""
    methods, calls, keywords = _split_tokens(tokens)
    parts: list[bytes] = []
    if methods:
        names = b"|".join(re.escape(m.encode()) for m in methods)
        parts.append(rb"\." + _GAP + rb"(?:" + names + rb")" + _GAP + rb"\(")
    if calls:
        parts.append(rb"\b(?:" + b"|".join(re.escape(c.encode()) for c in calls) + rb")" + _GAP + rb"\(")
    if keywords:
        parts.append(rb"\b(?:" + b"|".join(re.escape(k.encode()) for k in keywords) + rb")\s*=(?!=)")
    return re.compile(b"|".join(parts)) if parts else None


# What may separate `.` from a method name and the name from `(`: white space, line breaks,
# backslash continuations and, inside brackets, comments.
_GAP = rb"(?:\s|\\\r?\n|#[^\n]*\n)*"


# Free functions that are sites. Called, renamed in an import, or named in an import line; not any
# mention, because `distribute` is also TensorFlow's tf.distribute package, named in most of its files.
_FREE_SITE_NAMES = sorted(
    {name.rsplit(".", 1)[1] for name in tfdata.DATASET_CONSTRUCTORS if name.endswith(".from_generator")}
    | {name.rsplit(".", 1)[1] for name in tfdata.EXPERIMENTAL_MAP_FUNCTIONS}
    | {name.rsplit(".", 1)[1] for name in tfdata.SERVICE_FUNCTIONS}
)
_FREE = rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in _FREE_SITE_NAMES) + rb")\b"
FREE_SITE = re.compile(_FREE + rb"\s*\(|" + _FREE + rb"\s+as\b|\bimport\b[^\n;]*" + _FREE + rb"(?!\.)")
_FREE_SITE_BYTES = tuple(name.encode() for name in _FREE_SITE_NAMES)
# Keywords only tf.data transformations take: with one of them a site counts whatever its receiver.
TFDATA_KEYWORD = re.compile(
    rb"\b(?:" + b"|".join(re.escape(k.encode()) for k in sorted(tfdata.TFDATA_ONLY_KEYWORDS)) + rb")\s*=(?!=)"
)
# Evidence that a file builds or receives datasets through TensorFlow names of its own. Deliberately
# loose (`Dataset` in a comment counts): a false hit costs one parse, a miss a finding. The alias `tf`
# is not evidence by itself (`tf` is a common name for a tar file); a module that gets `tf` from a
# helper (`from compat import tf`) is connected through that import instead.
TF_EVIDENCE: tuple[bytes, ...] = (b"tensorflow", b"keras", b"tfds", b"Dataset", b"AUTOTUNE")

_IMPORT = re.compile(
    rb"^[ \t]*(?:"
    rb"from[ \t]+(?P<dots>\.*)[ \t]*(?P<base>[\w.]*)[ \t]+import[ \t]*(?P<names>\([^)]*\)|[^\n#;]*)"
    rb"|import[ \t]+(?P<modules>[^\n#;]+))",
    re.MULTILINE,
)
_ALIAS = re.compile(rb"\s+as\s+\w+")


@dataclass(frozen=True, slots=True)
class Scan:
    """What the bytes of one file say, before any parsing."""

    has_site: bool
    has_keyword: bool
    has_evidence: bool

    def pack(self) -> int:
        """Three flags in one int: the memo holds thousands, and unpickling ints is what a warm run waits
        on."""
        return self.has_site | self.has_keyword << 1 | self.has_evidence << 2

    @staticmethod
    def unpack(bits: int) -> Scan:
        return Scan(bool(bits & 1), bool(bits & 2), bool(bits & 4))


def content_key(source: bytes) -> str:
    """The hash a file's bytes are known by (scan memo, compile list and facts cache share it)."""
    return hashlib.blake2b(source, digest_size=20).hexdigest()


@dataclass
class ScanMemo:
    """Scans and import lists by content key, for one set of site methods. Regular expressions over every
    byte of a tree are most of a warm run's time; the cache keeps this memo between runs."""

    scans: dict[str, int] = field(default_factory=dict)  # Scan.pack()
    code_sites: dict[str, bool] = field(default_factory=dict)  # not all in strings (`without_code_sites`)
    imports: dict[str, tuple[str, ...]] = field(default_factory=dict)
    changed: bool = False


def scan(source: bytes, site_call: re.Pattern[bytes] | None) -> Scan:
    # Plain substring tests first: `in` on bytes is a fast C search, a regex is not.
    has_site = (site_call is not None and site_call.search(source) is not None) or (
        any(name in source for name in _FREE_SITE_BYTES) and FREE_SITE.search(source) is not None
    )
    return Scan(
        has_site=has_site,
        has_keyword=has_site and TFDATA_KEYWORD.search(source) is not None,
        has_evidence=any(word in source for word in TF_EVIDENCE),
    )


def imported_names(source: bytes) -> tuple[str, ...]:
    """Every module an import statement may load: `from a import b` gives `a` and `a.b`."""
    names: list[str] = []
    for match in _import_statements(source):
        if match.group("modules") is not None:
            for part in _ALIAS.sub(b"", match.group("modules")).split(b","):
                if part.strip():
                    names.append(part.strip().decode("ascii", "replace"))
            continue
        base = (match.group("dots") + match.group("base")).decode("ascii", "replace")
        names.append(base)
        members = _ALIAS.sub(b"", match.group("names").strip(b"()\\ \t"))
        for member in members.split(b","):
            member = member.strip(b" \t\r\n\\")
            if member and member != b"*":
                name = member.decode("ascii", "replace")
                names.append(f"{base}{name}" if base.endswith(".") else f"{base}.{name}")
    return tuple(names)


def _import_statements(source: bytes) -> Iterator[re.Match[bytes]]:
    """The statements on lines that mention `import`: `bytes.find` jumps to them, where the regex alone
    would try every line start of the file (six times slower on the standard library)."""
    line = -1
    position = source.find(b"import")
    while position != -1:
        start = source.rfind(b"\n", 0, position) + 1
        if start != line:
            line = start
            match = _IMPORT.match(source, start)
            if match is not None:
                yield match
        position = source.find(b"import", position + 6)


# Finds the file of a module, given the importing file and the dotted (possibly relative) name.
Resolver = Callable[[Path, str], "Path | None"]


class Prefilter:
    """Decides which of the checked files need a parse; see the module docstring for the argument."""

    def __init__(
        self,
        resolve: Resolver,
        read: Callable[[Path], bytes | None],
        methods: frozenset[str] = ALL_SITE_METHODS,
        memo: ScanMemo | None = None,
    ) -> None:
        """`methods`: the site methods that matter for the selected rules (`site_methods_for`); `memo`:
        scans of earlier runs by content (the cache keeps it, so a warm run runs no regular expression)."""
        self._site_call = _site_call(methods)
        self._resolve = resolve
        self._read = read
        self._memo = memo
        self._sources: dict[Path, bytes | None] = {}
        self._keys: dict[Path, str] = {}
        self._loaders: dict[Path, Callable[[], bytes | None]] = {}  # how to read each remembered file
        self._scans: dict[Path, Scan | None] = {}
        self._imports: dict[Path, tuple[Path, ...]] = {}

    def _remember(self, path: Path, load: Callable[[], bytes | None], key: str | None = None) -> Scan | None:
        """The scan of one file. With a memo and a known content key the bytes are not even read."""
        self._loaders[path] = load
        if self._memo is not None and key is not None:
            bits = self._memo.scans.get(key)
            if bits is not None:
                self._keys[path] = key
                self._scans[path] = Scan.unpack(bits)
                return self._scans[path]
        source = self._source(path)
        if source is None:
            self._scans[path] = None
        elif self._memo is None:
            self._scans[path] = scan(source, self._site_call)
        else:
            self._keys[path] = key = key or content_key(source)
            found = self._scans[path] = scan(source, self._site_call)
            self._memo.scans[key] = found.pack()
            self._memo.changed = True
        return self._scans[path]

    def _scan(self, path: Path) -> Scan | None:
        if path not in self._scans:
            return self._remember(path, lambda: self._read(path))
        return self._scans[path]

    def _source(self, path: Path) -> bytes | None:
        """The bytes of a remembered file, read on first use."""
        if path not in self._sources:
            self._sources[path] = self._loaders[path]()
        return self._sources[path]

    def _imported_names(self, path: Path) -> tuple[str, ...]:
        key = self._keys.get(path)
        if self._memo is not None and key is not None:
            names = self._memo.imports.get(key)
            if names is None:
                source = self._source(path)
                names = self._memo.imports[key] = imported_names(source) if source else ()
                self._memo.changed = True
            return names
        source = self._source(path)
        return imported_names(source) if source else ()

    def _imported_files(self, path: Path) -> tuple[Path, ...]:
        if path not in self._imports:
            self._scan(path)
            names = self._imported_names(path)
            self._imports[path] = tuple(dict.fromkeys(t for n in names if (t := self._resolve(path, n))))
        return self._imports[path]

    def candidates(
        self,
        files: Sequence[Path],
        sources: Mapping[Path, bytes | None] | Callable[[Path], bytes | None],
        keys: Sequence[str | None] | None = None,
    ) -> list[bool]:
        """Per checked file (same order): True when it must be parsed. Unreadable files are candidates,
        so that the reader reports them (TFP900) exactly as without the prefilter. `sources`: the files'
        bytes, or a function that reads them (called only for files the memo does not know); `keys`:
        their `content_key`s, when the caller has them."""
        get = sources.get if isinstance(sources, Mapping) else sources
        # Absolute, not resolved, paths: they only need to agree with the resolver's, and resolving
        # symlinks costs a system call per path component.
        checked = [Path(os.path.abspath(file)) for file in files]
        for position, (file, path) in enumerate(zip(files, checked, strict=True)):
            key = keys[position] if keys is not None else None
            self._remember(path, partial(get, file), key)
        scans = [self._scans[path] for path in checked]
        undecided = [
            p
            for p, s in zip(checked, scans, strict=True)
            if s is not None and s.has_site and not s.has_keyword
        ]
        connected = self._tf_connected(undecided, checked) if undecided else set()
        return [
            s is None or (s.has_site and (s.has_keyword or path in connected))
            for path, s in zip(checked, scans, strict=True)
        ]

    def _tf_connected(self, undecided: Sequence[Path], checked: Sequence[Path]) -> set[Path]:
        """Which of the undecided files (a site token, no tf.data keyword) are tf-connected."""
        # The import graph reachable from them, followed until TensorFlow evidence.
        importers: dict[Path, set[Path]] = {}
        queue = deque(undecided)
        seen = set(undecided)
        while queue:
            path = queue.popleft()
            found = self._scan(path)
            if found is None or found.has_evidence:
                continue  # evidence already decides; its imports cannot add anything
            for target in self._imported_files(path):
                importers.setdefault(target, set()).add(path)
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        # Files that reach evidence along imports: walk the edges backwards from the evidence.
        reached = {p for p in seen if (s := self._scans.get(p)) is not None and s.has_evidence}
        queue = deque(reached)
        while queue:
            for importer in importers.get(queue.popleft(), ()):
                if importer not in reached:
                    reached.add(importer)
                    queue.append(importer)
        # One step the other way: an undecided file imported by a checked tf-connected file may be handed
        # a dataset (`process(ds)`), which the index sees through the caller's arguments.
        waiting = set(undecided) - reached
        if waiting:
            for path in checked:
                found = self._scans.get(path)
                if found is None or not (found.has_evidence or path in reached):
                    continue
                hits = waiting.intersection(self._imported_files(path))
                reached |= hits
                waiting -= hits
                if not waiting:
                    break
        return reached


def module_file_resolver(cwd: Path | None = None) -> Resolver:
    """Resolves dotted names the way the analysis does (`analysis.scopes`): absolute names from the
    importing file's own directory and import root (an ambiguous name resolves to nothing), then the
    working directory; relative names against the importing file's package."""
    from tfpar_doctor.analysis.scopes import DirectoryListings, ImportScope, resolve_relative

    listings = DirectoryListings()
    scopes: dict[Path, ImportScope] = {}  # one per importing directory: its files share the answers
    packages: dict[Path, tuple[Path, list[str]]] = {}

    def resolve(importer: Path, name: str) -> Path | None:
        if name.startswith("."):
            return resolve_relative(importer, name, listings)
        scope = scopes.get(importer.parent)
        if scope is None:
            scope = scopes[importer.parent] = ImportScope(importer, listings, cwd, packages)
        return scope.find(name)

    return resolve


def failing_to_compile(*sources: bytes) -> tuple[int, ...]:
    """Positions of the sources CPython cannot parse (decoding and syntax errors alike).

    `symtable` runs CPython's parser and its symbol-table pass in C without building Python objects for
    the tree: on the standard library 30% cheaper than `compile()` to bytecode and a third cheaper than
    `ast.parse`, with the same verdicts. Warnings (invalid escape sequences...) are not ours."""
    failed: list[int] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for position, source in enumerate(sources):
            try:
                symtable.symtable(source, "<prefilter>", "exec")  # type: ignore[arg-type] # bytes work
            except Exception:  # noqa: BLE001 - SyntaxError, ValueError (NUL bytes), RecursionError...
                # The symbol table also rejects some code that parses (`nonlocal` at module level);
                # libcst accepts that, and so must we: only a parse error counts.
                try:
                    compile(source, "<prefilter>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
                except Exception:  # noqa: BLE001 - as above
                    failed.append(position)
    return tuple(failed)


def without_code_sites(methods: frozenset[str], *sources: bytes) -> tuple[int, ...]:
    """Positions of the candidate sources whose site tokens are all in strings or comments.

    The byte scan cannot tell code from text; CPython's parser can, in C and in a few milliseconds where
    libcst with its metadata takes seconds (TensorFlow's generated `gen_dataset_ops.py` mentions
    `.interleave(` only in docstrings and cost 6 s). A file counts as having a site when its syntax tree
    names a site method as an attribute (called or not: `pool_map = ds.map` is kept too) or names a free
    site function (`from_generator`, `distribute`, ...) at all, imports included. A file that does not
    parse keeps its place: the full parse reports it (TFP900)."""
    names, calls, keywords = _split_tokens(methods)
    attributes = frozenset(names) | frozenset(calls)
    free = frozenset(_FREE_SITE_NAMES) | frozenset(calls)
    empty: list[int] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for position, source in enumerate(sources):
            try:
                tree = compile(source, "<prefilter>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
            except Exception:  # noqa: BLE001 - SyntaxError, ValueError (NUL bytes), RecursionError...
                continue
            if not _names_a_site(tree, attributes, free, frozenset(keywords)):
                empty.append(position)
    return tuple(empty)


def _names_a_site(
    tree: ast.AST, methods: frozenset[str], free: frozenset[str], keywords: frozenset[str] = frozenset()
) -> bool:
    """`methods`: attribute names that are sites; `free`: names that are sites wherever they appear;
    `keywords`: keyword-argument names that are (`use_multiprocessing=`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in methods or node.attr in free:
                return True
        elif isinstance(node, ast.Name):
            if node.id in free:
                return True
        elif isinstance(node, ast.alias):
            if node.name.rsplit(".", 1)[-1] in free:
                return True
        elif isinstance(node, ast.keyword) and node.arg in keywords:
            return True
    return False
