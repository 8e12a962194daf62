"""Reading a customer file (.xlsx or .csv) into rows, and the shape of each cell.

Nothing here touches the database: `customers.services.imports` adds the checks that
need it (existing mobiles, projects, units) and writes through the services. A cell
that holds a formula is reported, never evaluated."""

from .cells import FORMULA_STARTS, clean_cells
from .columns import (
    BY_FIELD,
    COLUMNS,
    CUSTOMER_FIELDS,
    OWNERSHIP_FIELDS,
    Column,
    ImportRefused,
    map_columns,
)
from .limits import MAX_BYTES, MAX_ROWS, check_upload
from .reading import extract_rows, read_file

__all__ = [
    "BY_FIELD",
    "COLUMNS",
    "CUSTOMER_FIELDS",
    "FORMULA_STARTS",
    "MAX_BYTES",
    "MAX_ROWS",
    "OWNERSHIP_FIELDS",
    "Column",
    "ImportRefused",
    "check_upload",
    "clean_cells",
    "extract_rows",
    "map_columns",
    "read_file",
]
