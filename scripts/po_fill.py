"""Fill msgstr entries of a .po file from a YAML/JSON mapping {msgid: msgstr} (dev helper).

    python scripts/po_fill.py wenming/locale/zh_Hans/LC_MESSAGES/django.po translations.json

Entries already translated are kept unless the mapping names them. Plural entries take a
list of forms. Fuzzy flags on filled entries are dropped.
"""

import json
import re
import sys
from pathlib import Path


def unquote(block: str) -> str:
    return "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', block))


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def fill(po_text: str, mapping: dict[str, object]) -> tuple[str, list[str]]:
    entries = po_text.split("\n\n")
    missing = []
    for n, entry in enumerate(entries):
        match = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        if not match:
            continue
        msgid = unquote(match.group(1))
        if not msgid:
            continue
        plural = "msgid_plural" in entry
        translated = re.search(r'^msgstr(?:\[0\])? ""\s*$', entry, re.M) is None or bool(
            re.search(r'^msgstr(?:\[0\])? "(?!")', entry, re.M)
        )
        if msgid in mapping:
            value = mapping[msgid]
            head = entry[: entry.index("msgstr")]
            head = head.replace("#, fuzzy\n", "").replace(", fuzzy", "")
            head = re.sub(r"^#\| .*\n", "", head, flags=re.M)
            forms = value if isinstance(value, list) else [value]
            if plural:
                body = "\n".join(f"msgstr[{i}] {quote(f)}" for i, f in enumerate(forms))
            else:
                body = f"msgstr {quote(str(forms[0]))}"
            entries[n] = head + body
        elif not translated or "fuzzy" in entry:
            missing.append(msgid)
    return "\n\n".join(entries), missing


if __name__ == "__main__":
    po, mapping_file = Path(sys.argv[1]), Path(sys.argv[2])
    text, missing = fill(
        po.read_text(encoding="utf-8"), json.loads(mapping_file.read_text(encoding="utf-8"))
    )
    po.write_text(text, encoding="utf-8")
    for msgid in missing:
        print("untranslated:", msgid)
