"""Models of the complaints app (docs/architecture.md): the category tree, cases with
their deadlines and escalation, tasks and photos."""

from .cases import CASE_READERS, Case, CaseNote
from .categories import Category, Trade
from .incidents import Incident
from .knowledge import Article
from .tasks import TASK_READERS, Attachment, Task
from .visits import ReturnVisit

__all__ = [
    "Article",
    "CASE_READERS",
    "TASK_READERS",
    "Attachment",
    "Case",
    "CaseNote",
    "Category",
    "Incident",
    "ReturnVisit",
    "Task",
    "Trade",
]
