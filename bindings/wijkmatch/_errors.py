"""Exceptions raised by wijkmatch (the compiled core maps its C++ exceptions onto these)."""
from __future__ import annotations

from typing import List, NamedTuple, Sequence

__all__ = ["Error", "InputError", "Problem"]


class Problem(NamedTuple):
    """One problem in an input document: where (a JSON pointer, RFC 6901) and why."""

    pointer: str
    reason: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.reason}"


class Error(RuntimeError):
    """Base of every exception wijkmatch raises for its own reasons (wijkmatch::Error)."""


class InputError(Error, ValueError):
    """Input that was rejected (wijkmatch::InputError).

    ``problems`` lists every problem found, up to the loader's limit, in document order, as
    ``Problem(pointer, reason)`` tuples. It is a ``ValueError`` too, so ``except ValueError``
    catches it.
    """

    def __init__(self, message: str, problems: Sequence[tuple] = ()) -> None:
        super().__init__(message, list(problems))
        self.problems: List[Problem] = [p if isinstance(p, Problem) else Problem(*p) for p in problems]

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
