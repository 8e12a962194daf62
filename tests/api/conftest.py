from tests.org.fixtures import english, world_a, world_b  # noqa: F401
