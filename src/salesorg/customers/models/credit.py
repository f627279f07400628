"""credit models of the customers app."""

__all__: list[str] = []
