"""Backup and restore: the database (native dump) plus media, with a manifest to verify.

An archive is a .tar.gz holding `database.sqlite3` or `database.pgdump`, `media/…` and
`manifest.json` (row counts per model and a SHA-256 per media file). `backup_restore` puts both
back and then checks the counts and checksums against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "PGDATABASE": db["NAME"],
        "PGUSER": db.get("USER") or "",
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return {k: v for k, v in env.items() if v != ""}


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def media_checksums(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _dump_database(target: Path) -> str:
    if _is_sqlite():
        name = target / "database.sqlite3"
        with (
            sqlite3.connect(connection.settings_dict["NAME"]) as source,
            sqlite3.connect(name) as copy,
        ):
            source.backup(copy)
        return name.name
    name = target / "database.pgdump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={name}"], env=_pg_env(), check=True
    )
    return name.name


def backup_create(*, output_dir: Path) -> Path:
    """Write a backup archive into `output_dir` and return its path."""
    media_root = Path(settings.MEDIA_ROOT)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"wenming-backup-{stamp}.tar.gz"
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        work_path = Path(work)
        manifest: dict[str, Any] = {
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "database": _dump_database(work_path),
            "rows": row_counts(),
            "media": media_checksums(media_root),
        }
        (work_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(work_path / "manifest.json", "manifest.json")
            tar.add(work_path / manifest["database"], manifest["database"])
            if media_root.exists():
                tar.add(media_root, "media")
    return archive


def _restore_database(extracted: Path, manifest: dict[str, Any]) -> None:
    if manifest["vendor"] != connection.vendor:
        raise ValueError(
            f"This backup is of a {manifest['vendor']} database, not {connection.vendor}."
        )
    connections.close_all()
    dump = extracted / manifest["database"]
    if _is_sqlite():
        with (
            sqlite3.connect(dump) as source,
            sqlite3.connect(connection.settings_dict["NAME"]) as live,
        ):
            source.backup(live)
        return
    subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        env=_pg_env(),
        check=True,
    )


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for member in members:  # never write outside the extraction folder
        if (
            member.name.startswith("/")
            or ".." in Path(member.name).parts
            or member.issym()
            or member.islnk()
        ):
            raise ValueError(f"Unsafe path in the archive: {member.name}")
    return members


def backup_restore(*, archive: Path) -> dict[str, Any]:
    """Restore database and media from an archive; return the verification result."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        extracted = Path(work)
        tar.extractall(extracted, members=_safe_members(tar))  # noqa: S202 - members checked above
        manifest = json.loads((extracted / "manifest.json").read_text())
        _restore_database(extracted, manifest)
        if media_root.exists():
            shutil.rmtree(media_root)
        if (extracted / "media").exists():
            shutil.copytree(extracted / "media", media_root)
    return backup_verify(manifest=manifest)


def backup_verify(*, manifest: dict[str, Any]) -> dict[str, Any]:
    """Compare the live row counts and media checksums with a manifest."""
    rows, media = row_counts(), media_checksums(Path(settings.MEDIA_ROOT))
    row_diff = {k: (v, rows.get(k)) for k, v in manifest["rows"].items() if rows.get(k) != v}
    media_diff = sorted(
        k for k in set(manifest["media"]) | set(media) if manifest["media"].get(k) != media.get(k)
    )
    return {"ok": not row_diff and not media_diff, "rows": row_diff, "media": media_diff}
