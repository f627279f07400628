"""The scoping matrix: every role × every scoped page and API operation, in and out of scope.

Pages and API operations are enumerated from the URLconf and the OpenAPI document,
so a new endpoint is covered (or fails loudly) without editing this file. The org_records
fixture gives every rep sales and customer records, so each model has objects on both
sides of every scope. Edit pages (views with `record_permission`) answer 403 to people who
may see but not change the object; writes by people without the right change nothing.
Routes that take an object by another parameter name (`<int:customer_id>` …) are covered too:
PARAMETER_MODELS says which model each name identifies, and an unknown name fails.

The company and its records are built once for this module (in a transaction rolled back at
its end); each test runs in a savepoint inside it and gets its own copy of the Python objects.
"""

import copy
import json
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from salesorg.api.models import ApiToken
from salesorg.api.routes import api
from salesorg.core.views import ScopedObjectMixin
from salesorg.org.models import Person, Region, Team
from tests.conftest import build_org_records, build_org_tree
from tests.scope_oracle import ROLES, visible_objects, writable_objects

UNSCOPED_PREFIXES = ("admin/",)


@pytest.fixture(scope="module")
def _module_records(django_db_setup, django_db_blocker):
    """org_tree and org_records built once, in a transaction undone when the module ends."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        tree = build_org_tree()
        records = build_org_records(tree)
        _add_pipeline_step()
    yield tree, records
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _add_pipeline_step():
    """A pipeline stage with one step, so the route ticking a step has one to tick."""
    from salesorg.customers.models import PipelineStage, PipelineStep

    stage = PipelineStage.objects.create(name="接触", name_en="Contact", position=1)
    PipelineStep.objects.create(stage=stage, position=1, text="首次拜访", text_en="First visit")


@pytest.fixture
def _records_copy(db, _module_records):
    """This test's own copy of the module's objects (the rows are shared, rolled back)."""
    return copy.deepcopy(_module_records)


@pytest.fixture
def org_tree(_records_copy):
    return _records_copy[0]


@pytest.fixture
def org_records(_records_copy):
    return _records_copy[1]


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def object_pages():
    """(route, model) for every page that shows one object by primary key."""
    pages = []
    for route, pattern in _patterns():
        if route.startswith(UNSCOPED_PREFIXES) or "<int:pk>" not in route:
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        assert view_class is not None and issubclass(view_class, ScopedObjectMixin), (
            f"{route} shows an object by pk but is not a ScopedObjectMixin view"
        )
        pages.append((route, view_class.model))
    return pages


def test_every_object_page_is_found():
    routes = {route for route, _model in object_pages()}
    assert {"org/people/<int:pk>/", "org/teams/<int:pk>/", "org/regions/<int:pk>/"} <= routes


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route,model", object_pages(), ids=lambda v: str(v))
def test_object_pages_show_in_scope_and_hide_the_rest(org_tree, org_records, role, route, model):
    client = org_tree.client(role)
    allowed = visible_objects(model, role)
    writable = _page_writable(route, model, role)
    for obj in model.objects.all():
        response = client.get("/" + route.replace("<int:pk>", str(obj.pk)))
        if obj not in allowed:
            expected = 404
        elif writable is not None and obj not in writable:
            expected = 403
        else:
            expected = 200
        assert response.status_code == expected, (role, route, str(obj))


def _view_class(route):
    return next(p.callback.view_class for r, p in _patterns() if r == route)


def _page_writable(route, model, role):
    """The objects an edit page lets `role` change (None for a page that only shows)."""
    view_class = _view_class(route)
    if not hasattr(view_class, "record_permission"):
        return None
    return writable_objects(
        model, role, permission_model=getattr(view_class, "permission_model", None)
    )


@pytest.mark.parametrize("role", ROLES)
def test_page_writes_without_the_right_change_nothing(org_tree, org_records, role):
    client = org_tree.client(role)
    before = _snapshot()
    for route, model in object_pages():
        writable = _page_writable(route, model, role)
        if writable is None:
            continue
        allowed = visible_objects(model, role)
        for obj in model.objects.all():
            response = client.post("/" + route.replace("<int:pk>", str(obj.pk)), {})
            if obj not in allowed:
                expected = 404
            elif obj not in writable:
                expected = 403
            else:
                expected = 200  # the form is re-shown with its errors
            assert response.status_code == expected, (role, route, str(obj))
    assert _snapshot() == before


# The model each route parameter other than `pk` identifies: a label, or by route prefix
# where one name means different models in different apps. A new name fails
# test_every_route_parameter_names_a_model until it is added here (and to the oracle).
PARAMETER_MODELS = {
    "customer_id": "customers.Customer",
    "root_cause_id": "customers.RootCause",
    "approval_id": "customers.CreditApproval",
    "step_id": "customers.PipelineStep",
    "person_id": "org.Person",
    "team_id": "org.Team",
    "visit_id": "sales.Visit",
    "problem_id": "targets.PdcaProblem",
    "standard_id": "targets.Standard",
    "version_id": "targets.StandardVersion",
    "policy_id": "performance.IncentivePolicy",
    "period_id": "performance.ScorecardPeriod",
    "meeting_id": "performance.SalesMeeting",
    "material_id": "development.Material",
    "session_id": "development.CoachingSession",
    "rule_id": "development.TrainingRule",
    "item_id": {
        "customers/pipeline/": "customers.PipelineItem",
        "targets/actions/": "targets.ActionItem",
        "performance/meetings/items/": "performance.MeetingItem",
    },
    "proposal_id": {
        "customers/proposals/": "customers.DevelopmentProposal",
        "development/targeted/proposals/": "development.TrainingProposal",
    },
    "review_id": {
        "targets/reviews/": "targets.QuarterlyReview",
        "development/personnel/": "development.PersonnelReview",
        "development/joint-visits/": "development.JointVisitReview",
    },
    "reward_id": "customers.Reward",
    "plan_id": {"targets/pdca/": "targets.PdcaPlan", "targets/plans/": "targets.SalesPlan"},
    "revision_id": "targets.TargetRevision",
}
# The record history route names its model in the URL: it is checked for every audited model.
HISTORY_ROUTE = "audit/<slug:app_label>/<slug:model_name>/<int:object_id>/history/"
ROUTE_PARAMETER = re.compile(r"<int:(\w+)>")


def _parameter_model(route, name):
    """The model a route's int parameter identifies, or None when PARAMETER_MODELS has none."""
    entry = PARAMETER_MODELS.get(name)
    if isinstance(entry, dict):
        entry = next((label for prefix, label in entry.items() if route.startswith(prefix)), None)
    return apps.get_model(entry) if entry else None


def id_routes():
    """(route, {parameter: model}) for every route taking an object by an int other than pk."""
    routes = []
    for route, _pattern in _patterns():
        names = ROUTE_PARAMETER.findall(route)
        if route.startswith(UNSCOPED_PREFIXES) or not names or names == ["pk"]:
            continue
        if route == HISTORY_ROUTE:
            continue
        models = {name: _parameter_model(route, name) for name in names}
        if None not in models.values():
            routes.append((route, models))
    return routes


def test_every_route_parameter_names_a_model():
    unknown = []
    for route, _pattern in _patterns():
        for name in ROUTE_PARAMETER.findall(route):
            if route.startswith(UNSCOPED_PREFIXES) or name == "pk" or route == HISTORY_ROUTE:
                continue
            if _parameter_model(route, name) is None:
                unknown.append(f"<int:{name}> in {route}")
    assert not unknown, f"add these route parameters to PARAMETER_MODELS: {unknown}"
    assert HISTORY_ROUTE in {route for route, _pattern in _patterns()}


def _url(route, values):
    url = route
    for name, value in values.items():
        url = url.replace(f"<int:{name}>", str(value))
    return "/" + url


def _answer(client, route, values):
    """The status of a GET, or of an empty POST where the view only takes POST."""
    response = client.get(_url(route, values))
    if response.status_code == 405:
        response = client.post(_url(route, values), {})
    return response.status_code


def _expect_hidden(status, missing_status, where):
    """Out of scope answers 404, or 403 when the view refuses this role whatever the object
    (the same answer as for an id that does not exist, so it tells nothing)."""
    assert status == 404 or status == missing_status == 403, where


# Scoping bugs the matrix found (not fixed here; the view's owner fixes them).
ID_ROUTE_BUGS = {}
# (route, role) where a role may see the object but the page has nothing for it, so it
# answers 404 whatever the id; only the hidden side is checked there. Role "*": every role.
NOT_FOUND_BY_DESIGN = {
    **{
        (f"targets/plans/<int:plan_id>/{page}/", "trainer"): "a trainer sees no unit's targets"
        for page in ("grid", "decompose", "publish-unit", "proposals")
    },
    ("development/training/<int:material_id>/attachment/", "*"): "no file is attached here",
}


def _id_route_cases():
    cases = []
    for route, models in id_routes():
        for role in ROLES:
            marks = []
            reason = ID_ROUTE_BUGS.get((route, role)) or ID_ROUTE_BUGS.get((route, "*"))
            if reason:
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            cases.append(pytest.param(route, models, role, marks=marks, id=f"{route}-{role}"))
    return cases


@pytest.mark.parametrize("route,models,role", _id_route_cases())
def test_id_routes_show_in_scope_and_hide_the_rest(org_tree, org_records, route, models, role):
    """Each parameter in turn takes every object of its model, the others one the role sees."""
    client = org_tree.client(role)
    visible = {name: visible_objects(model, role) for name, model in models.items()}
    objects = {name: list(model.objects.order_by("pk")) for name, model in models.items()}
    fallback = {
        name: min(visible[name], key=lambda obj: obj.pk) if visible[name] else objects[name][0]
        for name in models
        if objects[name]
    }
    if len(fallback) < len(models):
        pytest.fail(f"org_records has no {[m.__name__ for m in models.values()]} for {route}")
    fallback_pks = {name: obj.pk for name, obj in fallback.items()}
    by_design = (route, role) in NOT_FOUND_BY_DESIGN or (route, "*") in NOT_FOUND_BY_DESIGN
    for name in models:
        missing = _answer(client, route, fallback_pks | {name: 10**9})
        others_visible = all(fallback[other] in visible[other] for other in models if other != name)
        for obj in objects[name]:
            values = fallback_pks | {name: obj.pk}
            status = _answer(client, route, values)
            where = (role, _url(route, values), str(obj), status)
            if obj not in visible[name]:
                _expect_hidden(status, missing, where)
            elif others_visible and not by_design:
                assert status != 404 and status < 500, where


def _history_cases():
    from salesorg.core.audit import audited_models

    return [
        pytest.param(model, role, id=f"{model._meta.label}-{role}")
        for model in audited_models()
        for role in ROLES
    ]


@pytest.mark.parametrize("model,role", _history_cases())
def test_record_history_shows_in_scope_and_hides_the_rest(org_tree, org_records, model, role):
    client = org_tree.client(role)
    allowed = visible_objects(model, role)
    route = HISTORY_ROUTE.replace("<slug:app_label>", model._meta.app_label).replace(
        "<slug:model_name>", model._meta.model_name
    )
    for obj in model.objects.all():
        status = client.get(_url(route, {"object_id": obj.pk})).status_code
        assert status == (200 if obj in allowed else 404), (role, model, str(obj), status)


LIST_PAGES = [
    ("/customers/", "customers.Customer"),
    ("/sales/orders/", "sales.Order"),
    ("/sales/invoices/", "sales.Invoice"),
    ("/sales/visits/", "sales.Visit"),
    ("/sales/expenses/", "sales.Expense"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url,label", LIST_PAGES)
def test_record_lists_and_exports_show_exactly_the_scope(org_tree, org_records, role, url, label):
    model = apps.get_model(label)
    client = org_tree.client(role)
    export = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    exported_codes = {line.split(",")[0] for line in export.splitlines()[1:]}
    expected = {obj.code for obj in visible_objects(model, role)}
    assert exported_codes == expected, (role, url)
    page = client.get(url).content.decode()
    for code in {obj.code for obj in model.objects.all()} - expected:
        assert f">{code}<" not in page, (role, url, code)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url,label",
    [("/sales/visits/log/", "sales.Visit"), ("/sales/expenses/add/", "sales.Expense")],
)
def test_create_pages_answer_403_to_people_who_may_not_write(org_tree, role, url, label):
    from tests.scope_oracle import writers_of

    response = org_tree.client(role).get(url)
    may_write = role in writers_of(apps.get_model(label))
    assert response.status_code == (200 if may_write else 403), (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_people_list_and_export_show_exactly_the_scope(org_tree, role):
    client = org_tree.client(role)
    export = client.get("/org/people/", {"format": "csv"}).content.decode("utf-8-sig")
    exported_codes = {line.split(",")[0] for line in export.splitlines()[1:]}
    expected = {p.code for p in visible_objects(Person, role)}
    assert exported_codes == expected
    page = client.get("/org/people/").content.decode()
    hidden = {p.code for p in Person.objects.all()} - expected
    for code in hidden:
        assert f">{code}<" not in page


@pytest.mark.parametrize("role", ROLES)
def test_org_tree_shows_only_the_scope(org_tree, role):
    page = org_tree.client(role).get("/org/").content.decode()
    for region in Region.objects.all():
        assert (f">{region.name}<" in page) == (region in visible_objects(Region, role))
    for team in Team.objects.all():
        assert (f">{team.name}<" in page) == (team in visible_objects(Team, role))


def api_operations():
    """(method, path, model) for every API operation on objects, from the OpenAPI document.

    An operation declares either `x-scoped-model` (objects of one model, checked here)
    or `x-scoped-rows` (a computed table such as the indicators, whose own tests check
    that its rows are scoped); one that declares neither fails this test.
    """
    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if operation.get("operationId") == "auth_token" or operation.get("x-scoped-rows"):
                continue
            label = operation.get("x-scoped-model")
            assert label, f"{method.upper()} {path} declares no x-scoped-model: scope it"
            operations.append((method, path, apps.get_model(label)))
    return operations


def _bearer(org_tree, role) -> Client:
    """A client with a token of the role's login (issued directly). A leaver's token is
    refused outright (test_a_leavers_token_opens_nothing), so the leaver's scope is checked
    through their browser session, which must then see nothing."""
    if role == "rep_former":
        return org_tree.client(role)
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_a_leavers_token_opens_nothing(org_tree):
    """A token issued before the leave date answers 401 to every operation."""
    _token, raw = ApiToken.objects.issue(user=org_tree.user("rep_former"))
    client = Client(headers={"authorization": f"Bearer {raw}"})
    for method, path, _model in api_operations():
        url = path.replace("{pk}", "1")
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 401, (method, url)


@pytest.mark.parametrize("role", ROLES)
def test_api_reads_show_in_scope_and_hide_the_rest(org_tree, org_records, role):
    client = _bearer(org_tree, role)
    for method, path, model in api_operations():
        if method != "get":
            continue
        url = path.replace("/api/v1", "/api/v1", 1)
        allowed = visible_objects(model, role)
        if "{pk}" in path:
            for obj in model.objects.all():
                response = client.get(url.replace("{pk}", str(obj.pk)))
                assert response.status_code == (200 if obj in allowed else 404), (role, url, obj)
        else:
            body = client.get(url, {"page": 1}).json()
            assert body["count"] == len(allowed), (role, url)
            ids = {item["id"] for item in body["items"]}
            assert ids == {obj.pk for obj in allowed} or body["count"] > len(ids)


SNAPSHOT_MODELS = (
    "org.Region",
    "org.Team",
    "org.Person",
    "org.Membership",
    "customers.Customer",
    "customers.Contact",
    "sales.Category",
    "sales.Product",
    "sales.Order",
    "sales.OrderLine",
    "sales.Invoice",
    "sales.Payment",
    "sales.Visit",
    "sales.VisitStep",
    "sales.Expense",
    "targets.Target",
)


def _versioned_paths() -> set[str]:
    """PATCH paths whose body requires the `version` read (a change without it is a 409)."""
    schema = api.get_openapi_schema()
    paths = set()
    for path, methods in schema["paths"].items():
        body = methods.get("patch", {}).get("requestBody", {})
        reference = body.get("content", {}).get("application/json", {}).get("schema", {})
        name = reference.get("$ref", "").rsplit("/", 1)[-1]
        if "version" in schema["components"]["schemas"].get(name, {}).get("required", []):
            paths.add(path)
    return paths


def _rows(label: str) -> list[dict]:
    """A model's rows, without the version counter (an allowed empty write still saves, and
    every save counts a version: that is bookkeeping, not a change of the record)."""
    rows = apps.get_model(label).objects.order_by("pk").values()
    return [{k: v for k, v in row.items() if k != "version"} for row in rows]


def _snapshot():
    return json.dumps(
        [_rows(label) for label in SNAPSHOT_MODELS]
        + [sorted(apps.get_model("sales.Visit").contacts.through.objects.values_list())],
        default=str,
    )


@pytest.mark.parametrize("role", ROLES)
def test_api_writes_without_the_right_change_nothing(org_tree, org_records, role):
    """Everyone gets 404 outside their scope and 403 on what they see but may not change;
    those who may change a record can PATCH it (an empty PATCH changes nothing)."""
    client = _bearer(org_tree, role)
    before = _snapshot()
    versioned = _versioned_paths()
    for method, path, model in api_operations():
        if method == "get":
            continue
        allowed = visible_objects(model, role)
        writable = writable_objects(model, role)
        if "{pk}" in path:
            for obj in model.objects.all():
                url = path.replace("{pk}", str(obj.pk))
                if obj in writable:
                    if method == "delete":
                        continue
                    expected = 200
                else:
                    expected = 403 if obj in allowed else 404
                body = {"version": obj.version} if path in versioned else {}
                response = getattr(client, method)(url, body, content_type="application/json")
                assert response.status_code == expected, (role, method, url, response.content)
        else:
            response = client.post(path, {}, content_type="application/json")
            assert response.status_code in (403, 422), (role, path)
    assert _snapshot() == before


def test_admin_can_write_through_the_api(org_tree):
    client = _bearer(org_tree, "admin")
    region = org_tree.regions["east"]
    response = client.patch(
        f"/api/v1/regions/{region.pk}", {"name": "华东新区"}, content_type="application/json"
    )
    assert response.status_code == 200
    region.refresh_from_db()
    assert region.name == "华东新区"
