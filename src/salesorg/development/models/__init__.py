"""Models of the development app: training library, assignments and culture (training),
coaching, joint-visit reviews and personnel reviews (coaching)."""

from salesorg.development.models.coaching import *  # noqa: F403
from salesorg.development.models.coaching_plan import *  # noqa: F403
from salesorg.development.models.handover import *  # noqa: F403
from salesorg.development.models.training import *  # noqa: F403
