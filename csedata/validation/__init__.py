"""Every check over the assembled tables, by job: the released tables' schemas
(schema), the references between them (references), the arithmetic of the numbers
(arithmetic), the relations the specs declare (relations), and the inconsistencies
reviewers traced to a source (reviews). It reads tables, never raw files: nothing
here extracts (csedata.pipeline does)."""

from csedata.validation.parts import TITLE
from csedata.validation.run import (
    build_report,
    crossed,
    error_lines,
    first_error,
    require_valid,
)
from csedata.validation.stored import SPLIT, Tables
from csedata.validation.validated import Checked, Part, Validated, check, check_parts

__all__ = [
    "SPLIT",
    "TITLE",
    "Checked",
    "Part",
    "Tables",
    "Validated",
    "build_report",
    "check",
    "check_parts",
    "crossed",
    "error_lines",
    "first_error",
    "require_valid",
]
