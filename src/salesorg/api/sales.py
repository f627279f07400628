"""Sales endpoints (see the router's operations)."""

from ninja import Router

router = Router(tags=["sales"])
