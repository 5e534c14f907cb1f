"""Notes read but not saved yet: the uploaded bytes and their extraction, kept for the save.

The review page carries only a random id; the note's bytes never travel through the
browser (a textarea turned LF into CRLF and dropped a leading blank line, so the stored
text no longer matched the file), and the save does not read the note a second time.
They are files in the instance folder, so every worker process of the server finds them
(process memory would not be shared); they expire after PENDING_HOURS.

The files are written and read by this module only, in a folder of the server's own, and
their names are checked random ids: pickle is safe here and keeps the extraction exact.
"""

from __future__ import annotations

import os
import pickle
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tracker.ingest.proposals import Extraction
from tracker.services.common import NotFound

PENDING_HOURS = 24
_ID = re.compile(r"[0-9a-f]{32}")
_SUFFIX = ".pending"


@dataclass(frozen=True)
class PendingImport:
    """An uploaded note awaiting review: who uploaded it, its name, bytes and extraction."""

    user_id: int
    name: str
    data: bytes
    extraction: Extraction


@dataclass(frozen=True)
class PendingTable:
    """An uploaded measures table awaiting its column mapping: who uploaded it, for which
    plan, its name and bytes (read again at each check: a few milliseconds)."""

    user_id: int
    plan_id: int
    name: str
    data: bytes


Pending = TypeVar("Pending", PendingImport, PendingTable)


def keep(folder: Path, pending: PendingImport | PendingTable) -> str:
    """Store a pending import; returns its id. Expired ones are removed on the way."""
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    pending_id = secrets.token_hex(16)
    path = folder / f"{pending_id}{_SUFFIX}"
    partial = path.with_suffix(".partial")
    partial.write_bytes(pickle.dumps(pending, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(partial, path)  # a reader never sees half a file
    return pending_id


def load(folder: Path, pending_id: str, user_id: int, kind: type[Pending]) -> Pending:
    """The pending import (of this kind) of this user, or NotFound saying to upload again."""
    gone = NotFound("pending", pending_id, "this review has expired or was saved already; "
                    "upload the note again")  # fmt: skip
    if kind is PendingTable:
        gone = NotFound("pending", pending_id, "pending_table_gone")
    path = folder / f"{pending_id}{_SUFFIX}"
    if not _ID.fullmatch(pending_id) or not path.is_file() or _expired(path):
        raise gone
    try:
        pending = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, AttributeError, EOFError, ImportError):
        raise gone from None  # written by an older version of the code
    if not isinstance(pending, kind) or pending.user_id != user_id:
        raise gone
    return pending


def discard(folder: Path, pending_id: str) -> None:
    """Remove a pending import once saved."""
    if _ID.fullmatch(pending_id):
        (folder / f"{pending_id}{_SUFFIX}").unlink(missing_ok=True)


def _expired(path: Path) -> bool:
    return time.time() - path.stat().st_mtime > PENDING_HOURS * 3600


def _sweep(folder: Path) -> None:
    for path in folder.iterdir():
        try:
            if path.suffix in (_SUFFIX, ".partial") and _expired(path):
                path.unlink(missing_ok=True)
        except OSError:
            continue  # another worker removed it first
