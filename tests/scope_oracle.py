"""What each role may see in the org_tree fixture, written out by hand (SPEC §1).

People who have left the company (rep_former) see nothing at all, whatever login or
token they still hold.

The scoping matrix compares every endpoint against this, never against
`visible_to` itself.
"""

EVERYONE = "*"

PEOPLE = {
    "rep_east1a": {"REP-east1a"},
    "rep_former": set(),
    "manager_east1": {"MGR-east1", "REP-east1a", "REP-east1b"},
    "head_east": {
        "HEAD-east",
        "MGR-east1",
        "MGR-east2",
        "REP-east1a",
        "REP-east1b",
        "REP-east2a",
        "REP-east2b",
    },
    "director": EVERYONE,
    "admin": EVERYONE,
    "finance": EVERYONE,
    "trainer": EVERYONE,
}

TEAMS = {
    "rep_east1a": {"EAST1"},
    "rep_former": set(),
    "manager_east1": {"EAST1"},
    "head_east": {"EAST1", "EAST2"},
    "director": EVERYONE,
    "admin": EVERYONE,
    "finance": EVERYONE,
    "trainer": EVERYONE,
}

REGIONS = {
    "rep_east1a": {"EAST"},
    "rep_former": set(),
    "manager_east1": {"EAST"},
    "head_east": {"EAST"},
    "director": EVERYONE,
    "admin": EVERYONE,
    "finance": EVERYONE,
    "trainer": EVERYONE,
}

ROLES = list(PEOPLE)

# Whose sales, customer and receivable records each role sees: the person; their team
# manager while they are a current member; the region head of that team's region;
# director, admin and finance see all; trainers see none.
RECORD_PEOPLE = {
    "rep_east1a": {"REP-east1a"},
    "rep_former": set(),
    "manager_east1": {"MGR-east1", "REP-east1a", "REP-east1b"},
    "head_east": PEOPLE["head_east"],
    "director": EVERYONE,
    "admin": EVERYONE,
    "finance": EVERYONE,
    "trainer": set(),
}

# Individual figures (a person's sales, achievement, misses, score) on pages that show a team's
# figures (#21 F13): on a sales meeting of a team they see (SalesMeeting below: its members and
# leaders), everyone on the agenda, since the meeting is where the team discusses everyone's
# figures; on every other page (the team period report, KPI, dashboards, scorecards) only the
# people whose records they see (RECORD_PEOPLE): a rep their own.
FIGURE_PAGES = ("meeting", "report")


def figure_people(role_key: str, *, page: str, team_code: str):
    """Whose individual figures `role_key` sees on `page` about the team `team_code`
    (EVERYONE: all the team's people)."""
    if page not in FIGURE_PAGES:
        raise LookupError(f"The scope oracle has no rule for figures on {page!r}: add one.")
    if page == "meeting":
        teams = TARGET_TEAMS[role_key]
        return EVERYONE if teams == EVERYONE or team_code in teams else set()
    return RECORD_PEOPLE[role_key]


# Targets of teams and regions: those of the user's own or led teams and their regions.
TARGET_TEAMS = {
    "rep_east1a": {"EAST1"},
    "rep_former": set(),
    "manager_east1": {"EAST1"},
    "head_east": {"EAST1", "EAST2"},
    "director": EVERYONE,
    "admin": EVERYONE,
    "finance": EVERYONE,
    "trainer": set(),
}
TARGET_REGIONS = {
    "rep_east1a": {"EAST"},
    "rep_former": set(),
    "manager_east1": {"EAST"},
    "head_east": {"EAST"},
    "director": EVERYONE,
    "admin": EVERYONE,
    "finance": EVERYONE,
    "trainer": set(),
}

# Who may write (sales/permissions.py states the rule; this is it written out by hand):
# whose records, by record family.
TEAM_WRITERS = {
    "manager_east1": RECORD_PEOPLE["manager_east1"],
    "head_east": RECORD_PEOPLE["head_east"],
    "director": EVERYONE,
    "admin": EVERYONE,
}
OWN_WRITERS = {**TEAM_WRITERS, "rep_east1a": {"REP-east1a"}}
RECEIVABLE_WRITERS = {"finance": EVERYONE, "director": EVERYONE, "admin": EVERYONE}
CONFIG_WRITERS = {"director": EVERYONE, "admin": EVERYONE}
ORG_WRITERS = {"admin": EVERYONE}

# The path from a record to the code of the person it belongs to.
RECORD_OWNER = {
    "customers.Customer": "owner__code",
    "customers.Contact": "customer__owner__code",
    "sales.Order": "rep__code",
    "sales.OrderLine": "order__rep__code",
    "sales.Invoice": "rep__code",
    "sales.Payment": "invoice__rep__code",
    "sales.Visit": "rep__code",
    "sales.VisitStep": "visit__rep__code",
    "sales.Expense": "rep__code",
    "targets.ActionItem": "owner__code",
    "performance.Scorecard": "person__code",
    "development.Assignment": "person__code",  # (visibility: TRAINING_PEOPLE below)
    "customers.SatisfactionSurvey": "customer__owner__code",
    "customers.SurveyLink": "customer__owner__code",
    "customers.Reward": "customer__owner__code",
    "customers.Referral": "referrer__owner__code",
    "customers.CustomerEvaluation": "customer__owner__code",
    "customers.RootCause": "owner__code",
    "customers.CreditApproval": "order__rep__code",
    "customers.DevelopmentProposal": "rep__code",
    "customers.PipelineItem": "rep__code",
}
CATALOGUE = {"sales.Category", "sales.Product", "sales.VisitPurpose", "sales.ChecklistStep"}

# Training (development app, domain TRAINING): trainers, director and admin see every
# material, assignment and recognition post; others see published materials, the
# assignments of the people they lead (a rep their own; finance only their own) and the
# recognition posts of their own or led teams and of the people they lead.
TRAINING_FULL = {"trainer", "director", "admin"}
TRAINING_PEOPLE = {
    "rep_east1a": {"REP-east1a"},
    "rep_former": set(),
    "manager_east1": PEOPLE["manager_east1"],
    "head_east": PEOPLE["head_east"],
    "finance": {"FINANCE"},
}
TRAINING_TEAMS = {
    "rep_east1a": {"EAST1"},
    "rep_former": set(),
    "manager_east1": {"EAST1"},
    "head_east": {"EAST1", "EAST2"},
    "finance": set(),
}
TRAINING_MODELS = {"development.Material", "development.Assignment", "development.Recognition"}
LIBRARY_WRITERS = {"trainer": EVERYONE, "director": EVERYONE, "admin": EVERYONE}
# Only the assignee completes an assignment.
ASSIGNEE_WRITERS = {
    "rep_east1a": {"REP-east1a"},
    "manager_east1": {"MGR-east1"},
    "head_east": {"HEAD-east"},
    "director": {"DIR"},
    "admin": {"ADMIN"},
    "finance": {"FINANCE"},
    "trainer": {"TRAINER"},
}

# Coaching (development app, domain PERSONNEL): sessions, joint-visit reviews, training
# proposals and personnel reviews are about one person; the person and their leaders see
# them (a rep never another rep's), director and admin all; finance and trainers only their
# own. A personnel review is also seen by its approver. Rubrics are company configuration.
PERSONNEL_PEOPLE = {
    **RECORD_PEOPLE,
    "finance": {"FINANCE"},
    "trainer": {"TRAINER"},
}
PERSONNEL_OWNER = {
    "development.CoachingSession": "person__code",
    "development.CoachingComment": "session__person__code",
    "development.JointVisitReview": "visit__rep__code",
    "development.TrainingProposal": "person__code",
    "development.PersonnelReview": "person__code",
    "development.PositionChange": "person__code",
    "development.Handover": "person__code",
}
# Configuration every login still in the company reads: rubrics, targeted-training rules and
# the customer pipeline's stages and steps.
COACHING_CATALOGUE = {
    "development.Rubric",
    "development.RubricCriterion",
    "development.TrainingRule",
    "customers.PipelineStage",
    "customers.PipelineStep",
}


def visible_objects(model, role_key: str) -> set:
    """The objects of `model` the oracle says `role_key` may see."""
    from salesorg.org.models import Membership, Person, Region, Team

    def pick(queryset, allowed, field):
        if allowed == EVERYONE:
            return set(queryset)
        return set(queryset.filter(**{f"{field}__in": allowed}))

    if model is Person:
        return pick(Person.objects.all(), PEOPLE[role_key], "code")
    if model is Team:
        return pick(Team.objects.all(), TEAMS[role_key], "code")
    if model is Region:
        return pick(Region.objects.all(), REGIONS[role_key], "code")
    if model is Membership:
        return pick(Membership.objects.all(), PEOPLE[role_key], "person__code")
    label = model._meta.label
    if label == "api.ApiToken":  # one's own tokens, whatever one's role
        return set(model.objects.filter(user__username=ROLE_CODES[role_key]))
    if label in CATALOGUE:
        return set() if role_key == "rep_former" else set(model.objects.all())
    if label in TRAINING_MODELS:
        return _training(model, role_key)
    if label in COACHING_CATALOGUE:
        return set() if role_key == "rep_former" else set(model.objects.all())
    if label in PERSONNEL_OWNER:
        return _personnel(model, role_key)
    if label in REVIEW_PDCA_MODELS:
        return _reviews_pdca(label, role_key)
    if label in PERFORMANCE_MODELS:
        return _performance(label, role_key)
    if label in PLAN_MODELS:
        return _plans(label, role_key)
    if label == "targets.ActionItem":
        return _action_items(role_key)
    if label in RECORD_OWNER:
        return pick(model.objects.all(), RECORD_PEOPLE[role_key], RECORD_OWNER[label])
    if label == "targets.Target":
        return _targets(role_key)
    if label == "core.Photo":
        return _photos(lambda record_model: visible_objects(record_model, role_key))
    raise LookupError(f"The scope oracle has no entry for {model.__name__}: add one.")


def _action_items(role_key: str) -> set:
    """An action item is seen with its owner's records; a sales meeting's countermeasure also
    by everyone who sees the meeting (its team's members and leaders), for reading only."""
    from django.db.models import Q

    from salesorg.targets.models import ActionItem

    people, teams = RECORD_PEOPLE[role_key], TARGET_TEAMS[role_key]
    if people == EVERYONE:
        return set(ActionItem.objects.all())
    meeting_items = _meeting_item_ids(teams)
    return set(
        ActionItem.objects.filter(
            Q(owner__code__in=people) | Q(origin="meeting", source_id__in=meeting_items)
        )
    )


def _meeting_item_ids(teams) -> list[int]:
    from salesorg.performance.models import MeetingItem

    return list(
        MeetingItem.objects.filter(meeting__team__code__in=teams).values_list("id", flat=True)
    )


def _targets(role_key: str) -> set:
    from django.db.models import Q

    from salesorg.targets.models import Target

    people, teams = RECORD_PEOPLE[role_key], TARGET_TEAMS[role_key]
    if people == EVERYONE:
        return set(Target.objects.all())
    return set(
        Target.objects.filter(
            Q(owner_type="person", person__code__in=people)
            | Q(owner_type="team", team__code__in=teams)
            | Q(owner_type="region", region__code__in=TARGET_REGIONS[role_key])
        )
    )


def _training(model, role_key: str) -> set:
    from django.db.models import Q

    objects = model.objects.all()
    if role_key in TRAINING_FULL:
        return set(objects)
    label = model._meta.label
    if label == "development.Material":
        return set() if role_key == "rep_former" else set(objects.filter(is_published=True))
    people = TRAINING_PEOPLE[role_key]
    if label == "development.Assignment":
        return set(objects.filter(person__code__in=people))
    return set(
        objects.filter(Q(team__code__in=TRAINING_TEAMS[role_key]) | Q(person__code__in=people))
    )


def _personnel(model, role_key: str) -> set:
    from django.db.models import Q

    objects = model.objects.all()
    people = PERSONNEL_PEOPLE[role_key]
    if people == EVERYONE:
        return set(objects)
    query = Q(**{f"{PERSONNEL_OWNER[model._meta.label]}__in": people})
    if model._meta.label == "development.PersonnelReview" and role_key != "rep_former":
        query |= Q(approver__code=_ROLE_CODES.get(role_key, ""))
    return set(objects.filter(query))


# The person code behind each role key of org_tree.
_ROLE_CODES = {
    "rep_east1a": "REP-east1a",
    "manager_east1": "MGR-east1",
    "head_east": "HEAD-east",
    "director": "DIR",
    "admin": "ADMIN",
    "finance": "FINANCE",
    "trainer": "TRAINER",
}


def _photos(records_of) -> set:
    """The photos whose record is among `records_of(its model)`: a photo is seen with its
    record and added or deleted by whoever may (PHOTO_WRITE_MODEL)."""
    from salesorg.core.models import Photo

    allowed: dict = {}
    found = set()
    for photo in Photo.objects.select_related("content_type"):
        model = photo.content_type.model_class()
        if model not in allowed:
            allowed[model] = records_of(model)
        if photo.object_id in {record.pk for record in allowed[model]}:
            found.add(photo)
    return found


# A visit's photos are added and deleted by whoever writes the visit; a customer's by whoever
# keeps its stakeholders (its owner rep too).
PHOTO_WRITE_MODEL = {"customers.Customer": "customers.Contact"}


def _photo_write_model(record_model):
    from django.apps import apps

    label = PHOTO_WRITE_MODEL.get(record_model._meta.label)
    return apps.get_model(label) if label else None


def writers_of(model) -> dict:
    """Role → whose records of `model` the role may write (EVERYONE or person codes)."""
    label = model._meta.label
    if label.startswith("org."):
        return ORG_WRITERS
    if label in ("sales.Invoice", "sales.Payment"):
        return RECEIVABLE_WRITERS
    if label in ("sales.Visit", "sales.Expense"):
        return OWN_WRITERS
    if label in (
        "customers.Contact",
        "customers.SatisfactionSurvey",
        "customers.SurveyLink",
        "customers.Referral",
    ):
        return OWN_WRITERS  # a rep keeps the stakeholders, surveys and referrals of their own
    if label == "targets.ActionItem":
        return OWN_WRITERS  # a rep sets and closes their own follow-ups
    if label == "development.Material":
        return LIBRARY_WRITERS
    if label == "development.Assignment":
        return ASSIGNEE_WRITERS
    if label == "targets.ResearchNote":
        return RESEARCH_WRITERS
    if label in RECORD_OWNER:
        return TEAM_WRITERS
    return CONFIG_WRITERS


def writable_objects(model, role_key: str, *, permission_model=None) -> set:
    """The objects of `model` that `role_key` may change (or, with `permission_model`,
    whose records of that other model the role may create, e.g. payments of an invoice)."""
    if model._meta.label == "core.Photo":
        return _photos(
            lambda record_model: writable_objects(
                record_model, role_key, permission_model=_photo_write_model(record_model)
            )
        )
    writers = writers_of(permission_model or model).get(role_key, set())
    objects = model.objects.all()
    if writers == EVERYONE:
        return set(objects)
    path = RECORD_OWNER.get(model._meta.label) or WRITE_OWNER.get(model._meta.label)
    if path is None:
        return set()
    return set(objects.filter(**{f"{path}__in": writers}))


# Quarterly reviews (domain PERSONNEL): the rep and their leaders, director and admin; a
# rep never another rep's; finance and trainers have none of their own. PDCA plans and
# their parts (domain SALES) are seen like targets: a person's plan with the person's
# records, a team's or region's with the team's or region's targets; company plans by
# director, admin and finance. Standards: everyone logged in reads the published ones,
# drafts only their proposer, director and admin.
REVIEW_PEOPLE = {**RECORD_PEOPLE, "finance": set(), "trainer": set()}
PDCA_PARTS = {"targets.PdcaMeasure", "targets.PdcaCheck", "targets.PdcaProblem"}
REVIEW_PDCA_MODELS = {
    "targets.QuarterlyReview",
    "targets.PdcaPlan",
    "targets.Standard",
    "targets.StandardVersion",
} | PDCA_PARTS
ROLE_CODES = {
    "rep_east1a": "REP-east1a",
    "rep_former": "REP-former",
    "manager_east1": "MGR-east1",
    "head_east": "HEAD-east",
    "director": "DIR",
    "admin": "ADMIN",
    "finance": "FINANCE",
    "trainer": "TRAINER",
}


def _reviews_pdca(label: str, role_key: str) -> set:
    from django.apps import apps
    from django.db.models import Q

    model = apps.get_model(label)
    objects = model.objects.all()
    if label == "targets.QuarterlyReview":
        people = REVIEW_PEOPLE[role_key]
        return set(objects if people == EVERYONE else objects.filter(rep__code__in=people))
    if label == "targets.Standard":
        if role_key == "rep_former":
            return set()
        if role_key in ("director", "admin"):
            return set(objects)
        return set(objects.filter(Q(is_published=True) | Q(proposed_by__code=ROLE_CODES[role_key])))
    if label == "targets.StandardVersion":  # like standards: approved ones, or one's own draft
        if role_key == "rep_former":
            return set()
        if role_key in ("director", "admin"):
            return set(objects)
        return set(
            objects.filter(Q(approved_by__isnull=False) | Q(proposed_by__code=ROLE_CODES[role_key]))
        )
    prefix = "plan__" if label in PDCA_PARTS else ""
    people, teams = RECORD_PEOPLE[role_key], TARGET_TEAMS[role_key]
    if people == EVERYONE:
        return set(objects)
    return set(
        objects.filter(
            Q(**{f"{prefix}unit_type": "person", f"{prefix}person__code__in": people})
            | Q(**{f"{prefix}unit_type": "team", f"{prefix}team__code__in": teams})
            | Q(
                **{
                    f"{prefix}unit_type": "region",
                    f"{prefix}region__code__in": TARGET_REGIONS[role_key],
                }
            )
        )
    )


# Incentive policies, scorecard periods, sales meetings (performance app): every active
# user reads the published policy versions and the list of scored periods (drafts only
# director and admin); a team's meetings and their agenda items are seen like the team's
# targets (its members and leaders; director, admin and finance all). Scorecards follow
# RECORD_OWNER (a rep only their own). A policy's indicator rules are read with the policy.
PERFORMANCE_MODELS = {
    "performance.IncentivePolicy",
    "performance.PolicyIndicator",
    "performance.ScorecardPeriod",
    "performance.SalesMeeting",
    "performance.MeetingItem",
}


def _performance(label: str, role_key: str) -> set:
    from django.apps import apps

    objects = apps.get_model(label).objects.all()
    if role_key == "rep_former":
        return set()
    if label == "performance.IncentivePolicy":
        if role_key in ("director", "admin"):
            return set(objects)
        return set(objects.filter(status="published"))
    if label == "performance.PolicyIndicator":
        if role_key in ("director", "admin"):
            return set(objects)
        return set(objects.filter(policy__status="published"))
    if label == "performance.ScorecardPeriod":
        return set(objects)
    teams = TARGET_TEAMS[role_key]
    if teams == EVERYONE:
        return set(objects)
    path = "team__code__in" if label == "performance.SalesMeeting" else "meeting__team__code__in"
    return set(objects.filter(**{path: teams}))


# Plans (targets app): research notes, company goals and sales plans are read by everyone
# still in the company, except competitor notes linked to customers, which are read like
# those customers (whoever sees one of them), by their author and by every leader (director,
# admin, region heads, managers; finance sees every customer). Research is written by
# director and admin (all), region heads and managers (their own notes) and reps (their own
# competitor notes); goals and plans by director and admin. Annual
# targets are seen like monthly targets; a unit's decomposition and revisions (with their
# cells) like the unit's targets (the company's by director, admin and finance).
PLAN_CHAIN = {"targets.ResearchNote", "targets.CompanyGoal", "targets.SalesPlan"}
PLAN_MODELS = PLAN_CHAIN | {
    "targets.AnnualTarget",
    "targets.Decomposition",
    "targets.TargetRevision",
    "targets.RevisionCell",
}
RESEARCH_WRITERS = {
    "director": EVERYONE,
    "admin": EVERYONE,
    "manager_east1": {"MGR-east1"},
    "head_east": {"HEAD-east"},
    "rep_east1a": {"REP-east1a"},  # their competitor notes (all the fixture's notes of reps)
}
RESEARCH_READ_ALL = {"director", "admin", "finance", "manager_east1", "head_east"}
WRITE_OWNER = {"targets.ResearchNote": "author__code"}


def _plans(label: str, role_key: str) -> set:
    from django.apps import apps
    from django.db.models import Q

    model = apps.get_model(label)
    objects = model.objects.all()
    if label == "targets.ResearchNote" and role_key not in RESEARCH_READ_ALL:
        return _research_notes(objects, role_key)
    if label in PLAN_CHAIN:
        return set() if role_key == "rep_former" else set(objects)
    if RECORD_PEOPLE[role_key] == EVERYONE:
        return set(objects)
    teams, regions = TARGET_TEAMS[role_key], TARGET_REGIONS[role_key]
    # A revision's cells are seen with the revision, which is seen like its unit's targets.
    prefix = "revision__" if label == "targets.RevisionCell" else ""
    query = Q(**{f"{prefix}owner_type": "team", f"{prefix}team__code__in": teams}) | Q(
        **{f"{prefix}owner_type": "region", f"{prefix}region__code__in": regions}
    )
    if label == "targets.AnnualTarget":
        query |= Q(owner_type="person", person__code__in=RECORD_PEOPLE[role_key])
    return set(objects.filter(query))


def _research_notes(objects, role_key: str) -> set:
    """Notes a rep or trainer reads: every note but competitor notes linked to customers they
    do not see (unless they wrote it)."""
    from django.db.models import Q

    if role_key == "rep_former":
        return set()
    people = RECORD_PEOPLE[role_key]
    linked = objects.filter(kind="competitor", customers__isnull=False)
    hidden = linked.exclude(customers__owner__code__in=people).exclude(
        author__code=ROLE_CODES[role_key]
    )
    return set(objects.exclude(Q(pk__in=hidden.values("pk"))))
