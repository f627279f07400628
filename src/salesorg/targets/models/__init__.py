"""Models of the targets app: targets and action items (base), goals and plans (plans),
quarterly reviews (reviews), PDCA and standards (pdca), revisions of a published plan
(revisions)."""

from salesorg.targets.models.base import ActionItem, ActionItemQuerySet, Target, TargetQuerySet
from salesorg.targets.models.pdca import *  # noqa: F403
from salesorg.targets.models.plans import *  # noqa: F403
from salesorg.targets.models.reviews import *  # noqa: F403
from salesorg.targets.models.revisions import *  # noqa: F403

__all__ = ["ActionItem", "ActionItemQuerySet", "Target", "TargetQuerySet"]
