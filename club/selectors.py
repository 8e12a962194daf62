"""selectors of the club app; later issues fill it (see docs/architecture.md)."""
