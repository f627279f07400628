"""training models of the development app."""

__all__: list[str] = []
