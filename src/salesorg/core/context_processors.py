"""Template context shared by every page: the navigation for the user's role."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from salesorg.core.roles import Role, can_manage_org, person_of, role_of
from salesorg.customers.menu_care import care_nav_items
from salesorg.customers.menu_credit import credit_nav_items
from salesorg.development.menu_coaching import coaching_nav_items
from salesorg.performance.menu_scorecards import scorecard_nav_items
from salesorg.targets.menu_plans import plan_nav_items
from salesorg.targets.menu_reviews import review_nav_items

# Record pages by role (every list is scoped: a rep sees their own, a manager their team's).
RECORD_PAGES_BY_ROLE = {
    Role.FINANCE: ("customers", "invoices"),
    Role.TRAINER: (),
    None: (),
}
RECORD_PAGES = {
    "customers": ("customers:customers", _("Customers"), "building"),
    "orders": ("sales:orders", _("Orders"), "cart"),
    "invoices": ("sales:invoices", _("Invoices"), "receipt"),
    "visits": ("sales:visits", _("Visits"), "geo-alt"),
    "expenses": ("sales:expenses", _("Expenses"), "wallet2"),
}


# The menu's groups, in order: (key, label, icon). A group with one entry shows as a link.
NAV_GROUPS = (
    ("org", _("Organization"), "diagram-3"),
    ("sales", pgettext_lazy("menu group", "Sales"), "cart"),
    ("customers", _("Customers"), "building"),
    ("goals", _("Goals & plans"), "bullseye"),
    ("performance", _("Performance"), "graph-up"),
    ("development", _("Development"), "mortarboard"),
)


def navigation(request):
    """Menu entries the logged-in user may open, grouped for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups: dict[str, list[dict]] = {key: [] for key, _label, _icon in NAV_GROUPS}
    groups["org"] += [
        {"url": reverse("org:tree"), "label": _("Organization"), "icon": "diagram-3"},
        {"url": reverse("org:people"), "label": _("People"), "icon": "people"},
    ]
    pages = RECORD_PAGES_BY_ROLE.get(role_of(user), tuple(RECORD_PAGES))
    for key in pages:
        url_name, label, icon = RECORD_PAGES[key]
        group = "customers" if key == "customers" else "sales"
        groups[group].append({"url": reverse(url_name), "label": label, "icon": icon})
    if pages:
        groups["performance"] += [
            {"url": reverse("performance:kpi"), "label": _("Indicators"), "icon": "graph-up"},
            {
                "url": reverse("performance:dashboards"),
                "label": _("Dashboards"),
                "icon": "bar-chart-line",
            },
        ]
    if role_of(user) is not None:
        groups["development"].append(
            {"url": reverse("development:materials"), "label": _("Training"), "icon": "book"}
        )
        groups["org"].append(
            {"url": reverse("development:culture"), "label": _("Culture"), "icon": "award"}
        )
    groups["customers"] += care_nav_items(user) + credit_nav_items(user)
    groups["development"] += coaching_nav_items(user)
    groups["goals"] += plan_nav_items(user) + review_nav_items(user)
    groups["performance"] += scorecard_nav_items(user)
    nav_groups = [
        {"key": key, "label": label, "icon": icon, "items": groups[key]}
        for key, label, icon in NAV_GROUPS
        if groups[key]
    ]
    if can_manage_org(user):
        nav_groups.append(
            {
                "key": "import",
                "label": _("Import"),
                "icon": "upload",
                "items": [
                    {"url": reverse("interchange:import"), "label": _("Import"), "icon": "upload"}
                ],
            }
        )
    return {
        "nav_home": {"url": reverse("home"), "label": _("Home"), "icon": "house"},
        "nav_groups": nav_groups,
        "nav_items": [item for group in nav_groups for item in group["items"]],
        "nav_person": person_of(user),
        "nav_role": role_of(user),
        "nav_can_admin": can_manage_org(user) and user.is_staff,
    }
