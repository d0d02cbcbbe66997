"""The exceptions bibconv raises. Every one derives from :class:`BibconvError`."""

from __future__ import annotations

__all__ = [
    "BibconvError",
    "OptionError",
    "ParseError",
    "UnknownFormatError",
    "WriteError",
]


class BibconvError(Exception):
    """Base class of every error bibconv raises on bad input or bad options."""


class ParseError(BibconvError):
    """Input that cannot be read at all, with the position where reading failed."""

    def __init__(
        self,
        message: str,
        origin: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.origin = origin
        self.line = line
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.origin or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class UnknownFormatError(BibconvError):
    """A format name no reader or writer is registered for, or input that cannot be sniffed."""


class OptionError(BibconvError):
    """A writer or reader option that makes no sense (a usage error on the command line)."""


class WriteError(BibconvError):
    """Output that cannot be produced for a record, for a reason the user can act on."""
