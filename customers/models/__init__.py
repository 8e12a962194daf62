"""Customer master data (DOMAIN §2), ownership, visits, the 6+2 lifecycle and the
public project pages, one module per sub-domain; everything is importable from here."""

from .customer import (
    CONSENT_FIELDS,
    CUSTOMER_READERS,
    NAME_LENGTH,
    PINYIN_LETTERS,
    PROFILE_FIELDS,
    Customer,
    IdReveal,
    LifecycleStep,
    Tag,
)
from .disclosure import ProgressMilestone, RiskItem
from .exports import EXPORTS_FOLDER, ExportJob
from .imports import ImportBatch, import_file_path
from .ownership import Ownership
from .segments import Segment
from .visits import RevisitTask, Visit
from .workpoints import WorkPoint, WorkPointCheck

__all__ = [
    "CONSENT_FIELDS",
    "CUSTOMER_READERS",
    "EXPORTS_FOLDER",
    "PROFILE_FIELDS",
    "NAME_LENGTH",
    "PINYIN_LETTERS",
    "Customer",
    "ExportJob",
    "IdReveal",
    "ImportBatch",
    "LifecycleStep",
    "Ownership",
    "ProgressMilestone",
    "RevisitTask",
    "RiskItem",
    "Segment",
    "Tag",
    "Visit",
    "WorkPoint",
    "WorkPointCheck",
    "import_file_path",
]
