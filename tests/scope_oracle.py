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
}
CATALOGUE = {"sales.Category", "sales.Product", "sales.VisitPurpose", "sales.ChecklistStep"}


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
    if label in CATALOGUE:
        return set() if role_key == "rep_former" else set(model.objects.all())
    if label in RECORD_OWNER:
        return pick(model.objects.all(), RECORD_PEOPLE[role_key], RECORD_OWNER[label])
    if label == "targets.Target":
        return _targets(role_key)
    raise LookupError(f"The scope oracle has no entry for {model.__name__}: add one.")


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


def writers_of(model) -> dict:
    """Role → whose records of `model` the role may write (EVERYONE or person codes)."""
    label = model._meta.label
    if label.startswith("org."):
        return ORG_WRITERS
    if label in ("sales.Invoice", "sales.Payment"):
        return RECEIVABLE_WRITERS
    if label in ("sales.Visit", "sales.Expense"):
        return OWN_WRITERS
    if label in RECORD_OWNER:
        return TEAM_WRITERS
    return CONFIG_WRITERS


def writable_objects(model, role_key: str, *, permission_model=None) -> set:
    """The objects of `model` that `role_key` may change (or, with `permission_model`,
    whose records of that other model the role may create, e.g. payments of an invoice)."""
    writers = writers_of(permission_model or model).get(role_key, set())
    objects = model.objects.all()
    if writers == EVERYONE:
        return set(objects)
    path = RECORD_OWNER.get(model._meta.label)
    if path is None:
        return set()
    return set(objects.filter(**{f"{path}__in": writers}))
