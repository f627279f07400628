"""Records of this area for the scoping matrix (called by the org_records fixture)."""

from datetime import date


def add_records(records, org_tree) -> None:
    """Add one record per rep (or per team) of each scoped model, in `records.extra`."""
    add_scorecard_records(records, org_tree)


def add_scorecard_records(records, org_tree) -> None:
    """A published and a draft policy; January 2026 scored (a scorecard per rep); a
    meeting per team with an agenda item per current rep; east-1b's item has a countermeasure."""
    from salesorg.performance.models import MeetingItem, MissReason, SalesMeeting
    from salesorg.performance.services.policies import policy_save
    from salesorg.performance.services.scorecards import scorecards_compute
    from salesorg.targets.choices import ActionOrigin
    from salesorg.work.actions import action_item_create
    from tests.performance.scorecard_helpers import RULES, published

    policy = published(org_tree)
    draft = policy_save(
        actor=org_tree.user("director"), name="草案", effective_from=date(2027, 1, 1), rules=RULES
    )
    period = scorecards_compute(actor=None, kind="month", start=date(2026, 1, 1))
    meetings, items = {}, {}
    for team_key, team in org_tree.teams.items():
        meeting = SalesMeeting.objects.create(
            team=team,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            held_on=date(2026, 2, 3),
            title=f"销售会议 {team.code}",
        )
        meetings[team_key] = meeting
        for letter in ("a", "b"):
            rep = org_tree.people[f"rep_{team_key}{letter}"]
            items[f"rep_{team_key}{letter}"] = MeetingItem.objects.create(
                meeting=meeting,
                person=rep,
                indicator="sales",
                reason=MissReason.BELOW_TARGET,
                value="100.00",
                reference="1000.00",
            )
    # East-1b's countermeasure: an action item its teammate reads (with the meeting) but may
    # not change.
    countermeasure = action_item_create(
        title="每周多拜访五家客户",
        owner=org_tree.people["rep_east1b"],
        due_date=date(2026, 2, 28),
        origin=ActionOrigin.MEETING,
        source=items["rep_east1b"],
    )
    records.extra.update(
        meeting_actions=[countermeasure],
        policies=[policy, draft],
        scorecard_period=period,
        scorecards=list(period.scorecards.all()),
        meetings=meetings,
        meeting_items=items,
    )
