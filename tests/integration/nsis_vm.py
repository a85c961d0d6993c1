"""Run parts of the Windows installer here, as NSIS would run them on Windows.

`makensis -PPO` writes the script as it compiles it: every `!define` and macro expanded,
LogicLib's `${If}` turned into StrCmp and labels, and FileFunc's GetParameters and
GetOptions written out as the plain instructions they are. This module executes that
text: the instructions those pieces use (strings, integers, jumps, the stack, the error
flag), and stands in for what touches Windows (registry, files, shortcuts, plug-ins) by
recording it. `nsExec` calls go to a callback: the test runs `csu-console` there.

An instruction it does not know stops the run (NsisVmError): a script change that needs
a new one is seen, not skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PLAIN = {"SetShellVarContext", "SetRegView", "SectionIn", "SetOutPath", "File",
         "WriteUninstaller", "WriteRegStr", "WriteRegDWORD", "CreateDirectory", "Delete",
         "RMDir", "CreateShortCut", "DetailPrint", "SetDetailsPrint", "MessageBox",
         "SetErrorLevel", "DeleteRegKey"}
# what GetSize would measure: the folder's size is Windows' business
STUBBED_CALLS = {":.GetSize_inst": (2, ["0", "0", "0"])}
BUILTINS = ("INSTDIR", "APPDATA", "CMDLINE", "EXEDIR", "PLUGINSDIR", "TEMP", "SMPROGRAMS",
            "DESKTOP", "PROGRAMFILES64", "_LOGICLIB_TEMP")


class NsisVmError(Exception):
    """The script does something this runner does not know."""


class Stop(Exception):
    """Quit or Abort."""


@dataclass
class Block:
    name: str
    code: list[list[str]] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)


@dataclass
class Run:
    """One execution: what the script did, said and left."""

    vars: dict[str, str]
    silent: bool
    registry: dict[tuple[str, str], str] = field(default_factory=dict)
    effects: list[tuple[str, ...]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)
    errors: bool = False
    error_level: int | None = None
    stopped_by: str = ""


def tokens(line: str) -> list[str]:
    """A script line's words: quotes " ' ` group (and are dropped), `$\\"` stays inside,
    ; or # starts a comment."""
    return _scan(line)[0]


def _scan(line: str) -> tuple[list[str], bool]:
    """(words, whether the line ends inside a quote)."""
    out: list[str] = []
    i = 0
    while i < len(line):
        c = line[i]
        if c.isspace():
            i += 1
        elif c in ";#":
            break
        elif c in "\"'`":
            j = i + 1
            word = []
            while j < len(line) and line[j] != c:
                if line.startswith("$\\" + c, j):
                    word.append(line[j:j + 3])
                    j += 3
                    continue
                word.append(line[j])
                j += 1
            if j >= len(line):
                return out, True
            out.append("".join(word))
            i = j + 1
        else:
            j = i
            while j < len(line) and not line[j].isspace():
                j += 1
            out.append(line[i:j])
            i = j
    return out, False


class Script:
    """The preprocessed script's functions and sections, its variables and English texts."""

    def __init__(self, text: str) -> None:
        self.blocks: dict[str, Block] = {}
        self.global_labels: dict[str, tuple[str, int]] = {}
        self.user_vars = set(re.findall(r"^Var\s+(?:/GLOBAL\s+)?([\w.]+)", text, re.M))
        self.lang = dict(re.findall(r'^LangString (\w+) \$\{LANG_ENGLISH\} "(.*)"$', text, re.M))
        current: Block | None = None
        for raw in _lines(text):
            words = tokens(raw.strip())
            if not words or words[0].startswith("!"):
                continue
            head = words[0]
            if head in ("Function", "Section") and current is None:
                name = words[-1] if head == "Function" else next(
                    w for w in words[1:] if not w.startswith("/"))
                current = self.blocks.setdefault(name, Block(name))
            elif head in ("FunctionEnd", "SectionEnd"):
                current = None
            elif current is not None:
                if len(words) == 1 and head.endswith(":"):
                    label = head[:-1]
                    current.labels[label] = len(current.code)
                    if label.startswith("."):
                        self.global_labels[label] = (current.name, len(current.code))
                else:
                    current.code.append(words)


def _lines(text: str) -> list[str]:
    """Logical lines: -PPO writes a string holding $\\r$\\n as a real line break."""
    out: list[str] = []
    pending = ""
    for line in text.split("\n"):
        pending = f"{pending}\n{line}" if pending else line
        if not _scan(pending.strip())[1]:
            out.append(pending)
            pending = ""
    return out


Exec = Callable[[str], tuple[int, str]]


class Machine:
    def __init__(self, script: Script, run: Run, exec_command: Exec,
                 app_data: Path) -> None:
        self.s, self.r, self.exec_command, self.app_data = script, run, exec_command, app_data
        self.names = sorted(script.user_vars | set(BUILTINS)
                            | {f"{p}{d}" for p in ("", "R") for d in range(10)},
                            key=len, reverse=True)

    # --- values ---
    def expand(self, text: str) -> str:
        out, i = [], 0
        while i < len(text):
            if text[i] != "$":
                out.append(text[i])
                i += 1
                continue
            rest = text[i + 1:]
            if rest.startswith("$"):
                out.append("$")
                i += 2
            elif rest.startswith("\\") and len(rest) > 1:
                out.append({"r": "\r", "n": "\n", "t": "\t"}.get(rest[1], rest[1]))
                i += 3
            elif rest.startswith("("):
                lang = rest[1:rest.index(")")]
                out.append(self.expand(self.s.lang[lang]))
                i += len(lang) + 3
            else:
                found = next((n for n in self.names if rest.startswith(n)), None)
                if found is None:
                    raise NsisVmError(f"unknown variable in {text!r}")
                out.append(self.r.vars.get(found, ""))
                i += len(found) + 1
        return "".join(out)

    def var(self, word: str) -> str:
        if not word.startswith("$") or word[1:] not in self.names:
            raise NsisVmError(f"not a variable: {word!r}")
        return word[1:]

    @staticmethod
    def num(text: str) -> int:
        m = re.match(r"\s*([-+]?(0x[0-9a-fA-F]+|\d+))", text)
        return int(m.group(1), 0) if m else 0

    # --- running ---
    def call(self, name: str) -> None:
        if name == "WriteLog":  # the install log: appended as the script's function does
            message = self.r.stack.pop()
            self.r.log.append(message)
            logs = self.app_data / "CSU Console" / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            with (logs / "install.log").open("a", encoding="utf-8") as f:
                f.write(message + "\n")
            return
        block = self.s.blocks.get(name)
        if block is None:
            raise NsisVmError(f"no function {name}")
        self.execute(block, 0)

    def execute(self, block: Block, pc: int) -> None:
        while pc < len(block.code):
            words = block.code[pc]
            jump = self.step(block, words)
            if jump == "return":
                return
            pc = pc + 1 if jump is None else self.target(block, pc, jump)

    def target(self, block: Block, pc: int, where: str) -> int:
        if where in ("", "0"):
            return pc + 1
        if re.fullmatch(r"[-+]\d+", where):
            return pc + int(where)
        if where not in block.labels:
            raise NsisVmError(f"no label {where} in {block.name}")
        return block.labels[where]

    def step(self, block: Block, w: list[str]) -> str | None:
        op, args = w[0], w[1:]
        r = self.r
        arg = [*args, "", "", "", ""]
        lo = op.lower()
        if lo == "goto":
            return args[0]
        if op == "StrCpy":
            text = self.expand(arg[1])
            start = self.num(self.expand(arg[3])) if arg[3] else 0
            text = text[max(len(text) + start, 0):] if start < 0 else text[start:]
            if arg[2] != "":
                n = self.num(self.expand(arg[2]))
                text = text[:n] if n >= 0 else text[:max(len(text) + n, 0)]
            r.vars[self.var(args[0])] = text
        elif op == "StrLen":
            r.vars[self.var(args[0])] = str(len(self.expand(args[1])))
        elif op in ("StrCmp", "StrCmpS"):
            a, b = self.expand(arg[0]), self.expand(arg[1])
            same = a == b if op == "StrCmpS" else a.lower() == b.lower()
            return arg[2] if same else arg[3]
        elif op == "IntCmp":
            x, y = self.num(self.expand(arg[0])), self.num(self.expand(arg[1]))
            return arg[2] if x == y else arg[3] if x < y else arg[4]
        elif op == "IntOp":
            x, y = self.num(self.expand(arg[1])), self.num(self.expand(arg[3]))
            ops = {"+": x + y, "-": x - y, "*": x * y, "|": x | y, "&": x & y}
            if arg[2] not in ops:
                raise NsisVmError(f"IntOp {arg[2]}")
            r.vars[self.var(args[0])] = str(ops[arg[2]])
        elif op == "Push":
            r.stack.append(self.expand(args[0]))
        elif op == "Pop":
            r.vars[self.var(args[0])] = r.stack.pop()
        elif op == "Exch":
            if not args:
                r.stack[-1], r.stack[-2] = r.stack[-2], r.stack[-1]
            else:
                name = self.var(args[0])
                r.vars[name], r.stack[-1] = r.stack[-1], r.vars.get(name, "")
        elif op == "Call":
            if args[0] in STUBBED_CALLS:
                taken, pushed = STUBBED_CALLS[args[0]]
                del r.stack[len(r.stack) - taken:]
                r.stack += pushed
            elif args[0].startswith(":"):
                owner, at = self.s.global_labels.get(args[0][1:], (block.name, -1))
                if at < 0:
                    at = block.labels[args[0][1:]]
                self.execute(self.s.blocks[owner], at)
            else:
                self.call(args[0])
        elif op == "Return":
            return "return"
        elif op == "ClearErrors":
            r.errors = False
        elif op == "SetErrors":
            r.errors = True
        elif op == "IfErrors":
            had, r.errors = r.errors, False
            return arg[0] if had else arg[1]
        elif op == "IfSilent":
            return arg[0] if r.silent else arg[1]
        elif op == "IfFileExists":
            path = self.expand(args[0])
            there = Path(path).exists() or Path(path.replace("\\", "/")).exists()
            return arg[1] if there else arg[2]
        elif op == "ReadRegStr":
            value = r.registry.get((self.expand(arg[2]), self.expand(arg[3])))
            r.errors = r.errors or value is None
            r.vars[self.var(args[0])] = value or ""
        elif op == "System::Call":  # LogicLib's ${RunningX64}: a 64-bit Windows
            fn = args[0].split("(")[0]
            if fn.endswith("GetCurrentProcess"):
                r.stack.append("-1")
            elif fn.endswith("IsWow64Process2"):
                r.stack.pop()
                r.stack.append("0")
            elif fn.endswith("IsWow64Process"):
                r.stack.append("1")
            else:
                raise NsisVmError(f"System::Call {args[0]}")
        elif op == "System::Int64Op":
            b, _, a = r.stack.pop(), r.stack.pop(), r.stack.pop()
            r.stack.append(str(self.num(a) | self.num(b)))
        elif op in ("nsExec::ExecToStack", "nsExec::ExecToLog"):
            command = self.expand(args[0])
            r.effects.append((op, command))
            code, output = self.exec_command(command)
            if op == "nsExec::ExecToStack":
                r.stack.append(output)
            r.stack.append(str(code))
        elif op in ("Quit", "Abort"):
            r.stopped_by = op
            raise Stop
        elif op in PLAIN:
            expanded = tuple(self.expand(a) for a in args)
            r.effects.append((op, *expanded))
            if op == "SetErrorLevel":
                r.error_level = self.num(expanded[0])
            elif op == "WriteRegStr":
                r.registry[(expanded[1], expanded[2])] = expanded[3]
        else:
            raise NsisVmError(f"unknown instruction: {' '.join(w)}")
        return None


def run_installer(script: Script, command_line: str, exec_command: Exec, app_data: Path,
                  section: str, instdir: str = "C:\\Program Files\\CSU Console",
                  registry: dict[tuple[str, str], str] | None = None,
                  init: str = ".onInit") -> Run:
    """What Windows does with `setup.exe <command_line>`: /D= sets $INSTDIR, .onInit runs,
    then the section (silent: no pages); the uninstaller: un.onInit, then "Uninstall".
    Returns the run, stopped or not."""
    silent = "/S" in command_line.split()
    if command_line.startswith("/D="):  # NSIS: /D= is the last word, unquoted, spaces and all
        command_line, instdir = "", command_line[3:]
    elif " /D=" in command_line:
        command_line, instdir = command_line.split(" /D=", 1)
    run = Run(vars={"INSTDIR": instdir, "APPDATA": str(app_data),
                    "CMDLINE": f'"C:\\Users\\it\\csu-console-setup.exe" {command_line}',
                    "SMPROGRAMS": "C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs",
                    "DESKTOP": "C:\\Users\\Public\\Desktop"},
              silent=silent, registry=dict(registry or {}))
    vm = Machine(script, run, exec_command, app_data)
    try:
        vm.call(init)
        vm.call(section)
    except Stop:
        pass
    return run
