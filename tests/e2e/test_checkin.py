"""The rep's phone at a customer (#18 point 3): a check-in taken with the rep's tap shows the
visit's distance from the customer; the visit form works with one thumb (every control at
least 44 px high at 390×844)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from salesorg.sales.models import ChecklistStep, Visit, VisitPurpose
from salesorg.sales.services import visit_save
from salesorg.sales.services.check_ins import CheckIn
from tests.e2e.test_offline import _open_form_offline, _save_offline
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The customer at 人民广场; the phone about 1.1 km east of it.
CUSTOMER_AT = (Decimal("31.230416"), Decimal("121.473701"))
PHONE_AT = {"latitude": 31.230416, "longitude": 121.485301, "accuracy": 25}
THUMB_PX = 44


@pytest.fixture
def phone_here(browser):
    """A 390×844 phone in zh-CN whose browser knows where it is and may tell the site."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        geolocation=PHONE_AT,
        permissions=["geolocation"],
    )
    page = context.new_page()
    yield page
    context.close()


def _log_in(page, live_server, person):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", person.code)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_a_rep_checks_in_and_sees_the_distance_from_the_customer(live_server, org_tree, phone_here):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(
        name="上海华康医疗器械有限公司",
        owner=rep,
        latitude=CUSTOMER_AT[0],
        longitude=CUSTOMER_AT[1],
    )
    page = phone_here
    _log_in(page, live_server, rep)
    page.goto(f"{live_server.url}/sales/visits/log/?customer={customer.pk}")
    status = page.locator("[data-check-in-status]")
    assert "只有点击“签到”时才会获取您的位置" in status.inner_text()  # nothing taken yet
    assert page.input_value("input[name=checkin_latitude]") == ""

    page.click("[data-check-in-button]")
    page.wait_for_function(
        "() => document.querySelector('[data-check-in-status]').textContent.includes('已于')"
    )
    assert "定位精度25米" in status.inner_text()
    page.screenshot(path="/tmp/h18_check_in_form.png")
    page.fill("textarea[name=outcome]", "客户同意试用")
    page.click("form[data-visit-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/sales/visits/*/")

    visit = Visit.objects.get()
    assert visit.checkin_accuracy_m == 25 and visit.checkin_latitude == Decimal("31.230416")
    card = page.locator("#visit-check-in")
    assert "距客户1.1公里" in card.inner_text()
    assert "距客户远" in card.inner_text()  # 1.1 km, give or take 25 m: over 500 m
    card.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/h18_check_in_visit.png")


def test_without_the_tap_no_location_is_taken(live_server, org_tree, phone_here):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    page = phone_here
    _log_in(page, live_server, rep)
    page.goto(f"{live_server.url}/sales/visits/log/?customer={customer.pk}")
    page.click("form[data-visit-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/sales/visits/*/")
    assert Visit.objects.get().checkin_at is None
    assert "未签到" in page.locator("#visit-check-in").inner_text()


# Every visible control of the form, and for a checkbox or radio the larger of it and its
# label (what the thumb hits): [description, height].
CONTROL_HEIGHTS = """() => {
  const form = document.querySelector("form[data-visit-form]");
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  const out = [];
  form.querySelectorAll("input, select, textarea, button, a.btn, .list-group-item-action")
    .forEach((el) => {
      if (el.type === "hidden") return;
      let target = el;
      if (el.type === "checkbox" || el.type === "radio") {
        const label = el.id && form.querySelector(`label[for="${el.id}"]`);
        const boxes = [el, label].filter((x) => x && visible(x));
        if (!boxes.length) return;
        target = boxes.sort((a, b) => b.getBoundingClientRect().height
                                      - a.getBoundingClientRect().height)[0];
      } else if (!visible(el)) {
        return;
      }
      const name = el.name || el.id || el.textContent.trim().slice(0, 30);
      out.push([`${el.tagName.toLowerCase()}[${el.type || ""}] ${name}`,
                target.getBoundingClientRect().height]);
    });
  return out;
}"""


def test_every_control_of_the_visit_form_fits_a_thumb(live_server, org_tree, phone_here):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(name="上海华康医疗器械有限公司", owner=rep)
    ContactFactory(customer=customer, name="王经理", title="采购经理")
    ContactFactory(customer=customer, name="李工")
    purpose = VisitPurpose.objects.create(code="DEMO", name="产品演示")
    ChecklistStep.objects.create(purpose=purpose, position=1, text="演示新品", required=True)
    ChecklistStep.objects.create(purpose=purpose, position=2, text="留下样品")
    page = phone_here
    _log_in(page, live_server, rep)
    page.goto(f"{live_server.url}/sales/visits/log/?customer={customer.pk}")
    page.select_option("select[name=purpose_type]", str(purpose.pk))
    page.locator("[data-step]").first.wait_for()
    page.select_option("select[name=kind]", "joint")  # the coach's row shows too
    page.fill("#customer-search", "华康")  # the search's results are controls too
    page.locator("#customer-results .list-group-item-action").first.wait_for()

    heights = page.evaluate(CONTROL_HEIGHTS)
    names = " ".join(name for name, _h in heights)
    for expected in ("contacts", "step-", "satisfaction", "签到", "visit_date", "coach", "华康"):
        assert expected in names, names
    too_small = [(name, round(h, 1)) for name, h in heights if h < THUMB_PX - 0.5]
    page.screenshot(path="/tmp/h18_visit_form_thumb.png", full_page=True)
    assert not too_small, too_small


def test_a_visit_checked_in_offline_carries_its_check_in_to_the_server(
    live_server, org_tree, phone_here
):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)  # no location yet: the check-in gives it one
    page = phone_here
    _log_in(page, live_server, rep)
    _open_form_offline(page, live_server, customer)
    page.click("[data-check-in-button]")
    page.wait_for_function(
        "() => document.querySelector('[data-check-in-status]').textContent.includes('已于')"
    )
    _save_offline(page, "地下车库签到")
    (queued,) = page.evaluate("window.SalesOrgVisitQueue.pending()")
    fields = dict(queued["fields"])
    assert fields["check_in"] == "1" and fields["checkin_accuracy_m"] == "25"
    # the form is ready for the next visit, without this check-in
    assert page.input_value("input[name=checkin_latitude]") == ""
    assert "已于" not in page.locator("[data-check-in-status]").inner_text()

    page.context.set_offline(False)
    page.locator("[data-pending]").wait_for(state="hidden")
    visit = Visit.objects.get()
    assert visit.checkin_latitude == Decimal("31.230416") and visit.checkin_accuracy_m == 25
    customer.refresh_from_db()
    assert customer.latitude == Decimal("31.230416")


def test_a_manager_sees_check_in_coverage_per_rep(live_server, org_tree, browser):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep, latitude=CUSTOMER_AT[0], longitude=CUSTOMER_AT[1])
    today = timezone.localdate()
    for far, checked in ((False, True), (True, True), (False, False)):
        check_in = CheckIn(
            latitude=CUSTOMER_AT[0],
            longitude=CUSTOMER_AT[1] + (Decimal("0.05") if far else 0),
            accuracy_m=20,
            taken_at=timezone.now(),
            consent=True,
        )
        visit_save(
            visit=Visit(rep=rep, customer=customer, visit_date=date(today.year, 1, 5)),
            actor=rep.user,
            check_in=check_in if checked else None,
        )
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    _log_in(page, live_server, org_tree.people["manager_east1"])
    team = org_tree.teams["east1"]
    page.goto(f"{live_server.url}/performance/dashboards/visits/?level=team&unit={team.pk}")
    table = page.locator("table[data-table=visits-check-ins]")
    row = table.locator("tr", has_text=rep.name)
    assert row.locator("td").all_inner_texts() == ["3", "2", "66.67%", "1"]
    assert "签到覆盖率" in table.inner_text() and "距客户远" in table.inner_text()
    card = page.locator("section[aria-labelledby=title-visits-check-ins]")
    card.screenshot(path="/tmp/h18_check_in_dashboard.png")
    context.close()
