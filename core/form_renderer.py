"""How every form the project shows draws its fields (settings.FORM_RENDERER): the admin's,
the public pages' and Django's own (signing in, resetting a password)."""

from django.forms.renderers import TemplatesSetting


def _without_maxlength(widget: dict) -> None:
    widget["attrs"].pop("maxlength", None)
    for part in widget.get("subwidgets", ()):  # a date and a time, a list of boxes
        _without_maxlength(part)


class FormRenderer(TemplatesSetting):
    """Widgets' templates are found where every other template is (templates/), not only in
    apps; and no field carries `maxlength`. A browser cuts text typed or pasted past it
    without a word, and the save keeps what is left: the form checks the length instead
    (a field's max_length), and answers with the message at the field and all that was
    typed still there."""

    def render(self, template_name, context, request=None):
        if isinstance(context.get("widget"), dict):
            _without_maxlength(context["widget"])
        return super().render(template_name, context, request)
