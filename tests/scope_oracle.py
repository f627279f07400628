"""What each role may see in the org_tree fixture, written out by hand (SPEC §1).

The scoping matrix compares every endpoint against this, never against
`visible_to` itself.
"""

EVERYONE = "*"

PEOPLE = {
    "rep_east1a": {"REP-east1a"},
    "rep_former": {"REP-former"},
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
    raise LookupError(f"The scope oracle has no entry for {model.__name__}: add one.")
