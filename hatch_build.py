"""An editable install that imports the folder generator/ as the package guidegen.

The wheel maps generator/ to guidegen/ (`sources` in pyproject.toml), but
hatchling's editable install can only add folders to sys.path, which would
expose the folder under its own name. This hook adds, to the editable wheel
only, a .pth file that installs a finder for the one name `guidegen`: its
submodules are then found through the package's __path__ as usual.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

FINDER = '''"""Imports {root} as the package guidegen (an editable install)."""

import importlib.util
import sys

ROOT = {root!r}


class GuidegenFinder:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name != "guidegen":
            return None
        return importlib.util.spec_from_file_location(
            name, ROOT + "/__init__.py", submodule_search_locations=[ROOT]
        )


sys.meta_path.append(GuidegenFinder)
'''


class EditableGuidegen(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":
            return
        out = Path(self.directory) / "guidegen-editable"
        out.mkdir(parents=True, exist_ok=True)
        finder = out / "_guidegen_finder.py"
        finder.write_text(FINDER.format(root=str(Path(self.root, "generator").resolve())))
        pth = out / "_guidegen_finder.pth"
        pth.write_text("import _guidegen_finder\n")
        build_data["force_include_editable"][str(finder)] = finder.name
        build_data["force_include_editable"][str(pth)] = pth.name
