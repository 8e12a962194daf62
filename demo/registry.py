"""Each app contributes its demo data through a `demo.py` module with a
`seed(ctx)` function; seed_demo calls them in the order of INSTALLED_APPS, so the
organisation exists before customers, customers before complaints, and so on.
Every seeder must be idempotent: a second run adds nothing."""

import importlib
from dataclasses import dataclass, field

from django.apps import apps


@dataclass
class SeedContext:
    scale: int = 1
    stdout: object = None
    data: dict = field(default_factory=dict)  # what earlier seeders made, by name

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)


def seeders():
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        yield config.name, module.seed
