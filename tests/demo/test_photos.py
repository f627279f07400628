"""The demo photos: the demo rep's latest visits and a customer have pictures drawn when the
demo is made, which the rep and their manager see and another team does not."""

import pytest
from PIL import Image

from salesorg.core.models import Photo
from salesorg.core.roles import Role

pytestmark = pytest.mark.django_db


def test_the_demo_rep_has_photos_of_visits_and_a_customer(demo):
    company, counts = demo.company, demo.counts
    rep = next(person for person in company.logins if person.role == Role.REP)
    seen = Photo.objects.visible_to(rep.user)
    kinds = {photo.content_type.model for photo in seen}
    assert counts["photos"] == Photo.objects.count() >= 3
    assert kinds == {"visit", "customer"} and all(photo.caption for photo in seen)
    photo = seen.first()
    with photo.image.open("rb") as handle:
        assert Image.open(handle).size == (640, 480)
    assert photo.history.get().history_user == rep.user
