"""The rep's phone without a connection (#18): the visit form opens offline, a visit saved
there waits in the phone's queue and is sent once when the connection returns, even if sent
again; a visit the server refuses comes back as a draft with the server's message."""

import pytest
from playwright.sync_api import expect

from salesorg.sales.models import Visit
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "window.SalesOrgVisitQueue"


def _log_in(phone, live_server, rep):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.fill("#id_username", rep.code)
    phone.fill("#id_password", "pw-for-tests-1")
    phone.click("#main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")


def _open_form_offline(phone, live_server, customer):
    """Open the visit form once online (the service worker keeps it), then again offline."""
    url = f"{live_server.url}/sales/visits/log/?customer={customer.pk}"
    phone.goto(url)
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.reload()  # now under the service worker, which keeps this page
    phone.wait_for_function(
        "url => caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k)"
        ".then(c => c.match(url))))).then(hits => hits.some(Boolean))",
        arg=url,
    )
    phone.context.set_offline(True)
    phone.reload()
    phone.locator("form[data-visit-form]").wait_for()


def _save_offline(phone, outcome):
    phone.fill("textarea[name=outcome]", outcome)
    phone.click("form[data-visit-form] button[type=submit]")
    phone.locator("[data-saved-offline]").wait_for()


def test_a_visit_saved_offline_is_sent_once_when_back_online(live_server, org_tree, phone):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(name="上海华康医疗器械有限公司", owner=rep)
    _log_in(phone, live_server, rep)
    _open_form_offline(phone, live_server, customer)
    assert "上海华康医疗器械有限公司" in phone.locator("#customer-picked").inner_text()

    _save_offline(phone, "地下车库没信号，客户同意试用")
    badge = phone.locator("[data-pending]")
    expect(badge).to_have_text("1 条待同步")
    phone.screenshot(path="/tmp/h18_offline_badge.png", full_page=False)
    assert not Visit.objects.exists()
    (queued,) = phone.evaluate(f"{QUEUE}.pending()")

    # The rep's home and customers open offline too (kept when the service worker came).
    phone.goto(f"{live_server.url}/customers/")
    assert "上海华康医疗器械有限公司" in phone.locator("#main").inner_text()
    phone.goto(f"{live_server.url}/")
    assert phone.locator("#main").inner_text().strip()

    phone.goto(f"{live_server.url}/sales/visits/log/")  # the queue outlives the page (IndexedDB)
    # The page fills the badge once it has read the queue: wait for it, as a rep would.
    expect(phone.locator("[data-pending]")).to_have_text("1 条待同步")

    phone.context.set_offline(False)
    badge.wait_for(state="hidden")
    visit = Visit.objects.get()
    assert visit.outcome == "地下车库没信号，客户同意试用" and visit.customer == customer
    assert str(visit.client_key) == queued["key"]

    # A forced resend (the answer lost on the way, say) saves nothing new.
    phone.evaluate(
        f"item => {QUEUE}.add(item.key, item.fields).then(() => {QUEUE}.flush())", queued
    )
    assert phone.evaluate(f"{QUEUE}.pending()") == []
    assert Visit.objects.count() == 1


def test_a_refused_queued_visit_comes_back_as_a_draft(live_server, org_tree, phone):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(name="杭州远方贸易有限公司", owner=rep)
    _log_in(phone, live_server, rep)
    _open_form_offline(phone, live_server, customer)
    _save_offline(phone, "客户要报价单")
    # Meanwhile the customer went to another rep: the server refuses the visit.
    customer.owner = org_tree.people["rep_north1a"]
    customer.save()

    phone.context.set_offline(False)
    draft = phone.locator("[data-draft]")
    draft.wait_for()
    assert "客户" in draft.inner_text()  # the server's message names the customer field
    assert phone.locator("[data-pending]").is_hidden()
    assert not Visit.objects.exists()

    draft.get_by_role("button").click()
    assert phone.locator("textarea[name=outcome]").input_value() == "客户要报价单"
