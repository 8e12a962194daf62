"""Organisation pages: role homes, group administration, places (read-only)."""
