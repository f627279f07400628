"""Dashboard charts: ECharts options and their data tables, built from indicator rows."""
