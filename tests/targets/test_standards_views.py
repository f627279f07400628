"""Pages of standards as revisions: promote to a draft, edit it, approve it seeing the diff,
read the old versions."""

from salesorg.targets.models import StandardVersion
from tests.targets.test_pdca import closed_plan
from tests.targets.test_standards import IN_FORCE, visit_standard


def test_promote_edit_and_approve_through_the_pages(org_tree, django_assert_max_num_queries):
    # given STD-VISIT in force and a closed cycle of team east-1
    standard, first = visit_standard(org_tree)
    plan = closed_plan(org_tree)
    manager = org_tree.client("manager_east1")
    # when the manager promotes the lesson into STD-VISIT
    response = manager.post(f"/targets/pdca/{plan.pk}/promote/", {"standard": standard.pk})
    draft = StandardVersion.objects.get(standard=standard, approved_by=None)
    assert response.status_code == 302
    assert response.url == f"/targets/standards/versions/{draft.pk}/"
    # then the draft page offers the text in force plus the lesson to edit
    page = manager.get(response.url).content.decode()
    assert 'id="draft-form"' in page and "每位销售代表每天拜访不少于四家客户。" in page
    assert "拜访前准备资料" in page
    # the author edits it; an empty text is re-shown with a message
    url = f"/targets/standards/versions/{draft.pk}/edit/"
    response = manager.post(url, {"body": " "})
    assert response.status_code == 400 and 'id="draft-form"' in response.content.decode()
    body = IN_FORCE + "\n拜访前准备客户资料和拜访目的。<b>重点</b>"
    assert manager.post(url, {"body": body}).status_code == 302
    draft.refresh_from_db()
    assert draft.body == body
    # others do not see the draft at all
    for other in ("head_east", "manager_east2", "rep_east1a"):
        assert org_tree.client(other).post(url, {"body": "改"}).status_code == 404
        assert (
            org_tree.client(other).get(f"/targets/standards/versions/{draft.pk}/").status_code
            == 404
        )
    # the director's approval screen shows the diff against the version in force, escaped
    director = org_tree.client("director")
    page = director.get(f"/targets/standards/versions/{draft.pk}/").content.decode()
    assert 'id="approve-form"' in page and 'id="version-diff"' in page
    diff = page.split('id="version-diff"')[1].split("</table>")[0]
    assert 'class="diff-added' in diff and "&lt;b&gt;重点&lt;/b&gt;" in diff
    assert "<b>重点</b>" not in page
    assert 'class="diff-removed' not in diff  # nothing of the text in force was dropped
    response = director.post(
        f"/targets/standards/versions/{draft.pk}/approve/", {"effective_date": "2025-01-01"}
    )
    assert response.status_code == 400 and 'id="approve-form"' in response.content.decode()
    response = director.post(
        f"/targets/standards/versions/{draft.pk}/approve/", {"effective_date": "2026-05-01"}
    )
    assert response.status_code == 302
    # a rep reads the history: version 1's text and what version 2 changed
    rep = org_tree.client("rep_east1a")
    with django_assert_max_num_queries(20):
        page = rep.get(f"/targets/standards/{standard.pk}/").content.decode()
    history = page.split('id="standard-versions"')[1]
    assert "v1" in history and "v2" in history
    assert "每位销售代表每天拜访不少于四家客户。" in history
    assert 'class="diff-added' in history
    old = rep.get(f"/targets/standards/versions/{first.pk}/").content.decode()
    assert "每位销售代表每天拜访不少于四家客户。" in old and 'id="draft-form"' not in old


def test_the_standard_page_sends_an_author_with_a_draft_to_it(org_tree):
    standard, _first = visit_standard(org_tree)
    director = org_tree.client("director")
    page = director.get(f"/targets/standards/{standard.pk}/").content.decode()
    # a new version starts from the text in force
    assert 'id="new-version-form"' in page and "拜访后当天录入系统。</textarea>" in page
    response = director.post(f"/targets/standards/{standard.pk}/versions/", {"body": "甲"})
    draft = StandardVersion.objects.get(standard=standard, approved_by=None)
    assert response.url == f"/targets/standards/versions/{draft.pk}/"
    page = director.get(f"/targets/standards/{standard.pk}/").content.decode()
    assert 'id="new-version-form"' not in page
    assert f"/targets/standards/versions/{draft.pk}/" in page
    # a second draft of the same author is refused with a message
    response = director.post(f"/targets/standards/{standard.pk}/versions/", {"body": "乙"})
    assert response.status_code == 400
    assert "You have a draft of this standard already" in response.content.decode()
