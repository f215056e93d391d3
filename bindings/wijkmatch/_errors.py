"""Exceptions raised by wijkmatch (the compiled core maps its C++ exceptions onto these)."""
from __future__ import annotations

from typing import List, NamedTuple, Sequence

__all__ = ["Error", "EventError", "InputError", "Problem"]


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


class EventError(InputError):
    """An event the live engine refused (wijkmatch::EventError); nothing changed.

    ``event_id`` is the event's id ("" when it had none readable), ``pointer`` the JSON pointer
    of the field within the event ("" for the whole event) and ``reason`` why. The message is
    ``event <id>: <pointer>: <reason>``. An InputError, so a ValueError too.
    """

    def __init__(self, message: str, problems: Sequence[tuple] = (), event_id: str = "") -> None:
        super().__init__(message, problems)
        self.args = (message, list(self.problems), event_id)
        self.event_id: str = event_id

    @property
    def pointer(self) -> str:
        return self.problems[0].pointer if self.problems else ""

    @property
    def reason(self) -> str:
        return self.problems[0].reason if self.problems else ""
