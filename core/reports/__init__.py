"""The monthly analysis (core.monthly_report): computed in SQL, shown as JSON and as a page."""
