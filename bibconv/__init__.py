"""bibconv: convert scraped author-name clusters and bibliographic formats.

    import bibconv
    papers = bibconv.load("examples/kun-jin.txt")
    print(bibconv.dumps(papers, "csl-json"))
"""

from __future__ import annotations

from .api import PaperSource, convert, dump, dumps, iterload, load, loads
from .diagnostics import BibconvWarning, Diagnostic, Reporter, Severity
from .errors import BibconvError, OptionError, ParseError, UnknownFormatError, WriteError
from .model import Cluster, Date, Paper, Person, Venue
from .plugin import Reader, TextSource, Writer
from .registry import reader_names, writer_names

__version__ = "0.1.0"

__all__ = [
    "BibconvError",
    "BibconvWarning",
    "Cluster",
    "Date",
    "Diagnostic",
    "OptionError",
    "Paper",
    "PaperSource",
    "ParseError",
    "Person",
    "Reader",
    "Reporter",
    "Severity",
    "TextSource",
    "UnknownFormatError",
    "Venue",
    "WriteError",
    "Writer",
    "__version__",
    "convert",
    "dump",
    "dumps",
    "iterload",
    "load",
    "loads",
    "reader_names",
    "writer_names",
]
