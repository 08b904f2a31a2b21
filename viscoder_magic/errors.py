"""The one error type our code raises at users.

Every message is one paragraph that says what went wrong and names the fix. The
magic converts it into IPython's plain ``UsageError`` at a single boundary, so the
user sees the paragraph and never a traceback from our code. Errors raised by
*generated* code are not ours: they are repair input, recorded per attempt.
"""

from __future__ import annotations


class VisCodeError(Exception):
    """A problem the user can fix; ``str(err)`` is the whole, one-paragraph message."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
