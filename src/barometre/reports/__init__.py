"""Charts and reports made from the core's results (no web, no database)."""
