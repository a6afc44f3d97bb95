"""A library handle owned by a Python object: freed by close(), a with block, or when the
object is collected (weakref.finalize, set up by the subclass as self._finalizer)."""

from __future__ import annotations


class OwnedHandle:
    _finalizer = None

    @property
    def closed(self) -> bool:
        return self._finalizer is None or not self._finalizer.alive

    def _live(self, handle):
        """handle, or ValueError once closed."""
        if self.closed:
            raise ValueError(f"{type(self).__name__} is closed")
        return handle

    def close(self) -> None:
        """Free the library's object now (idempotent)."""
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
