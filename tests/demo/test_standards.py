"""Demo standards: a revision from a PDCA lesson whose history shows a diff, and a draft
revision awaiting approval."""

import pytest

from salesorg.core.scoping import SYSTEM
from salesorg.targets.models import Standard
from salesorg.targets.selectors.pdca import standard_history
from tests.demo.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_demo_standards_show_a_revision_diff_and_a_pending_draft(demo):
    # given the demo company with its records, reviews, PDCA cycles and standards
    # then the visit standard's version 2 is the closed cycle's lesson worked into version 1
    visit = standard_history(
        standard=Standard.objects.get(code="STD-VISIT"), user=SYSTEM, today=TODAY
    )
    rows = {row.version.number: row for row in visit.rows}
    assert visit.current == rows[2].version and rows[2].version.lesson_plan.status == "closed"
    assert rows[2].previous == rows[1].version and rows[2].version.based_on == rows[1].version
    kinds = {line.kind for line in rows[2].diff}
    assert kinds == {"same", "added", "removed"}
    assert "每位销售代表每天拜访不少于四家客户。" in rows[2].version.body
    # and the receivables standard has a draft revision awaiting approval, with its diff
    receivables = standard_history(
        standard=Standard.objects.get(code="STD-AR"), user=SYSTEM, today=TODAY
    )
    draft = next(row for row in receivables.rows if not row.version.is_approved)
    assert draft.version.number is None and draft.previous == receivables.current
    assert [line.kind for line in draft.diff].count("added") == 1
    assert "removed" not in {line.kind for line in draft.diff}
