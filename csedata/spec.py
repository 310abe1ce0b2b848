"""Extraction specs: what to take from each source, kept as data in flows/specs/.

One YAML file per source declares its tables, its prose figures, the number
tokens it deliberately leaves out, the relations its figures must bear out
(``checks:``) and the inconsistencies a reviewer traced to the source itself.
The models here only check the shape of that data; the meaning (does the quote
still match? do the figures agree?) is checked against the raw text by
csedata.extract and csedata.ledger, and against the numbers by csedata.validation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from csedata import periods, yamltext
from csedata.errors import CsedataError
from schemas.models import Strict, one_of
from schemas.terms import SLUG, UNITS, YEAR_IN_SLUG

SPEC_DIR = Path("flows") / "specs"
CROSS_SOURCE = "_cross_source.yaml"
M = TypeVar("M", bound=BaseModel)
_PART = SLUG.removeprefix("^").removesuffix("$")
# a figure of this spec ("production-offenders-fy2005"), or a table cell
# "table-id/category/unit"; in _cross_source.yaml each is prefixed "source-id:"
REF = rf"^({_PART}:)?{_PART}(/{_PART}/[a-z_]+)?$"
UNIT = Annotated[str, one_of(UNITS)]


MeasureId = Annotated[str, Field(pattern=SLUG)]


class Context(Strict):
    """What a statistic is about; set per table or figure, defaults per spec."""

    # an id in flows/vocabularies/measures.yaml, or one per unit (a table's N and %)
    measure: MeasureId | dict[UNIT, MeasureId] | None = None
    universe: str | None = None
    period: str | None = None  # read by csedata.periods: a wording it does not know fails here
    jurisdiction: str | None = None
    # ids in flows/vocabularies/ (csedata.vocabularies): who measured it, and where
    producer: str | None = Field(default=None, pattern=SLUG)
    place: str | None = Field(default=None, pattern=SLUG)

    @field_validator("period")
    @classmethod
    def _period_reads(cls, value: str | None) -> str | None:
        periods.parse(value)
        return value


def _sentence_case(title: str) -> str:
    """A display title starts with a capital and is not shouted (labels stay verbatim)."""
    if not title[:1].isupper() or title.isupper():
        raise ValueError(f"title {title!r} is not in sentence case")
    return title


Title = Annotated[str, Field(min_length=1), AfterValidator(_sentence_case)]


class TableSpec(Context):
    """A tab-separated table: title line, header row, one row per category."""

    table_id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    columns: dict[str, UNIT]
    total: str
    responses: Literal["exclusive", "multi"]
    row_titles: dict[str, Title]  # row label as printed -> display title, every row
    parents: dict[str, str] = Field(default_factory=dict)


class FigureSpec(Context):
    """A figure in prose: an exact quote (found once) and the value text inside it."""

    id: str = Field(pattern=SLUG)
    table_id: str = Field(pattern=SLUG)
    # what it counts within the table, without a year; the id (which names it in the
    # observation id and in checks) when not given
    category: str | None = Field(default=None, pattern=SLUG)
    quote: str = Field(min_length=1)
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)
    title: Title
    unit: UNIT | None = None
    parent: str | None = Field(default=None, pattern=SLUG)
    multi_response: bool = False
    direction: Literal["increase", "decrease"] | None = None  # percent_change only
    note: str | None = None

    @model_validator(mode="after")
    def _no_year_in_category(self) -> FigureSpec:
        if re.search(YEAR_IN_SLUG, self.category_slug):
            raise ValueError(
                f"category {self.category_slug!r} holds a year: give a category without it "
                "(the period tells the figures apart)"
            )
        return self

    @property
    def category_slug(self) -> str:
        return self.category or self.id


class Exclusion(Strict):
    """Number tokens left out on purpose: every token inside ``within``."""

    within: str = Field(min_length=1)
    reason: Literal[
        "year",
        "event-date",
        "case-story",
        "contact",
        "section",
        "restated",
        "period-length",
        "statutory-rule",
        "name",
        "non-statistical",
    ]
    note: str | None = None
    count: int = Field(default=1, ge=1)


Ref = Annotated[str, Field(pattern=REF)]


class _Declared(Strict):
    """A relation between figures the numbers must bear out (csedata.validation.relations)."""

    id: str = Field(pattern=SLUG)
    note: str | None = None


class SameFigure(_Declared):
    """Figures that state one quantity, in one unit or in months and years."""

    kind: Literal["same"]
    figures: list[Ref] = Field(min_length=2)


class Change(_Declared):
    """A percent change and the two end points it was computed from."""

    kind: Literal["change"]
    start: Ref
    end: Ref
    change: Ref


class Share(_Declared):
    """A share of a whole: part / whole x 100; with no part, some whole count must give it."""

    kind: Literal["share"]
    whole: Ref
    share: Ref
    part: Ref | None = None


class Exclusive(_Declared):
    """Shares of one universe that exclude one another: they sum to 100."""

    kind: Literal["exclusive"]
    shares: list[Ref] = Field(min_length=2)


Relation = Annotated[SameFigure | Change | Share | Exclusive, Field(discriminator="kind")]


def _unique_ids(relations: list[Relation]) -> list[Relation]:
    ids = [r.id for r in relations]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"id {twice[0]!r} is declared twice")
    return relations


class Inconsistency(Strict):
    """A check the source itself fails, reviewed: reported as a warning, not an error.

    ``check`` is a declared relation's id or the name of a table check
    (csedata.validation.arithmetic), then with the ``table_id`` and ``category`` it fails on.
    """

    check: str = Field(pattern=SLUG)
    table_id: str | None = Field(default=None, pattern=SLUG)
    category: str | None = Field(default=None, pattern=SLUG)
    note: str = Field(min_length=1)


class Spec(Strict):
    source_id: str = Field(pattern=SLUG)
    defaults: Context = Context()
    tables: list[TableSpec] = Field(default_factory=list)
    figures: list[FigureSpec] = Field(default_factory=list)
    exclude: list[Exclusion] = Field(default_factory=list)
    checks: list[Relation] = Field(default_factory=list)
    inconsistencies: list[Inconsistency] = Field(default_factory=list)

    _checks_unique = field_validator("checks")(_unique_ids)

    def declarations(self, case_story_words: list[str]) -> Declarations:
        return Declarations(
            checks=self.checks,
            inconsistencies=self.inconsistencies,
            case_story_words=case_story_words,
        )


class CrossSource(Strict):
    """Relations between figures of different sources (flows/specs/_cross_source.yaml), and
    the disagreements among them a reviewer has traced to the sources (``check``: an id)."""

    checks: list[Relation] = Field(default_factory=list)
    inconsistencies: list[Inconsistency] = Field(default_factory=list)


class PatternExclusion(Strict):
    pattern: str
    reason: str
    note: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        """A bad pattern stops the load with its entry named, not the ledger with a traceback."""
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from exc
        return pattern


class Patterns(Strict):
    """Exclusions that hold in every source (years, phone numbers, sections)."""

    exclude_patterns: list[PatternExclusion]


def spec_path(root: Path, source_id: str) -> Path:
    return root / SPEC_DIR / f"{source_id}.yaml"


def _load_yaml(root: Path, path: Path, where: str) -> Any:
    if not path.is_file():
        raise CsedataError(where, "file not found")
    return yamltext.load(root, path, where)


def _ident(node: dict[str, Any]) -> Any:
    """What names an entry: its id, else its first *_id (table_id, place_id...)."""
    return node.get("id") or next((v for k, v in node.items() if k.endswith("_id")), None)


def _describe(exc: ValidationError, data: Any) -> str:
    err = exc.errors()[0]
    loc = err["loc"]
    # name the entry by its id where there is one: "figures[3] (prepubescent-victims)"
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            parts[-1] += f"[{key}]"
            node = node[key] if isinstance(node, list) and key < len(node) else None
            ident = _ident(node) if isinstance(node, dict) else None
            if ident:
                parts[-1] += f" ({ident})"
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    field = ".".join(parts) or "spec"
    return f"{field}: {'missing' if err['type'] == 'missing' else err['msg']}"


class Declarations(Strict):
    """What validation needs of a spec: its declared relations and reviewed inconsistencies.

    Extraction, which loads every spec whole, keeps these in its batch's cache entry
    (csedata.pipeline), so validation reads no spec again.
    """

    checks: list[Relation] = Field(default_factory=list)
    inconsistencies: list[Inconsistency] = Field(default_factory=list)
    # words that look like names of the people in its case stories (csedata.privacy)
    case_story_words: list[str] = Field(default_factory=list)

    _checks_unique = field_validator("checks")(_unique_ids)


def load_model(root: Path, path: Path, model: type[M]) -> M:
    where = str(path.relative_to(root))
    data = _load_yaml(root, path, where)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CsedataError(where, _describe(exc, data)) from exc


def load_spec(root: Path, source_id: str) -> Spec:
    spec = load_model(root, spec_path(root, source_id), Spec)
    if spec.source_id != source_id:
        where = str(spec_path(root, source_id).relative_to(root))
        raise CsedataError(where, f"source_id {spec.source_id!r} does not match the file name")
    return spec


def load_patterns(root: Path) -> Patterns:
    return load_model(root, root / SPEC_DIR / "_patterns.yaml", Patterns)


def load_cross_source(root: Path) -> CrossSource:
    """The cross-source relations; none when the file does not exist."""
    if not (root / SPEC_DIR / CROSS_SOURCE).is_file():
        return CrossSource()
    return load_model(root, root / SPEC_DIR / CROSS_SOURCE, CrossSource)
