"""Attachment files: stored outside the database, written atomically, typed by their content.

Layout: ``<ATTACHMENTS_DIR>/<tenant_id>/<record_id>/<attachment_id>`` (ATTACHMENTS_DIR defaults
to ``<instance>/attachments``). An upload is streamed into a temporary file in the target
folder while its size and SHA-256 are counted, checked, fsync'ed and only then renamed into
place with os.replace, so a crash never leaves half a file under an attachment's name.

The content type is decided by the bytes (magic numbers), never by the file name or by what
the browser claims: a PDF-named text file is text/plain, an MP3-named PNG is image/png, and
anything not in the allow-list below is refused.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024
HEAD = 4096  # bytes read for the signatures; enough for every check below


class TooLarge(Exception):
    """The upload is larger than ATTACHMENT_MAX_BYTES."""


@dataclass(frozen=True)
class Stored:
    key: str  # relative to the attachments folder
    size: int
    sha256: str
    content_type: str
    kind: str  # document, audio, video, image


def root() -> Path:
    configured = current_app.config.get("ATTACHMENTS_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "attachments"


def max_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def path_of(key: str) -> Path:
    return root() / key


# --- content sniffing -------------------------------------------------------------------------
#
# The allow-list: every type a record may carry, with how it is recognised. Signatures are
# the files' own magic numbers (see each format's specification; the same table as the
# `file` command's magic database, cut down to what a counseling or service record needs).
#
#   type                  kind      signature
#   application/pdf       document  "%PDF-" at 0
#   image/png             image     89 50 4E 47 0D 0A 1A 0A at 0
#   image/jpeg            image     FF D8 FF at 0
#   image/gif             image     "GIF87a" or "GIF89a" at 0
#   image/webp            image     "RIFF" at 0 and "WEBP" at 8
#   audio/wav             audio     "RIFF" at 0 and "WAVE" at 8
#   audio/mpeg            audio     "ID3" at 0 (ID3v2 tag), or an MPEG audio frame sync:
#                                   FF then 111x xx1x-style byte (FB, F3, F2, FA, E3, E2)
#   audio/mp4             audio     "ftyp" at 4 with major brand "M4A " / "M4B " (at 8)
#   video/mp4             video     "ftyp" at 4 with any other ISO base media brand
#                                   (isom, mp41, mp42, avc1, 3gp4, qt ...)
#   audio/ogg, video/ogg  audio/    "OggS" at 0; video when the first page holds a Theora
#                         video     header (0x80 "theora"), audio otherwise (Vorbis, Opus)
#   video/webm            video     EBML header 1A 45 DF A3 at 0 (WebM/Matroska recordings)
#   audio/amr             audio     "#!AMR" at 0 (phone voice recorders)
#   DOCX / XLSX           document  "PK" 03 04 at 0 (a ZIP) holding word/document.xml (DOCX)
#                                   or xl/workbook.xml (XLSX); any other ZIP is refused
#   text/plain            document  no signature: the whole file decodes as UTF-8 (a BOM is
#                                   allowed) and holds no NUL or other binary control bytes
#
# A file that matches nothing is refused: executables, archives, HTML and scripts included.

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ALLOWED_TYPES = {
    "application/pdf": "document",
    DOCX: "document",
    XLSX: "document",
    "text/plain": "document",
    "image/png": "image",
    "image/jpeg": "image",
    "image/gif": "image",
    "image/webp": "image",
    "audio/wav": "audio",
    "audio/mpeg": "audio",
    "audio/mp4": "audio",
    "audio/ogg": "audio",
    "audio/amr": "audio",
    "video/mp4": "video",
    "video/ogg": "video",
    "video/webm": "video",
}

_MPEG_FRAME_SECOND_BYTES = {0xFB, 0xFA, 0xF3, 0xF2, 0xE3, 0xE2}
# Control characters never found in text: all C0 controls but tab, LF, FF, CR and ESC
_BINARY_CONTROLS = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}


def _sniff_head(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"ID3"):
        return "audio/mpeg"
    if len(head) >= 2 and head[0] == 0xFF and head[1] in _MPEG_FRAME_SECOND_BYTES:
        return "audio/mpeg"
    if head[4:8] == b"ftyp":
        return "audio/mp4" if head[8:12] in (b"M4A ", b"M4B ") else "video/mp4"
    if head.startswith(b"OggS"):
        return "video/ogg" if b"\x80theora" in head else "audio/ogg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    return None


def _sniff_zip(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _is_utf8_text(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                if _BINARY_CONTROLS.intersection(chunk):
                    return False
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff(path: Path) -> str | None:
    """The content type of the file by its bytes, or None when it is not allowed."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
    if not head:
        return None  # an empty file is not a document
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    found = _sniff_head(head)
    if found is None and _is_utf8_text(path):
        found = "text/plain"
    return found


# --- writing and removing ---------------------------------------------------------------------


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable: fsync the folder that holds the new name (POSIX)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PendingFile:
    """An upload written to a temporary file next to its final place, not yet visible."""

    def __init__(self, key: str, temp: Path, size: int, sha256: str):
        self.key, self.temp, self.size, self.sha256 = key, temp, size, sha256

    def discard(self) -> None:
        self.temp.unlink(missing_ok=True)

    def commit(self, content_type: str) -> Stored:
        """Rename into place (atomic) and make the rename durable."""
        final = path_of(self.key)
        os.replace(self.temp, final)
        _fsync_dir(final.parent)
        return Stored(self.key, self.size, self.sha256, content_type, ALLOWED_TYPES[content_type])


def receive(stream, key: str, limit: int) -> PendingFile:
    """Copy ``stream`` into a temporary file for ``key``; raise TooLarge past ``limit`` bytes."""
    final = path_of(key)
    final.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(prefix=".upload-", dir=final.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge()
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return PendingFile(key, temp, size, digest.hexdigest())


def remove(key: str) -> None:
    """Delete a stored file and the folders it leaves empty (purge)."""
    path = path_of(key)
    path.unlink(missing_ok=True)
    for folder in (path.parent, path.parent.parent):
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break
