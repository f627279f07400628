"""A targeted-training proposal shows the collection rate that fired it as 40.00%."""

from tests.development.test_targeted import (  # noqa: F401 (fixtures)
    collections_rule,
    receivables,
)


def test_the_proposal_list_shows_a_percent_indicator_with_its_sign(
    org_tree,
    collections_rule,  # noqa: F811
    receivables,  # noqa: F811
):
    client = org_tree.client("manager_east1")
    client.post("/development/targeted/", {"start": "2026-02-01", "end": "2026-02-28"})
    page = client.get("/development/targeted/").content.decode()
    assert "40.00%" in page
