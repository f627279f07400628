"""Records of this area for the scoping matrix (called by the org_records fixture)."""


def add_records(records, org_tree) -> None:
    """Add one record per rep (or per team) of each scoped model, in `records.extra`."""
    add_training_records(records, org_tree)
    add_coaching_records(records, org_tree)


def add_training_records(records, org_tree) -> None:
    """Materials (one with a quiz, one unpublished), an assignment and a recognition post per
    rep (praised by their manager, linked to their order)."""
    from datetime import date

    from salesorg.development.models import Assignment, Material, QuizOption, QuizQuestion
    from salesorg.development.services.culture import recognition_create

    material = Material.objects.create(code="MAT-A", title="销售技巧", topic="selling_skills")
    question = QuizQuestion.objects.create(material=material, number=1, text="拜访前要做什么？")
    QuizOption.objects.create(question=question, text="准备", is_correct=True)
    QuizOption.objects.create(question=question, text="不准备")
    draft = Material.objects.create(
        code="MAT-DRAFT", title="草稿", topic="collections", is_published=False
    )
    records.extra["materials"] = [material, draft]
    records.extra["assignments"] = {}
    records.extra["recognitions"] = {}
    for key, rep in org_tree.people.items():
        if not key.startswith("rep_") or key == "rep_former":
            continue
        records.extra["assignments"][key] = Assignment.objects.create(
            person=rep, material=material, due_date=date(2026, 1, 31)
        )
        records.extra["recognitions"][key] = recognition_create(
            person=rep,
            title=f"{rep.code} 本月回款第一",
            actor=rep.manager.user,
            order=records.orders[key],
        )


def add_coaching_records(records, org_tree) -> None:
    """Per rep: a coaching session by their manager, a review of their visit, a training
    proposal and a personnel review filed by their manager (awaiting the region head)."""
    from datetime import date
    from decimal import Decimal

    from salesorg.development.models import (
        CoachingComment,
        CoachingSession,
        Handover,
        JointVisitReview,
        Material,
        PersonnelReview,
        RubricScore,
        TrainingProposal,
        TrainingRule,
    )
    from salesorg.development.selectors.joint_visits import default_rubric

    material = Material.objects.create(code="MAT-COLLECT", title="回款技巧", topic="collections")
    rule = TrainingRule.objects.create(
        name="回款率低于80%",
        indicator="collection_rate",
        comparison="lt",
        threshold=Decimal("80"),
        material=material,
    )
    rubric = default_rubric()
    criterion = rubric.criteria.order_by("position").first()
    for name in (
        "coaching_sessions",
        "joint_reviews",
        "proposals",
        "personnel_reviews",
        "handovers",
    ):
        records.extra[name] = {}
    for key, rep in org_tree.people.items():
        if not key.startswith("rep_") or key == "rep_former":
            continue
        manager = rep.manager
        records.extra["coaching_sessions"][key] = CoachingSession.objects.create(
            person=rep,
            coach=manager,
            session_date=date(2026, 1, 10),
            weaknesses=f"{rep.code} 的弱点",
            improvement_plan="每周多拜访两家客户",
        )
        CoachingComment.objects.create(
            session=records.extra["coaching_sessions"][key], author=rep, text="同意"
        )
        review = JointVisitReview.objects.create(
            visit=records.visits[key],
            rubric=rubric,
            reviewer=manager,
            improvements="多问开放式问题",
            average_score=Decimal("3.00"),
        )
        RubricScore.objects.create(review=review, criterion=criterion, score=3)
        records.extra["joint_reviews"][key] = review
        records.extra["proposals"][key] = TrainingProposal.objects.create(
            person=rep,
            rule=rule,
            material=material,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            value=Decimal("40"),
        )
        records.extra["personnel_reviews"][key] = PersonnelReview.objects.create(
            person=rep,
            filed_by=manager,
            stage="试用期",
            outcome="continue",
            approver=manager.manager,
        )
        records.extra["handovers"][key] = Handover.objects.create(
            person=rep, leave_date=date(2026, 12, 31), done_by=manager
        )
