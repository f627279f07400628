"""Photos from the rep's phone (#18 point 4): a picture chosen in the file chooser is resized
in the browser (the original is never sent) and appears as a thumbnail on the visit page; a
text file renamed .jpg is refused with the message on the photo field."""

import io
import json
import os

import pytest
from PIL import Image

from salesorg.core.models import Photo
from tests.factories import CustomerFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Note what the form sends (kept across the page change in sessionStorage).
WATCH_WHAT_IS_SENT = """() => {
  const submit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () {
    const file = this.querySelector("input[data-photo-input]").files[0];
    sessionStorage.setItem("photo-sent", JSON.stringify({ size: file.size, type: file.type }));
    submit.call(this);
  };
}"""
SCREENSHOTS = os.environ.get("SALESORG_SCREENSHOTS")  # a folder: keep screenshots there


def _log_in(page, live_server, person):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", person.code)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _camera_picture(path) -> bytes:
    """A 3000×2000 JPEG, as a phone camera takes it (noisy enough to weigh some hundred KB)."""
    picture = Image.effect_noise((3000, 2000), 60).convert("RGB")
    picture.save(path, "JPEG", quality=95)
    return path.read_bytes()


def _shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, name), full_page=True)


def test_a_photo_from_the_file_chooser_is_resized_and_shown_as_a_thumbnail(
    live_server, org_tree, phone, tmp_path
):
    rep = org_tree.people["rep_east1a"]
    visit = VisitFactory(customer=CustomerFactory(name="上海华康医疗器械有限公司", owner=rep))
    original = _camera_picture(tmp_path / "IMG_0001.jpg")
    page = phone
    _log_in(page, live_server, rep)
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    card = page.locator("#photos")
    assert "暂无照片" in card.inner_text()
    assert page.get_attribute("input[data-photo-input]", "capture") == "environment"

    page.set_input_files("input[data-photo-input]", str(tmp_path / "IMG_0001.jpg"))
    page.fill("input[name=caption]", "货架陈列")
    page.evaluate(WATCH_WHAT_IS_SENT)
    page.click("[data-photo-submit]")
    page.wait_for_url(f"**{visit.get_absolute_url()}#photos")

    thumbnail = page.locator("#photos img[src*='/thumbnail/']")
    thumbnail.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth", thumbnail.element_handle())
    assert thumbnail.get_attribute("alt") == "货架陈列"
    assert "照片已保存" in page.inner_text("body")
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (1600, 1067)  # resized on the phone
    sent = json.loads(page.evaluate("sessionStorage.getItem('photo-sent')"))
    assert sent["type"] == "image/jpeg" and sent["size"] < len(original) / 2  # not the original
    assert photo.size == sent["size"]  # the server kept what the phone made
    with photo.image.open("rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).format == "JPEG"
    _shot(page, "photos-visit-390.png")
    page.set_viewport_size({"width": 1366, "height": 900})
    _shot(page, "photos-visit-1366.png")


def test_a_text_file_renamed_jpg_is_refused_with_the_message(
    live_server, org_tree, phone, tmp_path
):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(name="杭州明远商贸有限公司", owner=rep)
    fake = tmp_path / "shelf.jpg"
    fake.write_text("这不是照片，只是一段文字。\n" * 20, encoding="utf-8")
    page = phone
    _log_in(page, live_server, rep)
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")

    page.set_input_files("input[data-photo-input]", str(fake))
    page.click("[data-photo-submit]")
    page.wait_for_url(f"**/customers/{customer.pk}/photos/add/")

    error = page.locator("[data-photo-error]")
    assert error.inner_text() == "照片：该文件不是照片：请选择 JPEG、PNG 或 WebP 图片。"
    assert error.is_visible()
    assert not Photo.objects.exists()
    _shot(page, "photos-refused-390.png")
