"""Every vocabulary and pattern a column or an input is held to, defined once.

The field registry (schemas.fields) states them as constraints, so the pandera
schemas, the Table Schemas, the data dictionary and the pydantic models of the
registry, the specs and the vocabularies all check the same sets and patterns.
"""

from __future__ import annotations

from typing import Literal, get_args

# an id: lower-case words of letters and digits joined by hyphens
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# a year inside a slug ("...-fy2005", "...-2019-..."): time belongs in the period columns
YEAR_IN_SLUG = r"(?:^|-)(?:fy)?(?:19|20)\d\d(?:-|$)"
SHA256 = r"^[0-9a-f]{64}$"
DAY = r"^\d{4}-\d{2}-\d{2}$"
# a publication date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD
PUBLISHED = r"^\d{4}(-\d{2}(-\d{2})?)?$"
URL = r"^https?://\S+$"
ISO_3166 = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"
FIPS = r"^[0-9]{2,7}$"

# each unit, and the least value a figure in it can take (a fall is at most 100%)
UNIT_MINIMUM = {"count": 0.0, "percent": 0.0, "percent_change": -100.0, "months": 0.0, "years": 0.0}
UNITS = list(UNIT_MINIMUM)
QUALIFIERS = ["exact", "approximate", "nearly", "at_least", "more_than", "less_than", "at_most"]
FORMS = ["table", "prose"]
LEDGER_STATUSES = ["extracted", "excluded"]
SOURCE_KINDS = ["primary_statistics", "news", "press_release", "advocacy"]
# what a raw file is, told by its bytes (csedata.mediatype): the types the pipeline reads
MediaType = Literal["text/plain", "text/html", "application/pdf"]
MEDIA_TYPES = list(get_args(MediaType))
# who measures: the organisation that counted, not the document that printed the count
PRODUCER_KINDS = [
    "federal_agency",
    "federal_program",
    "task_force",
    "sheriffs_office",
    "police_department",
    "city_government",
    "nonprofit",
    "unknown",
]
PLACE_LEVELS = [
    "worldwide",
    "country",
    "state",
    "region",
    "county",
    "city",
    "federal_judicial_district",
    "platform",
    "unknown",
]
# what period_kind may be, and what each means (csedata.periods reads the wording)
PERIOD_KINDS = {
    "fiscal_year": "a US federal fiscal year, 1 October to 30 September (FY2019)",
    "fiscal_year_range": "from the start of one fiscal year to the end of a later one",
    "calendar_year": "1 January to 31 December",
    "year_range": "from the start of one calendar year to the end of a later one",
    "month": "one calendar month",
    "month_range": "from the start of one month to the end of a later one",
    "point_in_time": "a single day",
    "unknown": "the source states no period (period_start and period_end are null)",
}
