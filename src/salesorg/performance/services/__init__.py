"""Writes of the performance app: scorecards, incentive policies, sales meetings, rollups."""
