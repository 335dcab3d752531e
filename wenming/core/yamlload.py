"""YAML reading on libyaml's C loader when PyYAML was built with it (about ten times faster
than the pure-Python loader: the category catalogue is read on every demo seed)."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(data: str | bytes) -> Any:
    return yaml.load(data, Loader=SafeLoader)  # noqa: S506 — a safe loader
