"""pdca models of the targets app."""

__all__: list[str] = []
