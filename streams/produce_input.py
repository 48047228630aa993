"""What ``newswire produce`` sends: the lines of a JSONL file as they are, or the .html, .htm and
.txt files under a folder wrapped as articles, each with what the user is told about it (its id,
its title, why a file or line was left out or will be dead-lettered)."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import orjson

#: The files a folder may hold articles in; anything else is skipped and said so.
PAGE_SUFFIXES = (".html", ".htm", ".txt")
#: Local files get a stand-in URL under this host: validation accepts only http(s) URLs, and
#: ``.invalid`` is reserved (RFC 2606), so it can never name a real page.
STAND_IN_BASE = "https://local.newswire.invalid/"
#: An article id's limit (services/articles.py): 1-256 printable characters.
MAX_ID_CHARS = 256
SOURCE = "local-files"

#: A charset declared in the first bytes of a page (``<meta charset=...>`` or the
#: ``http-equiv`` form); only read when the file is not UTF-8.
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to send, and what to tell the user about it."""

    key: bytes | None
    value: bytes
    #: Where it came from: a file's path as given, or ``FILE line N``.
    origin: str
    #: The article id it will carry (a file's id; a JSONL line's ``id``), None when it has none.
    article_id: str | None = None
    #: Said to the user when the message is sent: where its title comes from, or why the
    #: worker will dead-letter it.
    note: str = ""
    #: True for a line the worker is known to dead-letter (it is sent all the same).
    doomed: bool = False


@dataclass(frozen=True, slots=True)
class Skipped:
    origin: str
    reason: str


@dataclass
class ProduceInput:
    outgoing: list[Outgoing]
    skipped: list[Skipped]


def read_inputs(paths: Sequence[Path]) -> ProduceInput:
    """Every message the given JSONL files and folders make, in order. A path that is a folder
    is walked for pages; a file ending in .html, .htm or .txt is one page; any other file is
    JSONL. Two pages that would get the same id are refused, the second skipped."""
    found = ProduceInput([], [])
    first_origin: dict[str, str] = {}
    for path in paths:
        if path.is_dir():
            pages = _pages_under(path, found.skipped)
        elif path.suffix.lower() in PAGE_SUFFIXES:
            pages = iter([(path, path.name)])
        else:
            found.outgoing.extend(_jsonl(path))
            continue
        for file, article_id in pages:
            page = _page(file, article_id)
            if isinstance(page, Skipped):
                found.skipped.append(page)
            elif page.article_id in first_origin:
                found.skipped.append(
                    Skipped(
                        str(file), f"its id {page.article_id!r} is taken by {first_origin[page.article_id]}"
                    )
                )
            else:
                first_origin[page.article_id or ""] = str(file)
                found.outgoing.append(page)
    return found


# --------------------------------------------------------------------------- JSONL
def _jsonl(path: Path) -> Iterator[Outgoing]:
    """Each non-blank line as it is, keyed by its ``id``. A line the worker will dead-letter
    (not JSON, not an object) is sent all the same, with a warning: the dead-letter record
    then holds it, with the reason, for whoever looks."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip(b"\r\n")
            if not line.strip():
                continue
            origin = f"{path} line {number}"
            try:
                parsed = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Outgoing(
                    None, line, origin, note=f"not JSON ({exc}): dead-lettered as invalid_json", doomed=True
                )
                continue
            if not isinstance(parsed, dict):
                kind = "null" if parsed is None else type(parsed).__name__
                yield Outgoing(
                    None,
                    line,
                    origin,
                    note=f"a JSON {kind}, not an object: dead-lettered as not_an_object",
                    doomed=True,
                )
                continue
            article_id = parsed.get("id") if isinstance(parsed.get("id"), str) else None
            yield Outgoing(article_id.encode("utf-8") if article_id else None, line, origin, article_id)


# --------------------------------------------------------------------------- folders of pages
def _pages_under(folder: Path, skipped: list[Skipped]) -> Iterator[tuple[Path, str]]:
    """``(file, id)`` of every file under ``folder``, in path order; hidden files and folders
    (``.git``, ``.DS_Store``) are skipped and said so. The id is the file's path inside the
    folder, under the folder's own name (``news/a/index.html`` for ``news``), so that the
    ``index.html`` of two folders are two articles, and sending the same folder again from
    anywhere gives the same ids (a changed file is then the next revision of its article)."""
    root_name = folder.resolve().name
    for directory, subdirectories, files in os.walk(folder):
        here = Path(directory)
        for name in sorted(subdirectories):
            if name.startswith("."):
                skipped.append(Skipped(str(here / name), "hidden folder"))
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(files):
            file = here / name
            if name.startswith("."):
                skipped.append(Skipped(str(file), "hidden file"))
                continue
            yield file, "/".join((root_name, *file.relative_to(folder).parts))


def _page(file: Path, article_id: str) -> Outgoing | Skipped:
    if file.suffix.lower() not in PAGE_SUFFIXES:
        return Skipped(str(file), "not an .html, .htm or .txt file")
    if len(article_id) > MAX_ID_CHARS or not article_id.isprintable():
        return Skipped(str(file), f"its path makes no article id (1-{MAX_ID_CHARS} printable characters)")
    body = _read_text(file)
    if body is None:
        return Skipped(str(file), "not UTF-8, and it declares no charset Python knows")
    if not body.strip():
        return Skipped(str(file), "empty")
    record = {
        "id": article_id,
        "url": STAND_IN_BASE + quote(article_id, safe="/"),
        "body": body,
        "source": SOURCE,
    }
    title = _page_title(body) if file.suffix.lower() != ".txt" else ""
    if title:
        # Not sent: the worker reads the page's own title (og:title, <h1>, <title>), as it
        # does for any page sent without one.
        note = f"title from the page: {title!r}"
    else:
        record["title"] = file.stem
        what = "file" if file.suffix.lower() == ".txt" else "page"
        note = f"title {file.stem!r} (the file's name: the {what} has none)"
    return Outgoing(article_id.encode("utf-8"), orjson.dumps(record), str(file), article_id, note)


def _read_text(file: Path) -> str | None:
    """The file as text: UTF-8 (with or without a byte-order mark), else the charset the page
    declares; None when neither reads it."""
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared is None:
        return None
    try:
        return data.decode(codecs.lookup(declared[1].decode("ascii")).name)
    except (LookupError, UnicodeDecodeError):
        return None


def _page_title(body: str) -> str:
    """The title the worker will find in the page ("" when none), by the worker's own reader."""
    from services.text import MarkupTooDeep, clean_title, extract_body

    try:
        return clean_title(extract_body(body).title)
    except MarkupTooDeep:
        return ""  # the worker dead-letters it as html_too_deep, title or not
