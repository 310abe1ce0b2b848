"""The extraction cache is keyed on content: raw sha256, spec and code (no Prefect)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from csedata import batches, codedigest, pipeline, snapshots
from csedata.registry import load_registry

SID = "advocacy-fact-page"


def extract(project: Path) -> tuple[Path, bool]:
    batch = pipeline.extract_batch(project, [load_registry(project)[SID]])
    return batch.path, batch.cached


def test_same_content_is_not_extracted_again(project: Path) -> None:
    first, cached = extract(project)
    assert not cached
    assert extract(project) == (first, True)
    # persisted as Arrow IPC files and the declarations as JSON, nothing else (no pickle)
    files = [p.name for p in (project / batches.CACHE).rglob("*") if p.is_file()]
    assert sorted(files) == ["declarations.json", "ledger.arrow", "observations.arrow"]


def test_changed_spec_is_extracted_again(project: Path) -> None:
    first, _ = extract(project)
    spec = project / "flows" / "specs" / f"{SID}.yaml"
    spec.write_text(spec.read_text() + "\n# reviewed\n")
    second, cached = extract(project)
    assert not cached
    assert second != first


def test_new_snapshot_is_extracted_again(project: Path) -> None:
    first, _ = extract(project)
    source = load_registry(project)[SID]
    text = (project / "raw" / source.file).read_bytes()
    snapshots.store(project, source, b"Reviewed page.\n" + text, "text/plain", date(2030, 1, 2))
    second, cached = extract(project)
    assert not cached
    assert second != first
    assert extract(project) == (second, True)


def test_code_digest_follows_the_code(tmp_path: Path) -> None:
    copies = tuple(shutil.copytree(d, tmp_path / d.name) for d in codedigest.CODE_DIRS)
    assert codedigest.digest_of(copies) == codedigest.code_digest()
    extract_py = copies[0] / "extract.py"
    extract_py.write_text(extract_py.read_text() + "\n# changed\n")
    assert codedigest.digest_of(copies) != codedigest.code_digest()
    schema_py = copies[1] / "observations.py"
    restored = tuple(shutil.copytree(d, tmp_path / "again" / d.name) for d in codedigest.CODE_DIRS)
    schema_py.write_text(schema_py.read_text() + "\n# changed\n")
    assert codedigest.digest_of((restored[0], copies[1], restored[2])) != codedigest.code_digest()


def test_code_digest_covers_templates_but_not_specs_or_bytecode(tmp_path: Path) -> None:
    """Every file that shapes a release is code (the report's template too); the specs are
    hashed apart and bytecode only mirrors the modules."""
    copies = tuple(shutil.copytree(d, tmp_path / d.name) for d in codedigest.CODE_DIRS)
    assert codedigest.digest_of(copies) == codedigest.code_digest()
    cache = copies[0] / "__pycache__" / "stray.cpython-311.pyc"
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(b"\0")
    spec = next((copies[2] / "specs").glob("*.yaml"))
    spec.write_text(spec.read_text() + "\n# changed\n")
    assert codedigest.digest_of(copies) == codedigest.code_digest()
    template = copies[0] / "report" / "templates" / "report.html.j2"
    template.write_text(template.read_text() + "\n")
    assert codedigest.digest_of(copies) != codedigest.code_digest()


def test_code_digest_covers_subpackages(tmp_path: Path) -> None:
    """The prepare stage's converters (csedata/prepare/) shape what is extracted too."""
    copies = tuple(shutil.copytree(d, tmp_path / d.name) for d in codedigest.CODE_DIRS)
    converter = copies[0] / "prepare" / "pdfreport.py"
    converter.write_text(converter.read_text() + "\n# changed\n")
    assert codedigest.digest_of(copies) != codedigest.code_digest()
