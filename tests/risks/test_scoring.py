"""Scoring: likelihood 1-5 by impact 1-5, score = likelihood x impact, held for the current
and the residual position; the database refuses what the form would."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from risks import selectors, services
from risks.models import Entry, ScoreBand

from .conftest import make_entry

pytestmark = pytest.mark.django_db


def test_score_is_likelihood_times_impact(register):
    entry = make_entry(register, "CR1", rated=((4, 5), (4, 4)))
    entry.refresh_from_db()
    assert (entry.inherent_score, entry.residual_score) == (20, 16)
    assert entry.residual_words == "likelihood 4 (Likely) × impact 4 (Major)"


def test_opportunity_top_impact_is_outstanding(register):
    entry = make_entry(register, "CO1", rated=((3, 5), (4, 5)))
    assert entry.residual_words == "likelihood 4 (Likely) × impact 5 (Outstanding)"


@pytest.mark.parametrize("position", ["inherent", "residual"])
@pytest.mark.parametrize("rated", ["likelihood", "impact"])
def test_the_database_refuses_a_rating_outside_1_to_5(register, position, rated):
    entry = make_entry(register, "CR1", rated=((4, 5), (4, 4)))
    other = "impact" if rated == "likelihood" else "likelihood"
    # 6 x 2 = 12 is a possible score and the product is right: only the 1-5 rule refuses it.
    change = {f"{position}_{rated}": 6, f"{position}_{other}": 2, f"{position}_score": 12}
    with pytest.raises(IntegrityError, match=f"{position}_{rated}_1_5"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(**change)


def test_the_database_refuses_a_score_that_is_not_the_product(register):
    entry = make_entry(register, "CR1", rated=((4, 5), (4, 4)))
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(residual_score=12)


def test_the_database_refuses_likelihood_without_impact(register):
    entry = make_entry(register, "CR1", score=(20, 16))
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(residual_likelihood=4)


def test_the_database_refuses_a_score_no_grid_can_give(register):
    entry = make_entry(register, "CR1", score=(20, 16))
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(residual_score=7)


def test_form_validation_explains_a_wrong_score(register):
    entry = Entry(
        register=register,
        reference="CR1",
        title="t",
        owner="CMT",
        inherent_likelihood=4,
        inherent_impact=5,
        inherent_score=16,
        residual_score=16,
    )
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert "Likelihood 4 x impact 5 is 20, not 16." in refused.value.message_dict["inherent_score"]


def test_validation_refuses_half_a_rating_and_a_missing_score(register):
    entry = Entry(register=register, reference="CR1", title="t", owner="CMT", inherent_likelihood=3)
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    errors = refused.value.message_dict
    assert "inherent_impact" in errors
    assert "residual_score" in errors


def test_an_imported_score_without_likelihood_and_impact_is_held_and_shown_as_such(register):
    entry = make_entry(register, "CR9", score=(20, 20))
    entry.refresh_from_db()
    assert entry.residual_score == 20 and entry.residual_likelihood is None
    assert not entry.residual_placed
    assert entry.residual_words == "likelihood and impact not recorded"


def test_reference_prefix_follows_the_kind(register):
    with pytest.raises(ValidationError, match="numbered CO1"):
        make_entry(register, "CR3", kind="opportunity")
    with pytest.raises(ValidationError, match="numbered CR1"):
        make_entry(register, "C01", kind="risk")
    make_entry(register, "CR3")
    with pytest.raises(ValidationError):
        make_entry(register, "cr3")  # the same reference, however it is typed


def test_bands_cover_every_score_once_and_keep_text_readable(register):
    bands = selectors.register_bands(register)
    assert [(b.name, b.min_score, b.max_score) for b in bands] == [("Low", 1, 4), ("Medium", 5, 10), ("High", 12, 25)]
    assert selectors.band_for(bands, 12).name == "High"
    assert services.band_problems([{"name": "Low", "min_score": 1, "max_score": 11}]) == [
        f"A score of {score} falls in no band." for score in (12, 15, 16, 20, 25)
    ]
    unreadable = ScoreBand(
        register=register, name="Pale", min_score=1, max_score=4, colour="#ffff00", text_colour="#ffffff"
    )
    with pytest.raises(ValidationError, match="contrast"):
        unreadable.full_clean()
