"""Every check over the assembled tables, by job: the released tables' schemas
(schema), the references between them (references), the arithmetic of the numbers
(arithmetic), the relations the specs declare (relations), and the inconsistencies
reviewers traced to a source (reviews). It reads tables, never raw files: nothing
here extracts (csedata.pipeline does)."""

from csedata.validation.run import TITLE, build_report, failures, first_error, require_valid
from csedata.validation.validated import Checked, Validated, check

__all__ = [
    "TITLE",
    "Checked",
    "Validated",
    "build_report",
    "check",
    "failures",
    "first_error",
    "require_valid",
]
