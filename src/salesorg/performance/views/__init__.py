"""Pages of the performance app: indicators, dashboards, scorecards and policies, meetings."""
