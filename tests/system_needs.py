"""What the console and its tests need from the operating system, read from the source
itself (so a new GStreamer element, command or Qt module is seen without anyone updating a
list): GStreamer elements of the pipelines the test servers and benches launch, the
commands the tests run, the modules Debian's Python must import for the GStreamer server,
and the PySide6 modules the code imports.
"""

from __future__ import annotations

import ast
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODE_DIRS = ("app", "widgets", "maps", "tests", "bench", "packaging")
PLACEHOLDER = "{}"  # what an f-string's {expression} reads as
_ELEMENT = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_BIN_PATH = re.compile(r"^/(usr/)?(local/)?s?bin/[\w.+-]+$")
_RUNNERS = {"run", "Popen", "call", "check_call", "check_output", "create_subprocess_exec",
            "execvp", "execv", "spawnvp"}
_RUNNER_MODULES = {"subprocess", "asyncio", "os", ""}  # "": from subprocess import Popen


@dataclass
class Found:
    """Names found in the source, each with where (file:line), plus what could not be read."""

    names: dict[str, list[str]] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)

    def add(self, name: str, where: str) -> None:
        self.names.setdefault(name, []).append(where)


def python_files(dirs: tuple[str, ...] = CODE_DIRS) -> list[Path]:
    return sorted(p for d in dirs for p in (REPO / d).rglob("*.py") if ".venv" not in p.parts)


def _where(path: Path, node: ast.AST) -> str:
    name = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    return f"{name}:{getattr(node, 'lineno', 0)}"


def _text(node: ast.AST) -> str | None:
    """A string literal's text; an f-string with each {expression} as PLACEHOLDER."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else PLACEHOLDER
                       for v in node.values)
    return None


def _strings(tree: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """Every string literal once: an f-string as a whole, not its pieces."""
    inner = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
             for part in ast.walk(node) if part is not node}
    for node in ast.walk(tree):
        text = _text(node) if id(node) not in inner else None
        if text is not None:
            yield text, node


def _parse(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


# --- GStreamer -----------------------------------------------------------------------------

def pipeline_elements(text: str) -> list[str] | None:
    """The element names of `text` read as a gst-launch pipeline ("a ! b prop=1 ! c"), or
    None when it is not one (prose with a "!", a single word). Caps ("video/x-raw,..."),
    properties (`k=v`), pad references (`name.` / `name.src`) and brackets are not elements;
    an element given by an f-string expression reads as PLACEHOLDER."""
    if "!" not in text:
        return None
    try:
        tokens = shlex.split(text.replace("(", " ( ").replace(")", " ) "))
    except ValueError:
        return None
    segments: list[list[str]] = [[]]
    for token in tokens:
        for part in re.split(r"(!)", token):
            if part == "!":
                segments.append([])
            elif part.strip():
                segments[-1].append(part)
    if len(segments) < 2:
        return None
    elements: list[str] = []
    for segment in segments:
        words = [w for w in segment if w not in ("(", ")")]
        if not words:
            return None
        for word in words:
            if "=" in word or "/" in word or "," in word or "." in word:
                continue  # property, caps, pad reference
            if word != PLACEHOLDER and not _ELEMENT.match(word):
                return None  # not pipeline syntax: prose
            elements.append(word)
    return elements or None


def gst_elements(files: list[Path] | None = None, skip: tuple[Path, ...] = ()) -> Found:
    """Every element of every pipeline written in the source (any string that reads as a
    gst-launch pipeline: `set_launch`, `parse_launch`, `gst-launch-1.0` arguments), plus
    `Gst.ElementFactory.make("name")`. An element the source builds at run time (an
    f-string expression) cannot be checked: it is listed in `unreadable`. `skip`: files
    whose pipelines are examples (the reader's own tests)."""
    found = Found()
    for path in files or python_files():
        if path in skip:
            continue
        tree = _parse(path)
        for text, node in _strings(tree):
            for element in pipeline_elements(text) or ():
                if element == PLACEHOLDER:
                    found.unreadable.append(
                        f"{_where(path, node)}: an element of {text!r} is computed at run "
                        "time; write the element names literally so they can be checked")
                else:
                    found.add(element, _where(path, node))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "make" and "ElementFactory" in ast.unparse(node.func)
                    and node.args):
                name = _text(node.args[0])
                if name is None or PLACEHOLDER in name:
                    found.unreadable.append(f"{_where(path, node)}: ElementFactory.make of a "
                                            "name computed at run time")
                else:
                    found.add(name, _where(path, node))
            elif (isinstance(node, (ast.List, ast.Tuple)) and node.elts
                  and _text(node.elts[0]) == "gst-launch-1.0"):
                words = [_text(e) or PLACEHOLDER for e in node.elts[1:]]
                pipeline = " ".join(w for w in words if not w.startswith("-"))
                for element in pipeline_elements(pipeline) or ():
                    found.add(element, _where(path, node))
    return found


def gi_users(files: list[Path] | None = None) -> list[Path]:
    """Files that import `gi`: they run under Debian's Python (a pip venv has no gi)."""
    return [p for p in files or python_files()
            if any(isinstance(n, (ast.Import, ast.ImportFrom)) and "gi" in _top_modules(n)
                   for n in ast.walk(_parse(p)))]


def _top_modules(node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.ImportFrom):
        return {node.module.split(".")[0]} if node.module and not node.level else set()
    return {a.name.split(".")[0] for a in node.names}


def imports_of(path: Path) -> Found:
    """Top-level modules `path` imports, and the GObject typelibs it asks for
    (`gi.require_version("GstRtspServer", "1.0")` as "typelib:GstRtspServer-1.0")."""
    found = Found()
    tree = _parse(path)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for mod in _top_modules(node):
                found.add(mod, _where(path, node))
        elif (isinstance(node, ast.Call) and ast.unparse(node.func).endswith("require_version")
              and len(node.args) == 2):
            name, version = _text(node.args[0]), _text(node.args[1])
            if name and version:
                found.add(f"typelib:{name}-{version}", _where(path, node))
    return found


# --- commands ------------------------------------------------------------------------------

def commands(files: list[Path] | None = None) -> Found:
    """Programs the code runs: the first word of an argv literal given to subprocess/asyncio
    (`["mosquitto", "-c", conf]`), any list literal whose first word is a program on PATH
    (an argv built before the call), `shutil.which("xdotool")`, and absolute paths to
    programs (`"/usr/bin/python3"`). Programs inside the venv (`BIN / "pyside6-lupdate"`)
    and `sys.executable` are pip's, not Debian's, and are not literals anyway."""
    found = Found()
    for path in files or python_files(("tests",)):
        tree = _parse(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func, owner = _callee(node)
                first = node.args[0] if node.args else None
                if func == "which" and first is not None and _text(first):
                    found.add(str(_text(first)), _where(path, node))
                elif func in _RUNNERS and owner in _RUNNER_MODULES and first is not None:
                    word = _first_word(first)
                    if word:
                        found.add(word, _where(path, node))
            elif isinstance(node, (ast.List, ast.Tuple)) and node.elts:
                word = _text(node.elts[0])
                if word and " " not in word and "/" not in word and shutil.which(word):
                    found.add(word, _where(path, node))
        for text, node in _strings(tree):
            if _BIN_PATH.match(text):
                found.add(text, _where(path, node))
    return found


def _callee(node: ast.Call) -> tuple[str, str]:
    """("run", "subprocess") for subprocess.run(...); ("Popen", "") for a bare Popen(...)."""
    if isinstance(node.func, ast.Attribute):
        owner = node.func.value.id if isinstance(node.func.value, ast.Name) else "?"
        return node.func.attr, owner
    if isinstance(node.func, ast.Name):
        return node.func.id, ""
    return "", "?"


def _first_word(arg: ast.AST) -> str | None:
    if isinstance(arg, (ast.List, ast.Tuple)) and arg.elts:
        return _text(arg.elts[0])
    text = _text(arg)  # a shell string
    return text.split()[0] if text and text.split() and PLACEHOLDER not in text else None


# --- Qt ------------------------------------------------------------------------------------

def pyside_modules(files: list[Path] | None = None) -> Found:
    """PySide6 modules the console and its tests import (`PySide6.QtWebEngineWidgets`...)."""
    found = Found()
    for path in files or python_files():
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                parts = node.module.split(".")
                if parts[0] == "PySide6" and len(parts) > 1:
                    found.add(parts[1], _where(path, node))
                elif node.module == "PySide6":
                    for alias in node.names:
                        found.add(alias.name, _where(path, node))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == "PySide6" and len(parts) > 1:
                        found.add(parts[1], _where(path, node))
    return found
