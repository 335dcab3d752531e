"""Fixtures shared by the core tests."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.core.management import call_command


@pytest.fixture
def serve_argv(monkeypatch, settings, tmp_path) -> Callable[..., list[str]]:  # type: ignore[no-untyped-def]
    """Run `wenming serve` with the given options up to the point where it would start
    gunicorn; return gunicorn's command line instead of starting it."""
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_DIRS = []  # collectstatic has nothing to copy
    started: list[list[str]] = []
    monkeypatch.setattr(os, "execvp", lambda file, argv: started.append(argv))

    def run(*options: str) -> list[str]:
        call_command("serve", "--bind", "127.0.0.1:0", *options)
        return started[-1]

    return run
