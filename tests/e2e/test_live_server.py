"""The test server answers requests that arrive together, as a browser's service worker sends them.

A logged-in page registers the service worker, which fetches the rep's pages while the test
navigates; on the in-memory SQLite test database those requests share one connection.
"""

from concurrent.futures import ThreadPoolExecutor
from urllib.request import Request, urlopen

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def test_requests_arriving_together_all_answer(live_server, org_tree):
    client = Client()
    client.force_login(org_tree.user("rep_east1a"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    paths = ["/", "/sales/visits/log/", "/customers/", "/sales/visits/"] * 4

    def fetch(path):
        with urlopen(Request(f"{live_server.url}{path}", headers={"Cookie": cookie})) as answer:
            return answer.status

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        assert list(pool.map(fetch, paths)) == [200] * len(paths)
