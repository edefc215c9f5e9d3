"""tui/core must never import textual: the core is shared by the app, the CLI and the benchmarks."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import tui.core

CORE = Path(tui.core.__file__).parent


def test_no_core_module_imports_textual_in_its_source():
    offenders = []
    for file in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{file.name}: {n}" for n in names if n.split(".")[0] == "textual"]
    assert offenders == []


def test_core_is_grouped_by_responsibility():
    """No flat pile: the top of tui/core holds the authoring API (lesson, steps), paths and packages."""
    flat = sorted(m.name for m in pkgutil.iter_modules([str(CORE)]) if not m.ispkg)
    assert flat == ["lesson", "paths", "steps"]


def test_importing_every_core_module_loads_neither_textual_nor_torch():
    modules = [m.name for m in pkgutil.walk_packages([str(CORE)], "tui.core.")]
    assert "tui.core.store.progress" in modules and "tui.core.course.loader" in modules
    code = f"import sys; [__import__(m) for m in {modules!r}]; print(sorted(m for m in ('textual', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_module_has_a_docstring():
    root = CORE.parent.parent
    missing = [
        str(f.relative_to(root))
        for folder in ("tui", "lessons")
        for f in (root / folder).rglob("*.py")
        if f.stat().st_size and ast.get_docstring(ast.parse(f.read_text())) is None
    ]
    assert missing == []


def test_imports_run_one_way_screens_then_widgets_then_core():
    """A widget never imports a screen and the core neither; a function-level import counts too."""
    root = CORE.parent
    below = {"widgets": ("tui.screens",), "core": ("tui.screens", "tui.widgets", "tui.app")}
    offenders = []
    for layer, forbidden in below.items():
        for file in (root / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text())):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [f"{file.relative_to(root)}: {n}" for n in names if n.startswith(forbidden)]
    assert offenders == []
