"""views of the handover app; later issues fill it (see docs/architecture.md)."""
