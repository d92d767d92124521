"""Structured appendices: how risks/, performance/ and send_actions/ plug into reports.

An app registers a kind for the frozen model it offers (a register snapshot, a reported
performance report, a plan snapshot) in its AppConfig.ready(). An Appendix of kind
"structured" then points at one such row; the report page and the agenda pack render it
with the kind's template and the context its selector returns. committee/ does not change
when a kind is added.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps
from django.db.models import Model, Q

# A kind's template, printing for the pack (medium "pdf"), may put this between two complete
# blocks of HTML where a new page may start. The pack then renders each piece as a document
# of its own, side by side in its render pool: otherwise one long register would be the
# slowest paper of the pack, and the others would wait for it (docs/packs.md).
PACK_PART_BREAK = "<!-- quorum:pack-part-break -->"

# About four landscape pages of a wide table: long enough that the page left part-empty at
# each break is rare, short enough that a pack's papers share two processes evenly.
PACK_PIECE_CHARACTERS = 12_000

Row = TypeVar("Row")


def pack_pieces(
    rows: Iterable[Row], *, size: Callable[[Row], int], budget: int = PACK_PIECE_CHARACTERS
) -> list[list[Row]]:
    """Rows in print order, cut into runs of about `budget` (in the units of `size`) each;
    a row longer than the budget is a piece on its own. Deterministic, so that an
    unchanged appendix splits the same way and its pieces come from the cache."""
    pieces: list[list[Row]] = [[]]
    filled = 0
    for row in rows:
        weight = size(row)
        if filled + weight > budget and pieces[-1]:
            pieces.append([])
            filled = 0
        pieces[-1].append(row)
        filled += weight
    return [piece for piece in pieces if piece]


@dataclass(frozen=True)
class StructuredAppendixKind:
    model_label: str  # "risks.RegisterSnapshot"
    name: str  # what officers see: "Risk register snapshot"
    template: str  # rendered in the report page and the pack; gets `appendix`, `medium` and the context
    # A selector: every query the template needs, given the row and the reader (a figure
    # derived from another row is worked out against rows the reader may read; committee.gate).
    context: Callable[..., dict]
    # How an officer choosing the appendix recognises a row: "Corporate Risk Register:
    # Q1 2018/19, snapshot taken 27 June 2018". The rows it needs are loaded with `related`.
    label: Callable[[Model], str] = str
    related: tuple[str, ...] = ()
    # The other rows its figures are worked out against for a reader (`compared_with(row,
    # reader=...)`: a direction of travel against an earlier snapshot), without changing the
    # row. A pack version records them (committee.pack.content) and is withdrawn once its
    # readers may no longer read one of them.
    compared_with: Callable[..., list[Model]] | None = None

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    @property
    def key(self) -> str:
        return self.model_label.lower()


_kinds: dict[str, StructuredAppendixKind] = {}


def register(kind: StructuredAppendixKind) -> None:
    _kinds[kind.model_label.lower()] = kind


def kinds() -> list[StructuredAppendixKind]:
    return list(_kinds.values())


def kind_for_label(label: str) -> StructuredAppendixKind | None:
    return _kinds.get(label.lower())


def kind_of(appendix) -> StructuredAppendixKind | None:
    ct = appendix.content_type
    return kind_for_label(f"{ct.app_label}.{ct.model}") if ct else None


def render(appendix, *, medium: str = "web", reader=None, pieces: bool = False, request=None) -> str:
    """A structured appendix as HTML, with the template and selector its app registered: the
    one way the report page, the pack and the search text render it.

    Figures derived from other rows (a direction of travel) are worked out for `reader`
    (committee.gate); without one, for the public. With `pieces` (a lettered appendix in the
    pack, which renders each piece as a document of its own) the template gets
    `pack_part_break`, to print where the appendix may be cut; elsewhere it prints whole."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from committee.gate import Reader

    kind = kind_of(appendix)
    if kind is None or appendix.structured is None:
        return render_to_string("committee/_appendix_missing.html", {"appendix": appendix})
    data = kind.context(appendix.structured, reader=reader or Reader.public())
    return render_to_string(
        kind.template,
        {
            "appendix": appendix,
            "medium": medium,
            "pack_part_break": mark_safe(PACK_PART_BREAK) if pieces else "",  # noqa: S308 - a constant
            **data,
        },
        request=request,
    )


def compared_with(appendix, reader) -> list[Model]:
    """The rows a structured appendix's figures are worked out against for `reader`."""
    kind = kind_of(appendix)
    if kind is None or kind.compared_with is None or appendix.structured is None:
        return []
    return kind.compared_with(appendix.structured, reader=reader)


def content_type_choices() -> Q:
    """limit_choices_to for Appendix.content_type: only registered kinds can be chosen."""
    q = Q(pk__in=[])
    for label in _kinds:
        app_label, model = label.split(".")
        q |= Q(app_label=app_label, model=model)
    return q


def choice_value(row) -> str:
    """How a row is named in a form: "risks.registersnapshot:12"."""
    return f"{row._meta.label_lower}:{row.pk}"


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every row that can be attached, grouped by kind and named as officers know it, for the
    appendix form's select: chosen by name, never by a content type and a number."""
    grouped = []
    for kind in sorted(kinds(), key=lambda k: k.name):
        rows = kind.model._default_manager.select_related(*kind.related)
        grouped.append((kind.name, [(choice_value(row), kind.label(row)) for row in rows]))
    return grouped


def row_for(value: str):
    """The row a form's choice names, or None (an unknown kind, a row since deleted)."""
    label, _, pk = (value or "").partition(":")
    kind = kind_for_label(label)
    if kind is None or not pk.isdigit():
        return None
    return kind.model._default_manager.filter(pk=int(pk)).first()
