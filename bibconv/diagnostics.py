"""Warnings and errors as data.

Readers and writers never print and never touch a global: they hand each
:class:`Diagnostic` to a :class:`Reporter` that the caller owns. The CLI prints them to
standard error as ``origin:line: warning[code]: message``; the Python API collects them
or passes them to a callback.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum

__all__ = ["BibconvWarning", "Diagnostic", "Reporter", "Severity"]


class Severity(str, Enum):
    """How bad a diagnostic is. ``error`` means a record or part of the input was lost."""

    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found while reading or writing, with where it was found."""

    # In the order DESIGN.md gives them (callers build diagnostics positionally).
    code: str
    severity: Severity
    message: str
    origin: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.origin or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.severity.value}[{self.code}]: {self.message}"


class BibconvWarning(UserWarning):
    """The Python warning used when an API caller gives no place to put diagnostics."""


class Reporter:
    """Collects diagnostics and forwards each to an optional callback.

    Counts are kept so that callers (the CLI's exit status, ``--strict``) can ask
    whether anything went wrong without holding every diagnostic of a million-record
    run in memory: ``keep`` bounds how many are stored.
    """

    def __init__(
        self,
        callback: Callable[[Diagnostic], None] | None = None,
        keep: int | None = None,
    ) -> None:
        self._callback = callback
        self._keep = keep
        self.diagnostics: list[Diagnostic] = []
        self.warnings = 0
        self.errors = 0

    def report(self, diagnostic: Diagnostic) -> None:
        """Record one diagnostic and pass it on."""
        if diagnostic.severity is Severity.ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        if self._keep is None or len(self.diagnostics) < self._keep:
            self.diagnostics.append(diagnostic)
        if self._callback is not None:
            self._callback(diagnostic)

    def warn(self, code: str, message: str, origin: str | None = None,
             line: int | None = None) -> None:
        """Report a warning: the output is complete but something deserves a look."""
        self.report(Diagnostic(code, Severity.WARNING, message, origin, line))

    def error(self, code: str, message: str, origin: str | None = None,
              line: int | None = None) -> None:
        """Report an error: a record or part of the input could not be converted."""
        self.report(Diagnostic(code, Severity.ERROR, message, origin, line))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    @property
    def failed(self) -> bool:
        """Whether any error was reported."""
        return self.errors > 0


def python_warning(diagnostic: Diagnostic) -> None:
    """Callback that turns a diagnostic into a :class:`BibconvWarning` for API users."""
    warnings.warn(str(diagnostic), BibconvWarning, stacklevel=4)
