"""models of the surveys app; later issues fill it (see docs/architecture.md)."""
