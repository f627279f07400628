"""A personnel review's scorecard evidence reads 86.14 points, not the stored 86.1400."""

from salesorg.development.services.personnel import personnel_review_file


def test_scorecard_evidence_shows_points_with_two_decimals(org_tree):
    review = personnel_review_file(
        person=org_tree.people["rep_east1a"],
        actor=org_tree.user("manager_east1"),
        stage="Probation",
        outcome="continue",
    )
    review.evidence["scorecards"] = [
        {"period": "2026-11", "total_score": "86.1400", "rank_company": 2, "company_size": 20}
    ]
    review.save(update_fields=["evidence"])
    page = org_tree.client("manager_east1").get(review.get_absolute_url()).content.decode()
    assert "86.14" in page and "86.1400" not in page
