"""Models of the performance app: incentive policies, scorecards, sales meetings."""
