"""The menu offers each role the pages it may open."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role,present,absent",
    [
        ("rep_east1a", ["/sales/visits/", "/performance/kpi/"], ["/interchange/import/"]),
        ("manager_east1", ["/sales/orders/", "/performance/kpi/"], ["/interchange/import/"]),
        ("finance", ["/sales/invoices/", "/performance/kpi/"], ["/sales/visits/"]),
        ("trainer", ["/org/people/"], ["/sales/orders/", "/performance/kpi/"]),
        ("admin", ["/interchange/import/", "/performance/kpi/"], []),
    ],
)
def test_menu_by_role(org_tree, role, present, absent):
    page = org_tree.client(role).get("/").content.decode()
    for url in present:
        assert f'href="{url}"' in page, url
    for url in absent:
        assert f'href="{url}"' not in page, url


def test_the_menu_groups_pages_so_the_bar_stays_short(org_tree):
    page = org_tree.client("director").get("/").content.decode()
    top_level = page.count('<li class="nav-item">') + page.count('<li class="nav-item dropdown"')
    assert top_level <= 10  # home, six groups, import, administration, language
    for group in ("sales", "customers", "goals", "performance", "development"):
        assert f'data-nav-group="{group}"' in page, group
