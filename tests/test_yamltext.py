"""csedata.yamltext builds from libyaml's events what PyYAML's safe loader builds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from csedata import yamltext
from csedata.errors import CsedataError

ROOT = Path(__file__).resolve().parents[1]

# plain scalars YAML 1.1 types (PyYAML's resolver), the same quoted, tags, merges, roots
DOCUMENTS = [
    "a: yes\nb: 'yes'\nc: 012\nd: 1_000\ne: 1:20\nf: 1e3\ng: 1.5\nh: ~\ni:\nj: .inf\n",
    "day: 2001-01-31\nwhen: 2001-01-31 10:00:00\nquoted: '2001-01-31'\n",
    "a: ! 12\nb: !!str 12\nc: !!int '12'\n",
    "base: &b {x: 1}\nmore:\n  <<: {y: 2}\n  z: 3\n",
    "<<: {a: 1}\nb: 2\n",
    "- x\n- [1, 'two', {three: 3}]\n- {a: b}\n- - nested\n",
    'a: |\n  kept\n  lines\nb: >-\n  folded\n  text\nc: "tab\\there"\n',
    "a: b\na: c\n",
    "3\n",
    "'just text'\n",
    "",
    "1: one\nnull: none\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_data_are_pyyamls(text: str) -> None:
    expected = yaml.load(text, Loader=yamltext.LOADER)
    got = yamltext.parse(text, "doc.yaml")
    assert repr(got) == repr(expected)  # repr: True is not 1, a date not its string


def test_every_yaml_file_of_the_project_reads_as_pyyaml_reads_it() -> None:
    paths = sorted((ROOT / "flows").rglob("*.yaml")) + sorted((ROOT / "raw").glob("*.yaml"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert yamltext.parse(text, path.name) == yaml.load(text, Loader=yamltext.LOADER), path


def test_two_documents_are_refused_as_pyyaml_refuses_them() -> None:
    with pytest.raises(CsedataError) as exc:
        yamltext.parse("--- 1\n--- 2\n", "doc.yaml")
    assert str(exc.value) == (
        "doc.yaml:2: not valid YAML: but found another document "
        "(expected a single document in the stream, line 1)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (  # an unclosed string on line 3
            'tables:\n  - title: "Channel"\n    total: "Total\n    responses: multi\n',
            "x.yaml:5: not valid YAML: found unexpected end of stream "
            "(while scanning a quoted scalar that starts at line 3)",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            "x.yaml:3: not valid YAML: did not find expected key "
            "(while parsing a block mapping that starts at line 1)",
        ),
        ("a: b: c\n", "x.yaml:1: not valid YAML: mapping values are not allowed in this context"),
    ],
)
def test_a_syntax_error_is_one_line_with_pyyamls_reason(text: str, message: str) -> None:
    with pytest.raises(CsedataError) as exc:
        yamltext.parse(text, "x.yaml")
    assert str(exc.value) == message


def test_an_alias_is_refused_with_its_line() -> None:
    with pytest.raises(CsedataError, match=r"^doc\.yaml:2: YAML anchors and aliases"):
        yamltext.parse("a: &x [1]\nb: *x\n", "doc.yaml")
