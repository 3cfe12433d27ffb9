"""Reading YAML through libyaml (briefgen.load.compose_yaml) gives the Python parser's nodes."""

from __future__ import annotations

import importlib
import sys

import pytest
import yaml

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import generate

# The module, not the function of the same name that the package exports.
load_module = importlib.import_module("briefgen.load")

pytestmark = pytest.mark.skipif(
    not getattr(yaml, "__with_libyaml__", False), reason="PyYAML was built without libyaml"
)


def nodes(root: yaml.Node, text: str) -> list[tuple[object, ...]]:
    """Every node in document order: kind, tag, value, style and where it is written."""
    reader = load_module._Reader("<briefing>", None)
    reader.text = text
    found: list[tuple[object, ...]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        position = reader.position(node)
        found.append(
            (
                type(node).__name__,
                node.tag,
                node.value if isinstance(node.value, str) else None,
                getattr(node, "style", None) or None,
                getattr(node, "flow_style", None),
                (node.start_mark.line, node.start_mark.column),
                (node.end_mark.line, node.end_mark.column),
                (position.line, position.column, position.written),
            )
        )
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return found


TEXTS = {
    "sample": (REPO / "data" / "russia-north-korea.yaml").read_text("utf-8"),
    "ja": generate.briefing_yaml(30, "ja"),
    "flow and quoting": (
        'title: "測試\\t標題"\nevents:\n  - {start: 1950, title: "私用\ue000", people: []}\n'
        "  - start: 2023-09-12\r\n    title: >-\n      折疊的\n      標題 𠀋\n"
        "    body: |\n      第一段。\n\n      第二段 'x'\n"
    ),
}


@pytest.mark.parametrize("name", TEXTS)
def test_libyaml_gives_the_same_nodes_and_positions(name):
    text = TEXTS[name]
    fast = load_module.compose_yaml(text)
    assert fast is not None
    assert nodes(fast, text) == nodes(yaml.compose(text, Loader=yaml.SafeLoader), text)


def test_a_file_libyaml_refuses_gets_the_python_parsers_message():
    text = "title: [unclosed\nevents: []\n"
    with pytest.raises(yaml.MarkedYAMLError) as python_error:
        yaml.compose(text, Loader=yaml.SafeLoader)
    with pytest.raises(yaml.MarkedYAMLError) as ours:
        load_module.compose_yaml(text)
    assert str(ours.value) == str(python_error.value)


@pytest.mark.parametrize("text", [*TEXTS.values(), "\ufefftitle: 標題\nevents: [{start: 1950}]\n"])
def test_a_value_as_written_is_the_python_parsers_own_slice(text):
    # The reader slices the text by a mark's index; the Python parser's marks hold the text
    # and their own offset into it, the reference for both parsers.
    reader = load_module._Reader("<briefing>", None)
    reader.text = text
    stack = [yaml.compose(text, Loader=yaml.SafeLoader)]
    scalars = 0
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            start, end = node.start_mark, node.end_mark
            assert reader.position(node).written == start.buffer[start.pointer : end.pointer]
            scalars += 1
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    assert scalars > 3
