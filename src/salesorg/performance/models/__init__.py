"""Models of the performance app: incentive policies, scorecards, sales meetings."""

from salesorg.performance.models.meetings import *  # noqa: F403
from salesorg.performance.models.policies import *  # noqa: F403
from salesorg.performance.models.rollups import *  # noqa: F403
from salesorg.performance.models.scorecards import *  # noqa: F403
