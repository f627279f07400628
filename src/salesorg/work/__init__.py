"""Follow-up work every domain hands out: action items (行动项), created and moved through
their states in one place. A package of services, not an app: the ActionItem table belongs
to the targets app's schema (its migration history), which every layer may read."""
