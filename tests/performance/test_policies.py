"""Incentive policies: versions, publishing, read-only once published, who writes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from salesorg.performance.models import IncentivePolicy, PolicyStatus
from salesorg.performance.selectors.policies import published_policy
from salesorg.performance.services.policies import policy_save
from tests.performance.scorecard_helpers import RULES, published


def test_publish_makes_the_version_read_only_and_a_change_is_a_new_row(org_tree):
    # given a published version 1
    first = published(org_tree)
    assert first.version == 1 and first.status == PolicyStatus.PUBLISHED
    # when the director tries to change it
    with pytest.raises(ValidationError) as error:
        policy_save(
            actor=org_tree.user("director"),
            policy=first,
            name="changed",
            effective_from=date(2025, 1, 1),
            rules=RULES,
        )
    # then it is refused, naming the status
    assert "status" in error.value.message_dict
    # and a new version is a new row
    second = policy_save(
        actor=org_tree.user("director"),
        name="v2",
        effective_from=date(2026, 1, 1),
        rules=RULES,
    )
    assert second.version == 2 and IncentivePolicy.objects.count() == 2


def test_published_policy_is_the_latest_effective_on_the_date(org_tree):
    old = published(org_tree, effective_from=date(2025, 1, 1))
    new = published(org_tree, effective_from=date(2026, 2, 1))
    draft = policy_save(
        actor=org_tree.user("admin"), name="draft", effective_from=date(2026, 1, 1), rules=RULES
    )
    assert published_policy(as_of=date(2024, 12, 31)) is None
    assert published_policy(as_of=date(2026, 1, 31)) == old  # the draft does not count
    assert published_policy(as_of=date(2026, 2, 1)) == new
    assert draft.status == PolicyStatus.DRAFT


def test_weights_must_sum_to_100_and_errors_name_the_field(org_tree):
    rules = [dict(RULES[0], weight="50"), RULES[1]]
    with pytest.raises(ValidationError) as error:
        policy_save(actor=org_tree.user("director"), name="x", effective_from=None, rules=rules)
    assert set(error.value.message_dict) >= {"effective_from", "indicators"}
    bad_band = [dict(RULES[0], bands="0 1 0 100\n0.5 - 100"), RULES[1]]
    with pytest.raises(ValidationError) as error:
        policy_save(
            actor=org_tree.user("director"),
            name="x",
            effective_from=date(2026, 1, 1),
            rules=bad_band,
        )
    assert "indicators[0]" in error.value.message_dict


@pytest.mark.parametrize("role", ["rep_east1a", "manager_east1", "head_east", "finance"])
def test_only_director_and_admin_write_policies(org_tree, role):
    with pytest.raises(ValidationError):
        policy_save(
            actor=org_tree.user(role), name="x", effective_from=date(2026, 1, 1), rules=RULES
        )


def test_everyone_reads_published_versions_only_writers_see_drafts(org_tree):
    policy = published(org_tree)
    draft = policy_save(
        actor=org_tree.user("director"), name="d", effective_from=date(2026, 1, 1), rules=RULES
    )
    rep = org_tree.client("rep_east1a")
    assert rep.get(policy.get_absolute_url()).status_code == 200
    assert rep.get(draft.get_absolute_url()).status_code == 404
    assert org_tree.client("director").get(draft.get_absolute_url()).status_code == 200
    page = rep.get("/performance/policies/")
    assert page.status_code == 200 and "激励政策" in page.content.decode()
    assert rep.get("/performance/policies/new/").status_code == 403


def test_policy_form_creates_and_publishes_a_draft(org_tree):
    client = org_tree.client("director")
    form = client.get("/performance/policies/new/")
    assert form.status_code == 200
    data = {
        "name": "2026",
        "effective_from": "2026-01-01",
        "bonus_base": "1000",
        "bonus_tiers": "80 1",
        "sales_achievement__weight": "100",
        "sales_achievement__bands": "0 0.8 0 0\n0.8 - 100",
        "sales_achievement__cap": "",
        "sales_achievement__ideal_bonus": "",
    }
    response = client.post("/performance/policies/new/", data)
    policy = IncentivePolicy.objects.get(name="2026")
    assert response.status_code == 302 and policy.bonus_base == Decimal("1000.00")
    client.post(f"/performance/policies/{policy.pk}/publish/")
    policy.refresh_from_db()
    assert policy.is_published
    # a bad weight re-shows the form with the error
    bad = dict(data, sales_achievement__weight="90")
    response = client.post("/performance/policies/new/", bad)
    assert response.status_code == 200 and "must add up to 100" in response.content.decode()
