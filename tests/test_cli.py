"""The command line: contracts from DESIGN.md (stdin/stdout, -o, --from/--to, exit codes)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from bibconv.cli import cli

from .conftest import EXAMPLE


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_commands() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    for command in ("convert", "formats", "styles"):
        assert command in out


def test_convert_example_to_stdout() -> None:
    code, out, err = invoke("convert", str(EXAMPLE), "--to", "csl-json")
    assert code == 0 and err == ""
    items = json.loads(out)
    assert len(items) == 10 and items[0]["id"] == "jin2026addressing"


def test_stdin_to_stdout(example_text: str) -> None:
    code, out, _ = invoke("convert", "--to", "json", stdin=example_text)
    assert code == 0 and len(json.loads(out)) == 10
    code2, out2, _ = invoke("convert", "-", "--to", "json", stdin=example_text)
    assert code2 == 0 and json.loads(out2) == [
        {**p, "origin": "<stdin>", "cluster": {**p["cluster"], "origin": "<stdin>"}}
        for p in json.loads(out)
    ]


def test_output_file_and_format_from_suffix(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = invoke("convert", str(EXAMPLE), "-o", str(target))
    assert code == 0 and out == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 10
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left behind


def test_missing_to_is_a_usage_error() -> None:
    code, _, err = invoke("convert", str(EXAMPLE))
    assert code == 2 and "--to" in err


def test_unknown_format_is_a_usage_error_with_suggestion() -> None:
    code, _, err = invoke("convert", str(EXAMPLE), "--to", "csljson")
    assert code == 2 and "did you mean csl-json" in err
    code, _, err = invoke("convert", str(EXAMPLE), "--to", "csl-json", "--from", "clutser")
    assert code == 2 and "did you mean cluster" in err


def test_unknown_writer_option_is_a_usage_error() -> None:
    code, _, err = invoke("convert", str(EXAMPLE), "--to", "csl-json", "-O", "colour=blue")
    assert code == 2 and "unknown option(s) colour" in err


def test_bad_key_pattern_lists_valid_tokens() -> None:
    code, _, err = invoke("convert", str(EXAMPLE), "--to", "csl-json", "--key-pattern", "{nope}")
    assert code == 2 and "{auth}" in err and "{year}" in err


def test_key_pattern_option() -> None:
    code, out, _ = invoke("convert", str(EXAMPLE), "--to", "csl-json",
                          "--key-pattern", "{Auth}:{year}:{shorttitle}")
    assert code == 0
    assert json.loads(out)[0]["id"] == "Jin:2026:addressingpolarizationunfairness"


def test_warnings_go_to_stderr_and_strict_fails(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text("AAAI Conference 2021 Mystery Paper\n\nA Title\n\n• Ada Lovelace\n",
                    encoding="utf-8")
    code, out, err = invoke("convert", str(page), "--to", "csl-json")
    assert code == 0
    assert f"{page}:1: warning[unknown-type]" in err
    assert json.loads(out)[0]["type"] == "document"
    code, _, _ = invoke("convert", str(page), "--to", "csl-json", "--strict")
    assert code == 1
    code, _, err = invoke("convert", str(page), "--to", "csl-json", "--quiet")
    assert code == 0 and err == ""


def test_formats_lists_readers_and_writers() -> None:
    code, out, _ = invoke("formats")
    assert code == 0
    assert "cluster" in out and "csl-json" in out and "Writers" in out


def test_venues_option(tmp_path: Path) -> None:
    table = tmp_path / "v.json"
    table.write_text(json.dumps({"venues": [{"acronym": "FOO", "kind": "conference",
                                             "name": "Foo Conf", "container_title": "Proc. Foo"}]}))
    page = tmp_path / "p.txt"
    page.write_text("FOO Conference 2021 Conference Paper\n\nT\n\n• A B\n", encoding="utf-8")
    code, out, _ = invoke("convert", str(page), "--to", "csl-json", "--venues", str(table))
    assert code == 0 and json.loads(out)[0]["container-title"] == "Proc. Foo"


def test_repeated_warnings_are_folded(tmp_path: Path) -> None:
    entry = "AAAI Conference 2021 Mystery Paper\n\nA Title {n}\n\n• Ada Lovelace\n\n"
    page = tmp_path / "p.txt"
    page.write_text("".join(entry.format(n=i) for i in range(8)), encoding="utf-8")
    code, _, err = invoke("convert", str(page), "--to", "json")
    assert code == 0
    assert err.count("warning[unknown-type]") == 6  # five shown, one summary line
    assert "3 more warning[unknown-type] not shown" in err
    code, _, err = invoke("convert", str(page), "--to", "json", "--verbose")
    assert err.count("warning[unknown-type]") == 8


def test_repeated_errors_are_folded_per_input(tmp_path: Path) -> None:
    """A file in the wrong encoding has an error on nearly every line: the first few of
    each input are shown and the rest counted, so every broken input is still named."""
    entry = "AAAI Conference 2021 Conference Paper\n\nCaf\u00e9 {n}\n\n* J\u00fcrgen M\u00fcller\n\n"
    pages = []
    for name in ("a.txt", "b.txt"):
        page = tmp_path / name
        page.write_bytes("".join(entry.format(n=i) for i in range(6)).encode("cp1252",
                                                                             "replace"))
        pages.append(str(page))
    code, out, err = invoke("convert", *pages, "--to", "json")
    assert code == 1 and len(json.loads(out)) == 12  # every paper kept, U+FFFD in place
    for page in pages:
        # 12 bad lines each (title and author line of six entries): five shown, a count.
        assert err.count(f"{page}:") == 5
        assert f"7 more error[invalid-utf8] in {page} not shown" in err
    code, _, err = invoke("convert", *pages, "--to", "json", "--verbose")
    assert err.count("error[invalid-utf8]") == 24 and "not shown" not in err
    code, _, err = invoke("convert", *pages, "--to", "json", "--quiet")
    assert err.count("error[invalid-utf8]") == 12  # quiet keeps errors, folded alike
