"""Structured appendices: how risks/, performance/ and send_actions/ plug into reports.

An app registers a kind for the frozen model it offers (a register snapshot, a reported
performance report, a plan snapshot) in its AppConfig.ready(). An Appendix of kind
"structured" then points at one such row; the report page and the agenda pack render it
with the kind's template and the context its selector returns. committee/ does not change
when a kind is added.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model, Q


@dataclass(frozen=True)
class StructuredAppendixKind:
    model_label: str  # "risks.RegisterSnapshot"
    name: str  # what officers see: "Risk register snapshot"
    template: str  # rendered in the report page and the pack; gets `appendix`, `medium` and the context
    context: Callable[[Model], dict]  # a selector: every query the template needs

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)


_kinds: dict[str, StructuredAppendixKind] = {}


def register(kind: StructuredAppendixKind) -> None:
    _kinds[kind.model_label.lower()] = kind


def kinds() -> list[StructuredAppendixKind]:
    return list(_kinds.values())


def kind_for_label(label: str) -> StructuredAppendixKind | None:
    return _kinds.get(label.lower())


def content_type_choices() -> Q:
    """limit_choices_to for Appendix.content_type: only registered kinds can be chosen."""
    q = Q(pk__in=[])
    for label in _kinds:
        app_label, model = label.split(".")
        q |= Q(app_label=app_label, model=model)
    return q
