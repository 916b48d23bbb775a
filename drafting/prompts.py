"""Prompts are files in drafting/prompts/, each starting with a `version: N` line.

The usage log and each draft record "<name>@<version>", so a change to a prompt shows in the log
and in what the reviewer sees. `_rules.txt` holds the rules every prompt shares.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_VERSION = re.compile(r"^version:\s*(\S+)\s*$")


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    text: str

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


@lru_cache(maxsize=32)
def load(name: str) -> Prompt:
    if not _NAME.match(name or ""):
        raise ValueError(f"Invalid prompt name {name!r}")
    return _read(name)


@lru_cache(maxsize=32)
def _read(name: str) -> Prompt:
    path = PROMPTS_DIR / f"{name}.txt"
    if not path.is_file():
        raise ValueError(f"No prompt file drafting/prompts/{name}.txt")
    first, _, rest = path.read_text(encoding="utf-8").partition("\n")
    match = _VERSION.match(first)
    if not match:
        raise ValueError(f"drafting/prompts/{name}.txt must start with a 'version: N' line")
    return Prompt(name=name, version=match.group(1), text=rest.strip())


def rules() -> Prompt:
    return _read("_rules")


def version_label(name: str) -> str:
    """ "1+rules1": the prompt's version and the shared rules' version."""
    return f"{load(name).version}+rules{rules().version}"
