"""Team development in the browser: a manager reviews a joint visit and holds a one-on-one with
two action items; the rep sees both and completes one item; the manager files a promotion that
the director approves, and the rep's position changes."""

import importlib

import pytest
from django.utils import timezone

from salesorg.development.models import CoachingSession, JointVisitReview, PersonnelReview
from salesorg.targets.choices import ActionStatus
from salesorg.targets.models import ActionItem
from tests.factories import CustomerFactory, PositionFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def default_rubric() -> None:
    """The rubric its data migration creates (the flush after another browser test drops it)."""
    from django.apps import apps

    migration = importlib.import_module("salesorg.development.migrations.0002_coaching")
    migration.create_default_rubric(apps, None)


CRITERIA = (
    "preparation",
    "opening",
    "needs_discovery",
    "presentation",
    "objection_handling",
    "closing",
    "follow_up",
)


def _login(browser, live_server, code):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", code)
    page.fill("#id_password", "pw-for-tests-1")
    page.click("#main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_manager_coaches_rep_and_director_approves_promotion(live_server, org_tree, browser):
    rep = org_tree.people["rep_east1a"]
    manager = org_tree.people["manager_east1"]
    manager.manager = org_tree.people["director"]  # this team manager reports to the director
    manager.save(update_fields=["manager"])
    default_rubric()
    senior = PositionFactory(code="SENIOR", name="Senior rep")
    visit = VisitFactory(
        customer=CustomerFactory(name="华康医疗", owner=rep), rep=rep, kind="joint", coach=manager
    )

    # the manager reviews the joint visit on the rubric
    manager_context, page = _login(browser, live_server, manager.code)
    page.goto(f"{live_server.url}{visit.get_absolute_url()}")
    page.click("#joint-review a")
    for number, code in enumerate(CRITERIA):
        page.check(f"#id_score_{code}_{2 + number % 3}")
    page.fill("#id_strengths", "Warm opening")
    page.fill("#id_improvements", "Ask for the order at the end")
    page.click("#main button[type=submit]")
    page.wait_for_selector("#review-improvements")
    assert JointVisitReview.objects.get().visit == visit

    # and holds a one-on-one with two action items
    page.goto(f"{live_server.url}/development/coaching/new/?person={rep.pk}")
    page.fill("#id_improvement_plan", "Prepare three open questions for every visit")
    due = (timezone.localdate() + timezone.timedelta(days=7)).isoformat()
    page.fill("#id_items-1-title", "List key customer needs")
    page.fill("#id_items-1-due_date", due)
    page.fill("#id_items-2-title", "Call two prospects")
    page.fill("#id_items-2-due_date", due)
    page.click("#main form[method=post] button[type=submit]")
    page.wait_for_selector("#session-items")
    session = CoachingSession.objects.get()
    assert page.locator("#session-items li").count() == 2

    # the rep sees both and completes one item
    rep_context, rep_page = _login(browser, live_server, rep.code)
    rep_page.goto(f"{live_server.url}/development/joint-visits/")
    rep_page.click(f"a[href='{JointVisitReview.objects.get().get_absolute_url()}']")
    assert "Ask for the order at the end" in rep_page.inner_text("#review-improvements")
    rep_page.goto(f"{live_server.url}/development/coaching/")
    rep_page.click(f"a[href='{session.get_absolute_url()}']")
    assert "Prepare three open questions" in rep_page.content()
    rep_page.click("#session-items a >> text=Call two prospects")
    rep_page.click("button[name=status][value=done]")
    rep_page.wait_for_load_state()
    done = ActionItem.objects.get(title="Call two prospects")
    assert done.status == ActionStatus.DONE
    assert ActionItem.objects.get(title="List key customer needs").status == ActionStatus.OPEN
    rep_context.close()

    # the manager files a promotion review
    page.goto(f"{live_server.url}/development/personnel/new/?person={rep.pk}")
    page.fill("#id_stage", "Probation")
    page.select_option("#id_outcome", "promote")
    page.select_option("#id_new_position", str(senior.pk))
    page.fill("#id_effective_date", timezone.localdate().isoformat())
    page.click("#main form[method=post] button[type=submit]")
    page.wait_for_selector("#review-status")
    review = PersonnelReview.objects.get()
    assert review.approver == org_tree.people["director"]
    manager_context.close()

    # the director approves it and the rep's position changes
    director_context, director_page = _login(browser, live_server, "DIR")
    director_page.goto(f"{live_server.url}/development/personnel/")
    director_page.click(f"a[href='{review.get_absolute_url()}'] >> nth=0")
    director_page.click("button[name=decision][value=approve]")
    director_page.wait_for_selector("#review-status")
    assert "Approved" in director_page.inner_text("#review-status")
    director_context.close()
    rep.refresh_from_db()
    assert rep.position == senior
