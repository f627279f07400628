"""The API's DELETE removes a record through the app's delete service, as the pages would."""

import inspect

import pytest

from salesorg.api.crud import REGISTERED
from salesorg.api.routes import api  # noqa: F401  (registers every router)
from salesorg.org.models import Region
from salesorg.sales.models import Order, OrderLine
from tests.factories import CustomerFactory, OrderLineFactory

pytestmark = pytest.mark.django_db


def test_every_generated_delete_is_an_app_service():
    assert REGISTERED, "no CRUD endpoints registered"
    for crud in REGISTERED:
        service = crud.delete
        assert ".services" in service.__module__, (crud.model, service)
        assert service.__name__.endswith("_delete"), (crud.model, service)
        parameters = inspect.signature(service).parameters
        assert "actor" in parameters and len(parameters) == 2, (crud.model, parameters)


def test_a_manager_deletes_a_team_order_and_its_lines_go_with_it(org_tree):
    line = OrderLineFactory(order__customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    client = org_tree.client("manager_east1")
    response = client.delete(f"/api/v1/orders/{line.order_id}")
    assert response.status_code == 204, response.content
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    assert client.get(f"/api/v1/orders/{line.order_id}").status_code == 404


def test_an_order_outside_the_callers_scope_is_not_found_and_stays(org_tree):
    line = OrderLineFactory(order__customer=CustomerFactory(owner=org_tree.people["rep_north1a"]))
    response = org_tree.client("manager_east1").delete(f"/api/v1/orders/{line.order_id}")
    assert response.status_code == 404
    assert Order.objects.filter(pk=line.order_id).exists()


def test_a_manager_may_see_a_region_but_not_delete_it(org_tree):
    region = org_tree.regions["east"]
    client = org_tree.client("manager_east1")
    assert client.get(f"/api/v1/regions/{region.pk}").status_code == 200
    response = client.delete(f"/api/v1/regions/{region.pk}")
    assert response.status_code == 403 and response.json()["detail"]
    assert Region.objects.filter(pk=region.pk).exists()
