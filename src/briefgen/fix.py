"""``briefgen check --fix``: the typography rules' changes written back into the briefing file.

The file is read and written again with ruamel.yaml's round-trip mode, so its comments, key
order, quoting and block styles stay as the writer left them; only the text values the rules
change are replaced. The original is kept next to it as ``<name>.bak``, and the new file is
written to a temporary name and renamed, so an interrupted fix leaves the file whole.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import ScalarString

from .load import load
from .model import text_values
from .typography import run

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def fix_file(path: Path, disabled: Sequence[str] = ()) -> list[str]:
    """Apply the rules to the typeset text of the briefing at ``path`` in place; return the
    field paths changed (nothing is written when there are none). The file must load."""
    briefing = load(path)  # refuses a file with problems, with every problem listed
    original = path.read_text(encoding="utf-8-sig")
    yaml = _round_trip()
    data = yaml.load(original)
    changed = []
    for field, spec, _ in text_values(briefing):
        if not spec.kind.is_typeset:
            continue
        container, key = _locate(data, field)
        before = container[key]
        after = run(str(before), briefing.lang, disabled)
        if after != str(before):
            # The same kind of scalar (literal block, double-quoted…) with the new text.
            container[key] = type(before)(after) if isinstance(before, ScalarString) else after
            changed.append(field)
    if changed:
        output = io.StringIO()
        yaml.dump(data, output)
        _replace(path, original, output.getvalue())
    return changed


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the writer did not fold
    # briefgen's own style: list items indented under their key.
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _locate(data: Any, field: str) -> tuple[Any, str | int]:
    """The container holding ``field`` (``events[3].body``) and its key there."""
    steps: list[str | int] = [name if name else int(index) for name, index in _STEP.findall(field)]
    for step in steps[:-1]:
        data = data[step]
    return data, steps[-1]


def _replace(path: Path, original: str, fixed: str) -> None:
    backup = path.with_name(path.name + ".bak")
    backup.write_text(original, encoding="utf-8")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(fixed)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
