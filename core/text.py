"""Small text helpers, written once."""

from collections.abc import Iterable


def join_and(words: Iterable[str]) -> str:
    """ "A", "A and B", "A, B and C": lists as council papers write them."""
    words = [str(word) for word in words]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def told_apart(labels: list[str]) -> list[str]:
    """The labels, each made unique where several are the same ("Adoptions (1 of 2)"):
    a screen reader lists a page's regions by name, and two of one name cannot be told
    apart."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        total = labels.count(label)
        out.append(f"{label} ({seen[label]} of {total})" if total > 1 else label)
    return out


def person_name(user) -> str:
    """How a person is named to others: their full name, else their username; a change whose
    author is not recorded (a script, a deleted account) is "another officer"'s."""
    if user is None:
        return "another officer"
    return user.get_full_name() or user.get_username()
