"""Faults planted in the real tables are errors of the validation report: a quote without
its value, a repeated id, a dangling reference, a page where there is none."""

from __future__ import annotations

import pandas as pd
from conftest import Checked

from csedata import validation


def test_quote_without_its_value_is_an_error(
    checked: Checked,
) -> None:
    root, frames, declared = checked
    obs = frames["observations"].copy()
    smartphone = obs["observation_id"].str.endswith(
        "method-of-production/smartphone-or-tablet/count"
    )
    obs.loc[smartphone, "value_text"] = "421"  # "241" is what the quote holds
    report = validation.build_report(root, {**frames, "observations": obs}, declared)
    errors = [(c.name, f.where) for c, f in report.failures("error")]
    row = "row 'ussc-2021-production/method-of-production/smartphone-or-tablet/count'"
    assert ("quote_holds_value", row) in errors
    failing = next(c for c in report.checks if c.name == "quote_holds_value")
    assert failing.status == "failed" and failing.severity == "error" and failing.failed == 1
    assert failing.failures[0].quotes[0].quote == "Smartphone or Tablet\t241\t47.1%"


def test_a_repeated_id_and_a_dangling_reference_are_errors(checked: Checked) -> None:
    root, frames, declared = checked
    obs, ledger = frames["observations"].copy(), frames["ledger"].copy()
    assert isinstance(obs["observation_id"].dtype, pd.ArrowDtype)  # the id is held in Arrow
    first, second = obs["observation_id"].iloc[:2]
    obs.loc[1, "observation_id"] = first
    ledger.loc[ledger["observation_id"] == second, "observation_id"] = "nowhere/t/c/count"
    report = validation.build_report(
        root, {**frames, "observations": obs, "ledger": ledger}, declared
    )
    failed = {c.name: c for c in report.checks if c.status == "failed" and c.kind == "schema"}
    assert failed["observation_id.unique"].failed == 2  # both rows that carry it
    assert failed["observation_id.unique"].failures[0].values == {"found": first}
    dangling = failed["ledger.observation_id-reference"]
    assert dangling.failures[0].values == {"found": "nowhere/t/c/count"}
    assert dangling.failed == (frames["ledger"]["observation_id"] == second).sum()


def test_a_page_is_set_exactly_for_a_pdf_source_and_from_1(checked: Checked) -> None:
    root, frames, declared = checked
    obs, sources = frames["observations"], frames["sources"]
    # the real build passes (test_real_sources_have_no_errors...): plant one of each fault
    unpaged = sources.loc[sources["media_type"] != "application/pdf", "source_id"]
    text_source, pdf_source = unpaged.iloc[:2]
    paged = obs.copy()
    on_text = paged.index[paged["source_id"] == text_source]
    paged.loc[on_text[0], "page"] = 0  # a page where there are none, and not from 1
    pdf = sources.copy()
    pdf.loc[pdf["source_id"] == pdf_source, "media_type"] = "application/pdf"  # none paged
    report = validation.build_report(
        root, {**frames, "observations": paged, "sources": pdf}, declared
    )
    failed = {c.name: c for c in report.checks if c.status == "failed" and c.kind == "schema"}
    assert sorted(failed) == ["observations.page-reference", "page.greater_than_or_equal_to"]
    assert failed["page.greater_than_or_equal_to"].failed == 1
    found = {f.values["found"] for f in failed["observations.page-reference"].failures}
    assert found == {f"{text_source} (paged)", f"{pdf_source} (no page)"}
