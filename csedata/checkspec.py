"""What a source's spec still leaves unexplained: every number token of its prepared
text that is neither extracted nor excluded, each with its place and sentence.

A release stops on the first such token (csedata.ledger); while a maintainer turns a
draft spec (csedata.draftspec) into a real one, `csedata check-spec ID` lists them
all, so each can be made a figure, a table's cell or an exclusion in one pass. It
reads, checks the vocabulary ids and extracts, as a release does, but writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from csedata.draftspec import context
from csedata.extract import extract
from csedata.ledger import account
from csedata.prepare.dispatch import prepare
from csedata.registry import load_registry, select
from csedata.spec import load_patterns, load_spec, spec_path
from csedata.text import place
from csedata.vocabularies import load_vocabularies


@dataclass(frozen=True)
class Unexplained:
    """A number token no spec entry or shared pattern accounts for."""

    token: str
    place: str  # line, column and character offset in the prepared text
    sentence: str  # or the table row it is a cell of

    def line(self) -> str:
        return f"{self.place}: {self.token!r} in {self.sentence!r}"


@dataclass(frozen=True)
class SpecCoverage:
    """How much of its source's number tokens a spec explains."""

    spec: str  # the spec's path, relative to the project
    extracted: int
    excluded: int
    unexplained: list[Unexplained]

    def headline(self) -> str:
        explained = f"{self.extracted} extracted, {self.excluded} excluded"
        if not self.unexplained:
            return f"{self.spec}: every number token explained ({explained})"
        left = len(self.unexplained)
        total = self.extracted + self.excluded + left
        return f"{self.spec}: {left} of {total} number tokens unexplained ({explained})"


def check_spec(root: Path, source_id: str) -> SpecCoverage:
    """The source's spec against its prepared text; CsedataError where an entry fails."""
    (source,) = select(load_registry(root), [source_id]).values()
    prepared = prepare(root, source)
    text = prepared.text
    spec = load_spec(root, source_id)
    # as a release checks it (csedata.pipeline), so a spec check-spec passes is released
    load_vocabularies(root).check_spec(spec, f"flows/specs/{source_id}.yaml")
    found = extract(source, spec, text, prepared.pages)
    rows, left = account(source_id, text, spec, load_patterns(root), found)
    extracted = sum(1 for row in rows if row["status"] == "extracted")
    return SpecCoverage(
        str(spec_path(root, source_id).relative_to(root)),
        extracted,
        len(rows) - extracted,
        [Unexplained(m.group(), place(text, m.start()), context(text, *m.span())) for m in left],
    )
