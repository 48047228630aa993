"""What ``newswire produce`` makes of files and folders: one id per page, titles from the
page, every file left out said with its reason, JSONL lines as they are."""

from __future__ import annotations

from pathlib import Path

import orjson

from streams.produce_input import STAND_IN_BASE, read_inputs

PAGE = (
    "<html><head><title>Talks resume in Vienna | Example Wire</title></head><body><article>"
    "<h1>Talks resume in Vienna</h1><p>Ministers met in Vienna on Tuesday to revive the grain "
    "corridor talks that stalled last month.</p></article></body></html>"
)
UNTITLED = "<html><body><p>Ministers met in Vienna on Tuesday to revive the grain talks.</p></body></html>"


def record(value: bytes) -> dict[str, str]:
    parsed: dict[str, str] = orjson.loads(value)
    return parsed


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


def test_index_pages_of_two_folders_are_two_articles_with_their_own_ids(tmp_path: Path) -> None:
    write(tmp_path / "site" / "world" / "index.html", PAGE)
    write(tmp_path / "site" / "sport" / "index.html", UNTITLED)
    # Two folders given apart, as two runs would give them, and their parent folder.
    apart = read_inputs([tmp_path / "site" / "world", tmp_path / "site" / "sport"]).outgoing
    together = read_inputs([tmp_path / "site"]).outgoing

    assert [m.article_id for m in apart] == ["world/index.html", "sport/index.html"]
    assert [m.article_id for m in together] == ["site/sport/index.html", "site/world/index.html"]
    for message in apart + together:
        sent = record(message.value)
        assert sent["id"] == message.article_id and message.key == sent["id"].encode()
        assert sent["url"] == STAND_IN_BASE + sent["id"]
        assert sent["source"] == "local-files"
    assert len({record(m.value)["url"] for m in together}) == 2


def test_a_page_with_a_title_is_sent_without_one_so_the_worker_reads_the_page(tmp_path: Path) -> None:
    write(tmp_path / "news" / "vienna.html", PAGE)
    write(tmp_path / "news" / "untitled.htm", UNTITLED)
    write(tmp_path / "news" / "brief.txt", "Ministers met in Vienna on Tuesday.")
    messages = {m.article_id: m for m in read_inputs([tmp_path / "news"]).outgoing}

    titled = messages["news/vienna.html"]
    assert "title" not in record(titled.value)
    assert titled.note == "title from the page: 'Talks resume in Vienna'"
    assert record(messages["news/untitled.htm"].value)["title"] == "untitled"
    assert "the page has none" in messages["news/untitled.htm"].note
    assert record(messages["news/brief.txt"].value)["title"] == "brief"


def test_files_that_are_not_pages_are_skipped_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    write(folder / "story.html", PAGE)
    write(folder / "logo.png", b"\x89PNG\r\n")
    write(folder / ".DS_Store", b"\x00")
    write(folder / ".git" / "HEAD", "ref: refs/heads/main")
    write(folder / "blank.txt", "  \n")
    write(folder / "latin.txt", "Caf\xe9 owners met in Vienna.".encode("latin-1"))
    found = read_inputs([folder])

    assert [m.article_id for m in found.outgoing] == ["news/story.html"]
    assert {Path(s.origin).name: s.reason for s in found.skipped} == {
        ".git": "hidden folder",
        ".DS_Store": "hidden file",
        "blank.txt": "empty",
        "latin.txt": "not UTF-8, and it declares no charset Python knows",
        "logo.png": "not an .html, .htm or .txt file",
    }


def test_a_page_in_a_declared_charset_is_read_in_it(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1252"><title>Caf\xe9 talks</title></head><body>'
    page += "<p>Caf\xe9 owners met the mayor in Vienna on Tuesday to talk about rents.</p></body></html>"
    write(tmp_path / "cafe.html", page.encode("cp1252"))
    [message] = read_inputs([tmp_path / "cafe.html"]).outgoing
    assert message.article_id == "cafe.html"
    assert "Café owners" in record(message.value)["body"]
    assert message.note == "title from the page: 'Café talks'"


def test_the_same_page_given_twice_is_sent_once(tmp_path: Path) -> None:
    write(tmp_path / "news" / "story.html", PAGE)
    found = read_inputs([tmp_path / "news", tmp_path / "news"])
    assert len(found.outgoing) == 1
    [skipped] = found.skipped
    assert skipped.reason == f"its id 'news/story.html' is taken by {tmp_path / 'news' / 'story.html'}"


def test_a_path_too_long_for_an_id_is_skipped(tmp_path: Path) -> None:
    deep = tmp_path / "news" / ("d" * 120) / ("e" * 120) / "story.html"
    write(deep, PAGE)
    found = read_inputs([tmp_path / "news"])
    assert found.outgoing == []
    assert found.skipped[0].reason == "its path makes no article id (1-256 printable characters)"


def test_jsonl_lines_go_as_they_are_and_lines_the_worker_refuses_are_flagged(tmp_path: Path) -> None:
    source = write(
        tmp_path / "in.jsonl",
        '{"id": "a1", "url": "https://x.example/1", "body": "b"}\n\n[1, 2]\n{broken\nnull\n'
        '{"url": "https://x.example/2", "body": "b"}\n',
    )
    messages = read_inputs([source]).outgoing
    assert [(m.key, m.value) for m in messages] == [
        (b"a1", b'{"id": "a1", "url": "https://x.example/1", "body": "b"}'),
        (None, b"[1, 2]"),
        (None, b"{broken"),
        (None, b"null"),
        (None, b'{"url": "https://x.example/2", "body": "b"}'),
    ]
    assert [m.doomed for m in messages] == [False, True, True, True, False]
    assert messages[1].origin == f"{source} line 3"
    assert messages[1].note == "a JSON list, not an object: dead-lettered as not_an_object"
    assert messages[2].note.startswith("not JSON (") and messages[2].note.endswith("as invalid_json")
    assert messages[3].note == "a JSON null, not an object: dead-lettered as not_an_object"
