"""Small text helpers, written once."""

from collections.abc import Iterable


def join_and(words: Iterable[str]) -> str:
    """ "A", "A and B", "A, B and C": lists as council papers write them."""
    words = [str(word) for word in words]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
