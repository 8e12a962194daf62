"""services of the complaints app; later issues fill it (see docs/architecture.md)."""
