"""The English source strings have a complete Chinese translation, compiled and up to date."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "wenming" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated_to_chinese():
    entries = LOCALE.joinpath("django.po").read_text(encoding="utf-8").split("\n\n")[1:]
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[0\])? ""$', e, re.M)
        and not re.search(r'^"', e.split("msgstr")[-1], re.M)
    ]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated, "untranslated:\n" + "\n".join(untranslated[:10])
    assert not fuzzy, "fuzzy:\n" + "\n".join(fuzzy[:10])


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    assert shutil.which("msgfmt"), "gettext is missing: ./dev test installs it"
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run compilemessages"


def msgids(po_text: str) -> set[str]:
    ids = set()
    for entry in po_text.split("\n\n"):
        if "#~ " in entry:  # obsolete entries do not count
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        if match:
            ids.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))))
    return ids - {""}


def test_every_source_string_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the source finds no string the catalogue lacks."""
    assert shutil.which("xgettext"), "gettext is missing: ./dev test installs it"
    source = LOCALE.parents[2]
    copy = tmp_path / "wenming"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # No settings module: makemessages then writes to the copy's locale/, never the real one.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).parent / "django-admin"
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env=env,
    )
    fresh = msgids((copy / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    committed = msgids((LOCALE / "django.po").read_text(encoding="utf-8"))
    missing = sorted(fresh - committed)
    assert not missing, f"{len(missing)} strings missing from the catalogue, e.g. {missing[:5]}"
