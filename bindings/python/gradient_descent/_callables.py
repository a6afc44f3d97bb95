"""The one registry of Python callables that the library calls back: run objectives and
progress functions, custom update rules and schedule functions.

C never holds a Python object. It holds a module-level trampoline (a CFUNCTYPE made once at
import, so none can be collected while C still calls it) and, as the `user` pointer, a
small integer id; the trampoline looks the id up in `entries` and calls what it finds.

Each registered callable gets its own id. The first exception its calls raise is kept in
`errors` under the id until the owner takes it (minimize, Optimizer.step, Schedule.step
re-raise it): nothing may unwind through C, where ctypes would print and swallow it.

Ids are handed out again once released, so they stay small: CPython shares the integers up
to 256, so ctypes passes such a user pointer without allocating an int, and hashing it is
free. Id 0 is never used (it would reach Python as None through c_void_p).
"""

from __future__ import annotations

import itertools
from typing import Any

# id -> what the trampoline of that id calls (the shape depends on the trampoline).
entries: dict[int, Any] = {}
# id -> the first exception raised by the callable of that id, until taken.
errors: dict[int, BaseException] = {}

_free_ids: list[int] = []
_new_ids = itertools.count(1)


def register(entry: Any) -> int:
    """A new id for entry."""
    try:
        user = _free_ids.pop()
    except IndexError:
        user = next(_new_ids)
    entries[user] = entry
    return user


def release(user: int | None) -> None:
    """Forget the id's entry and error, and hand the id out again later (idempotent)."""
    if user is None or user not in entries:
        return
    del entries[user]
    errors.pop(user, None)
    _free_ids.append(user)


def record(user: int, error: BaseException) -> None:
    """Keep error as the id's exception unless one is kept already."""
    errors.setdefault(user, error)


def take_error(user: int | None) -> BaseException | None:
    """The id's exception since the last take, if any, and forget it."""
    if user is None:
        return None
    return errors.pop(user, None)


def registered() -> int:
    """How many callables are registered (tests check that runs leave nothing behind)."""
    return len(entries)
