"""The API names people by person id everywhere: every `*_id` field of a list answer that
stands for a model's link to a person or a login carries the person's id, never the login's.

Logins are given ids that differ from their people's, so a login id cannot pass for a person
id by coincidence."""

from django.contrib.auth.models import User
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.api.routes import api
from salesorg.customers.models import CreditApproval, DevelopmentProposal, RootCause
from salesorg.org.models import Person


def _offset_logins(org_tree) -> None:
    """Give everyone a new login whose id is not their person id."""
    User.objects.create(username="spacer-1")
    User.objects.create(username="spacer-2")
    for person in org_tree.people.values():
        old = person.user
        person.user = User.objects.create(username=f"{person.code}-login")
        person.save(update_fields=["user"])
        old.delete()
        assert person.user.pk != person.pk


def _decided_records(org_tree) -> None:
    """Credit approvals, proposals and root causes requested, decided and reviewed by logins."""
    manager = org_tree.people["manager_east1"].user
    rep = org_tree.people["rep_east1a"].user
    CreditApproval.objects.update(requested_by=rep, decided_by=manager)
    DevelopmentProposal.objects.update(decided_by=manager)
    RootCause.objects.update(reviewed_by=manager)


def _list_operations() -> list[tuple[str, str]]:
    """(path, model label) of every list endpoint without path parameters."""
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        get = methods.get("get")
        if get is None or "{" in path or "x-scoped-model" not in get:
            continue
        required = [p for p in get.get("parameters", []) if p.get("required")]
        if not required:
            found.append((path, get["x-scoped-model"]))
    return found


def _people_fields(model) -> dict[str, str]:
    """`<field>_id` → "person" or "login" for the model's links to people and logins."""
    fields = {}
    for field in model._meta.concrete_fields:
        if field.many_to_one or field.one_to_one:
            if field.related_model is Person:
                fields[field.attname] = "person"
            elif field.related_model is User:
                fields[field.attname] = "login"
    return fields


def test_every_people_field_of_the_api_is_a_person_id(org_tree, org_records):
    from django.apps import apps

    _offset_logins(org_tree)
    _decided_records(org_tree)
    _token, raw = ApiToken.objects.issue(user=org_tree.people["director"].user)
    client = Client(headers={"authorization": f"Bearer {raw}"})
    person_of_login = dict(Person.objects.filter(user__isnull=False).values_list("user_id", "pk"))
    checked, wrong = set(), []
    for path, label in _list_operations():
        model = apps.get_model(label)
        people = _people_fields(model)
        response = client.get(
            path.removeprefix("/api/v1").join(["/api/v1", ""]), {"page_size": 500}
        )
        if response.status_code != 200:
            continue
        body = response.json()
        items = body["items"] if isinstance(body, dict) and "items" in body else body
        if not isinstance(items, list):
            continue
        stored = {
            row["pk"]: row
            for row in model.objects.filter(
                pk__in=[i["id"] for i in items if isinstance(i, dict) and "id" in i]
            ).values("pk", *people)
        }
        for item in items:
            row = stored.get(item.get("id")) if isinstance(item, dict) else None
            if row is None:
                continue
            for attname, kind in people.items():
                if attname not in item or row[attname] is None:
                    continue
                expected = row[attname] if kind == "person" else person_of_login.get(row[attname])
                checked.add(f"{label}.{attname}")
                if item[attname] != expected:
                    wrong.append(f"{path} {attname}: {item[attname]} is not person {expected}")
    assert not wrong, "\n".join(sorted(set(wrong)))
    # the fields the issue named are among those checked
    assert {
        "customers.CreditApproval.requested_by_id",
        "customers.CreditApproval.decided_by_id",
        "customers.DevelopmentProposal.decided_by_id",
        "customers.Reward.approved_by_id",
    } <= checked, sorted(checked)


def test_no_api_schema_offers_a_login_id():
    """No schema offers a bare `user_id`: people are named by person id (a login id is only
    kept as a deprecated `*_user_id` beside its person id)."""
    schema = api.get_openapi_schema()
    names = {
        name
        for component in schema["components"]["schemas"].values()
        for name in component.get("properties", {})
    }
    assert "user_id" not in names
    for name in names:
        if name.endswith("_user_id"):
            assert name.removesuffix("_user_id") + "_id" in names, name
