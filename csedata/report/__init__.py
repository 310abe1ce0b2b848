"""The validation report: its model (every check that ran), its Markdown and HTML pages,
its charts and its files. It knows nothing of how the checks run (csedata.validation)."""

from csedata.report.charts import share_charts
from csedata.report.files import REPORT_FILES, render, store_report, write_report
from csedata.report.markdown import markdown, table_rows
from csedata.report.model import (
    KINDS,
    LISTED,
    SEVERITIES,
    Chart,
    ChartRow,
    CheckResult,
    Failure,
    Kind,
    Quote,
    Report,
    Severity,
    Status,
    Summary,
    headline,
    summarize,
)

__all__ = [
    "KINDS",
    "LISTED",
    "REPORT_FILES",
    "SEVERITIES",
    "Chart",
    "ChartRow",
    "CheckResult",
    "Failure",
    "Kind",
    "Quote",
    "Report",
    "Severity",
    "Status",
    "Summary",
    "headline",
    "markdown",
    "render",
    "share_charts",
    "store_report",
    "summarize",
    "table_rows",
    "write_report",
]
