"""views of the customers app; later issues fill it (see docs/architecture.md)."""
