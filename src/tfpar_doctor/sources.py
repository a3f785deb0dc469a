"""The checked files' bytes and content keys: each file read at most once, and on a warm run not at all.

A warm run must not read and hash 30 MB only to learn that nothing changed. Like git's index and ruff's
cache, the facts cache keeps a *stat manifest*: per file, its stat signature (mtime, ctime, size, inode,
device) with the content key and whether the file may hold a suppression comment of ours. A file whose
signature is unchanged is known by that key without being opened; the prefilter's memo, the compile list
and the facts cache all answer by key.

A signature can miss an edit only when the file changed twice within one timestamp tick at the same size.
Entries younger than `RACY_SECONDS` when recorded are therefore not kept (git calls these racy entries):
such a file is read and hashed again until its timestamp is safely in the past.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# stat signature -> (content key, may hold a suppression comment naming tfpar-doctor codes)
Signature = tuple[int, int, int, int, int]
Manifest = dict[str, tuple[Signature, str, bool]]

RACY_SECONDS = 2.0
MANIFEST_LIMIT = 200_000  # entries kept across runs (about 30 MB of pickle at most)


def content_key(source: bytes) -> str:
    from tfpar_doctor.analysis.prefilter import content_key as key

    return key(source)


def may_suppress(source: bytes) -> bool:
    """Whether a file may hold a suppression comment (any case of `noqa`): a cheap test before the
    tokenizer. `lower()` then `in` is about 4x faster than a case-insensitive regex over many MB."""
    return b"noqa" in source.lower()


def may_note(source: bytes) -> bool:
    """Whether a skipped file may hold a suppression comment that TFP901 must read: one that names a code
    or our tool. Cheap substring tests; the tokenizer decides."""
    return (b"TFP" in source or b"tfp" in source) and may_suppress(source)


def _signature(path: str) -> Signature | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino, info.st_dev)


class Sources:
    """Bytes, content keys and suppression hints of the checked files, by position, read lazily.

    `given`: contents supplied directly (stdin), never looked up on disk. `manifest`: the stat manifest of
    earlier runs (None: no cache, every file is read up front, keys are not computed)."""

    def __init__(
        self,
        files: Sequence[Path],
        given: Mapping[Path, bytes],
        read: Callable[[Path], bytes | None],
        manifest: Manifest | None,
    ) -> None:
        self.files = list(files)
        self._read = read
        self._manifest = manifest
        self._changed = False
        self._started = time.time_ns()
        self._sources: dict[int, bytes | None] = {}
        self._keys: dict[int, str | None] = {}
        self._notes: dict[int, bool] = {}
        self._absolute: dict[int, str] = {}
        self._signatures: dict[int, Signature | None] = {}
        for index, file in enumerate(self.files):
            if file in given:
                self._store(index, given[file], record=False)
            elif manifest is None:
                self._store(index, read(file), record=False)
            else:
                absolute = self._absolute[index] = os.path.abspath(file)
                signature = self._signatures[index] = _signature(absolute)
                known = manifest.get(absolute)
                if signature is not None and known is not None and known[0] == signature:
                    self._keys[index], self._notes[index] = known[1], known[2]

    def _store(self, index: int, source: bytes | None, record: bool) -> None:
        self._sources[index] = source
        if source is None:
            self._keys[index], self._notes[index] = None, False
            return
        self._notes[index] = may_note(source)
        if self._manifest is None:
            return
        key = self._keys[index] = content_key(source)
        signature = self._signatures.get(index)
        if record and signature is not None and signature[0] < self._started - int(RACY_SECONDS * 1e9):
            self._manifest[self._absolute[index]] = (signature, key, self._notes[index])
            self._changed = True

    def source(self, index: int) -> bytes | None:
        """The file's bytes (read now if they were not yet); None when it cannot be read."""
        if index not in self._sources:
            self._store(index, self._read(self.files[index]), record=True)
        return self._sources[index]

    def key(self, index: int) -> str | None:
        """The content key (None without a cache, or when the file cannot be read)."""
        if self._manifest is None:
            return None
        if index not in self._keys:
            self.source(index)
        return self._keys[index]

    def may_note(self, index: int) -> bool:
        if index not in self._notes:
            self.source(index)
        return self._notes[index]

    def by_path(self) -> Callable[[Path], bytes | None]:
        positions = {file: index for index, file in enumerate(self.files)}
        return lambda file: self.source(positions[file])

    def updated_manifest(self) -> Manifest | None:
        """The manifest to save, when this run learnt anything new."""
        if self._manifest is None or not self._changed:
            return None
        if len(self._manifest) > MANIFEST_LIMIT:
            current = {self._absolute[i] for i in self._absolute}
            self._manifest = {path: entry for path, entry in self._manifest.items() if path in current}
        return self._manifest
