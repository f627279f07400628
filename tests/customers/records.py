"""Records of this area for the scoping matrix (called by the org_records fixture)."""


def add_records(records, org_tree) -> None:
    """Add one record per rep (or per team) of each scoped model, in `records.extra`."""
