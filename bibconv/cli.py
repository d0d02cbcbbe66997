"""The ``bibconv`` command line (click)."""

from __future__ import annotations

import io
import os
import sys
from typing import IO, Any, NoReturn, TextIO

import click

from . import __version__
from .api import PaperSource, atomic_output, make_reader
from .batch import ParallelSource, Progress, convert_each, expand_inputs
from .decoding import check_encoding
from .diagnostics import Diagnostic, Reporter
from .errors import BibconvError, OptionError, UnknownFormatError
from .plugin import Utf8Output
from .registry import (
    get_reader,
    get_writer,
    reader_names,
    reader_option_names,
    writer_for_path,
    writer_names,
)

__all__ = ["main"]

# Command-line flags that map onto writer options of the same meaning.
_WRITER_FLAGS: dict[str, str] = {
    "style": "style",
    "locale": "locale",
    "citation_format": "citation_format",
    "base_iri": "base_iri",
    "key_pattern": "key_pattern",
    "ascii": "ascii",
    "venue_form": "venue_form",
}


def _fail_usage(message: str) -> NoReturn:
    raise click.UsageError(message)


def _parse_option(values: tuple[str, ...]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for value in values:
        key, sep, raw = value.partition("=")
        if not sep or not key:
            _fail_usage(f"-O expects KEY=VALUE, got {value!r}")
        lowered = raw.lower()
        parsed: Any = raw
        if lowered in ("true", "yes", "on"):
            parsed = True
        elif lowered in ("false", "no", "off"):
            parsed = False
        options[key.replace("-", "_")] = parsed
    return options


#: Warnings of one code shown before the rest are only counted (errors are always shown).
_SHOWN_PER_CODE = 5


class _Printer:
    """Prints diagnostics to standard error, folding long runs of one code.

    A million-paper conversion to BibTeX can lose the same kind of field in every
    paper; the first few warnings of each code are shown and the rest counted in a
    closing line, unless --verbose asks for every one. Errors are folded per input
    too (a file in the wrong encoding has an invalid-utf8 error on nearly every
    line), so that each input's own errors are still shown: a batch of broken files
    names every file.
    """

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.seen: dict[str, int] = {}
        self.errors: dict[tuple[str, str | None], int] = {}

    def __call__(self, diagnostic: Diagnostic) -> None:
        if diagnostic.severity.value == "warning":
            if self.quiet:
                return
            count = self.seen.get(diagnostic.code, 0) + 1
            self.seen[diagnostic.code] = count
            if count > _SHOWN_PER_CODE and not self.verbose:
                return
        elif diagnostic.severity.value == "error" and not self.verbose:
            key = (diagnostic.code, diagnostic.origin)
            count = self.errors.get(key, 0) + 1
            self.errors[key] = count
            if count > _SHOWN_PER_CODE:
                return
        click.echo(str(diagnostic), err=True)

    def summary(self) -> None:
        """Say how many diagnostics of each code were not shown."""
        if self.verbose:
            return
        for (code, origin), count in self.errors.items():
            if count > _SHOWN_PER_CODE:
                click.echo(f"bibconv: {count - _SHOWN_PER_CODE} more error[{code}] in "
                           f"{origin or '<input>'} "
                           "not shown (--verbose shows all)", err=True)
        for code, count in self.seen.items():
            if count > _SHOWN_PER_CODE:
                click.echo(f"bibconv: {count - _SHOWN_PER_CODE} more warning[{code}] not "
                           "shown (--verbose shows all)", err=True)


def _encoding_option(ctx: click.Context, param: click.Parameter,
                     value: str | None) -> str | None:
    """Check --encoding before anything is read or written: an unknown name is a usage
    error (exit 2), not an error per input."""
    if value is None:
        return None
    try:
        return check_encoding(value)
    except OptionError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bibconv")
def cli() -> None:
    """Convert scraped author-name clusters and bibliographic files.

    \b
    Examples:
      bibconv convert examples/kun-jin.txt --to csl-json
      bibconv convert page.txt --to bibtex -o refs.bib
      cat page.txt | bibconv convert --to ris
      bibconv formats
    """


@cli.command()
@click.argument("inputs", nargs=-1, type=str)
@click.option("-t", "--to", "to_format", help="Output format (see 'bibconv formats'); "
              "default: from the -o suffix.")
@click.option("-f", "--from", "from_format", help="Input format; default: sniffed from content.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Output file (written atomically); default: standard output.")
@click.option("--strict", is_flag=True, help="Exit 1 when any warning was reported.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, not warnings.")
@click.option("-v", "--verbose", is_flag=True,
              help=f"Print every warning (default: the first {_SHOWN_PER_CODE} of each kind).")
@click.option("--venues", type=click.Path(exists=True, dir_okay=False),
              help="Extra venue table (JSON) merged over the built-in one.")
@click.option("--key-pattern", help="Citation-key pattern, e.g. '{auth}{year}{title}'.")
@click.option("--style", help="Citation style: a name such as apa or ieee, or a .csl file.")
@click.option("--locale", help="Citation locale, e.g. en-US, en-GB, de-DE.")
@click.option("--citation-format", type=click.Choice(["text", "html", "markdown", "rst"]),
              help="Markup of formatted citations.")
@click.option("--base-iri", help="Base IRI under which RDF writers mint IRIs.")
@click.option("--ascii", "ascii_", is_flag=True, default=None,
              help="BibTeX: write LaTeX accent macros instead of UTF-8.")
@click.option("--venue-form", type=click.Choice(["full", "short"]),
              help="BibTeX/BibLaTeX: full proceedings/journal titles or short forms.")
@click.option("-O", "--option", "extra_options", multiple=True, metavar="KEY=VALUE",
              help="Any other writer option (repeatable).")
@click.option("-d", "--output-dir", type=click.Path(file_okay=False),
              help="Write one output per input into this directory.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for reading inputs (results are identical to one).")
@click.option("--encoding", metavar="NAME", callback=_encoding_option,
              help="Encoding of the inputs: any Python knows (cp1252, latin-1, shift_jis, "
              "utf-16, ...); default UTF-8, and UTF-16/UTF-32 with a byte-order mark.")
def convert(
    inputs: tuple[str, ...],
    to_format: str | None,
    from_format: str | None,
    output: str | None,
    strict: bool,
    quiet: bool,
    verbose: bool,
    venues: str | None,
    key_pattern: str | None,
    style: str | None,
    locale: str | None,
    citation_format: str | None,
    base_iri: str | None,
    ascii_: bool | None,
    venue_form: str | None,
    extra_options: tuple[str, ...],
    output_dir: str | None,
    jobs: int,
    encoding: str | None,
) -> None:
    """Convert INPUT files, directories or globs (or standard input) to another format.

    Many inputs go into one output, in the order given (directories sorted), unless
    --output-dir asks for one output per input.
    """
    given = {
        "style": style, "locale": locale, "citation_format": citation_format,
        "base_iri": base_iri, "key_pattern": key_pattern, "ascii": ascii_,
        "venue_form": venue_form,
    }
    options = {_WRITER_FLAGS[k]: v for k, v in given.items() if v is not None}
    options.update(_parse_option(extra_options))
    paths = expand_inputs(list(inputs) or ["-"])
    reader_options: dict[str, Any] = {"venues": venues} if venues else {}
    printer = _Printer(quiet, verbose)
    reporter = Reporter(printer, keep=0)
    progress = Progress() if not quiet else None
    try:
        if output is not None and output_dir is not None:
            _fail_usage("use either -o/--output or --output-dir, not both")
        if to_format is None:
            if output is None:
                _fail_usage("name the output format with --to (see 'bibconv formats')")
            to_format = writer_for_path(output)
        writer_class = get_writer(to_format)
        for key in list(options):
            # -O KEY=VALUE goes to the writer, or to the readers when only they take it
            # (the RDF readers' max_bytes).
            if key not in writer_class.options and key in reader_option_names():
                reader_options[key] = options.pop(key)
        writer = writer_class(**options)
        if from_format is not None:
            make_reader(from_format, reader_options)
        if output_dir is not None:
            if "-" in paths:
                _fail_usage("--output-dir needs input files, not standard input")
            convert_each(paths, output_dir, from_format, to_format, options, reader_options,
                         reporter, jobs, progress, encoding)
        else:
            source: Any
            if jobs > 1 and len(paths) > 1 and "-" not in paths:
                source = ParallelSource(paths, from_format, reporter, reader_options, jobs,
                                        encoding=encoding)
            else:
                source = PaperSource(paths, from_format, reporter, reader_options, encoding)
                if progress is not None:
                    progress.total_bytes = source.total_bytes()
                    progress.position = source.position
            papers = progress.wrap(source) if progress is not None else source
            if output is not None:
                # Nothing at all read, and errors said why: an existing output is kept.
                with atomic_output(output, commit=lambda: not (
                        reporter.errors and not source.papers_read)) as out:
                    writer.write(papers, out, reporter)
                if reporter.errors and not source.papers_read:
                    click.echo(f"bibconv: nothing could be read; {output} was not written",
                               err=True)
            else:
                stdout = _stdout_stream()
                writer.write(papers, stdout, reporter)
                stdout.flush()
        if progress is not None:
            progress.finish()
        printer.summary()
    except (OptionError, UnknownFormatError) as exc:
        raise click.UsageError(str(exc)) from exc
    except BibconvError as exc:
        click.echo(f"bibconv: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("\nbibconv: interrupted; no partial output file was left behind", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    if reporter.errors or (strict and reporter.warnings):
        sys.exit(1)


def _stdout_stream() -> TextIO:
    """Standard output as UTF-8 text; into a pipe or a file through a large buffer.

    Writers hand over a paper at a time, and a system call per paper costs more than
    the paper's text. A terminal keeps click's stream, which shows output as it comes.
    """
    stream = click.get_text_stream("stdout", encoding="utf-8")
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by a test runner, closed, ...
        return stream
    if os.isatty(fd):
        return stream
    stream.flush()
    raw = io.FileIO(fd, "w", closefd=False)
    if os.linesep == "\n":
        # No newline translation to keep: writers may write bytes under the text.
        return Utf8Output(raw, _STDOUT_BUFFER)
    return io.TextIOWrapper(io.BufferedWriter(raw, buffer_size=_STDOUT_BUFFER),
                            encoding="utf-8")


#: Bytes of output gathered before each write to a pipe or a file on standard output.
_STDOUT_BUFFER = 1 << 18


@cli.command()
def formats() -> None:
    """List the readers and writers available."""
    for title, names, getter in (
        ("Readers (--from):", reader_names(), get_reader),
        ("Writers (--to):", writer_names(), get_writer),
    ):
        click.echo(title)
        for name in names:
            try:
                cls: Any = getter(name)
                suffixes = " ".join(cls.suffixes)
                tail = f" [{suffixes}]" if suffixes else ""
                click.echo(f"  {name:<14} {cls.description}{tail}")
            except UnknownFormatError as exc:
                click.echo(f"  {name:<14} (unavailable: {exc})")
        click.echo()


@cli.command()
@click.argument("query", required=False)
@click.option("--limit", type=int, default=50, show_default=True,
              help="Show at most this many styles (0: all).")
def styles(query: str | None, limit: int) -> None:
    """List citation styles, or search them by name or title words."""
    from .styles import find_styles

    found = find_styles(query)
    shown = found if limit <= 0 else found[:limit]
    try:
        for info in shown:
            click.echo(f"{info.name:<45} {info.title}")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of our output went away (`| head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    if len(found) > len(shown):
        click.echo(f"... {len(found) - len(shown)} more; use --limit 0 to list all", err=True)
    if not found:
        click.echo(f"no style matches {query!r}", err=True)
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``bibconv`` console script."""
    stream: IO[str] = sys.stderr
    try:
        cli.main(args=argv, prog_name="bibconv", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # last line of defence: never a traceback for a user
        print(f"bibconv: internal error: {type(exc).__name__}: {exc}", file=stream)
        print("bibconv: please report this with the input that caused it", file=stream)
        sys.exit(70)


if __name__ == "__main__":
    main()
