"""The KPI engine: indicator tables of KPI.md from set-based reads of facts and rollups."""
