"""The officers' admin, as an officer works in it: labels, buttons, the autocomplete boxes."""

from playwright.sync_api import expect


def choose(page, field_id: str, typed: str, option: str) -> None:
    """Pick a value in one of Django's autocomplete (Select2) boxes: open it, type, choose."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).first.click()
    expect(page.locator(f"#{field_id} + .select2 .select2-selection__rendered")).to_contain_text(option)


def open_group(page, group: str) -> None:
    """Open an inline group that the admin shows folded (a <details> element)."""
    # The group's own <details>, not a folded section inside one of its rows.
    details = page.locator(f"#{group}-group details:not(.inline-related details)").first
    if details.count() and details.get_attribute("open") is None:
        details.locator("summary").first.click()


def add_inline(page, group: str, link: str):
    """Press "Add another <thing>" in an inline group; return the new form's block."""
    open_group(page, group)
    forms = page.locator(f"#{group}-group .inline-related:not(.empty-form)")
    before = forms.count()
    page.locator(f"#{group}-group").get_by_role("button", name=link).click()
    expect(forms).to_have_count(before + 1)
    return forms.nth(before)


def save(page, button: str = "Save and continue editing") -> None:
    page.get_by_role("button", name=button).first.click()
    page.wait_for_load_state()
    errors = page.locator(".errornote, .errorlist")
    assert errors.count() == 0, errors.all_inner_texts()


def success_message(page) -> str:
    messages = page.locator("ul.messagelist li")
    expect(messages.first).to_be_visible()
    return " ".join(messages.all_inner_texts())


def open_from_sidebar(page, model: str) -> None:
    """The admin's own navigation to a model's list: the side bar, or the index's table."""
    where = page.locator("#nav-sidebar:visible, #content-main").first
    where.locator(".app-committee").get_by_role("link", name=model, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Select")


def write(page, field: str, text: str, *, after_what_is_there: bool = False) -> None:
    """Type a paragraph into one of the admin's rich-text editors, as an officer does: click
    into it, select what is there (or go to its end and start a new paragraph), type."""
    editor = page.get_by_role("textbox", name=field, exact=True)
    editor.click()
    if after_what_is_there:
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
    else:
        page.keyboard.press("Control+a")
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)
