"""The whole archive as one zip file: every table as CSV and in one SQLite database, every JSON
document of the API, the source articles as imported, and a README.txt that says what each file
is, where the data comes from and the archive's date.

Written from one read of the database (``write_archive`` runs inside a snapshot, see
``seasons.downloads.files``), UTF-8 throughout. The same archive gives the same bytes: fixed
order, and every member dated with the archive's last change rather than the time of the build.
"""

import csv
import io
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string

from ..models import SourceFile
from ..text import spreadsheet_cell
from .documents import documents
from .tables import TABLES, Table, member_name

README_TEMPLATE = "downloads/README.txt"
SQLITE_NAME = "skatearchive.sqlite3"
# What a build writes beside the finished files while it runs (cleared if it dies).
TEMP_PREFIX = ".building-"


@dataclass
class Contents:
    """What went into the archive, counted as it was written (README.txt reports it)."""

    rows: dict[str, int]
    documents: int
    sources: list[str]


def folder_name(changed_at: datetime | None) -> str:
    """The folder the zip unpacks into: ``skatearchive-2026-12-01``."""
    return f"skatearchive-{changed_at:%Y-%m-%d}" if changed_at else "skatearchive"


def csv_cell(value):
    """A value as its CSV cell: unknown is empty, yes/no are ``true``/``false``, and text that
    a spreadsheet would run as a formula gets a leading apostrophe (docs/SECURITY.md)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return spreadsheet_cell(value)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Writer:
    """Members of one zip file, each dated ``changed_at``, all under one folder."""

    def __init__(self, target: BinaryIO, changed_at: datetime | None):
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.folder = folder_name(changed_at)
        moment = changed_at or datetime(1980, 1, 1)
        self.date_time = (moment.year, moment.month, moment.day, *moment.timetuple()[3:6])

    def info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{self.folder}/{name}", date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def text(self, name: str, content: str) -> None:
        self.zip.writestr(self.info(name), content.encode("utf-8"))

    def file(self, name: str, path: Path) -> None:
        with path.open("rb") as source, self.zip.open(self.info(name), "w") as member:
            while chunk := source.read(1 << 20):
                member.write(chunk)

    def table(self, table: Table, database: sqlite3.Connection) -> int:
        """Write ``table`` as CSV (streamed, never whole in memory) and into ``database``."""
        columns = ", ".join(quoted(column) for column in table.columns)
        database.execute(f"CREATE TABLE {quoted(table.name)} ({columns})")
        insert = f"INSERT INTO {quoted(table.name)} VALUES ({', '.join('?' * len(table.columns))})"
        count = 0
        with self.zip.open(self.info(f"csv/{table.filename}"), "w") as member:
            out = io.TextIOWrapper(member, encoding="utf-8", newline="")
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(table.columns)
            for row in table.rows():
                writer.writerow([csv_cell(value) for value in row])
                database.execute(insert, row)
                count += 1
            out.flush()
            out.detach()
        return count

    def close(self) -> None:
        self.zip.close()


def write_archive(
    target: BinaryIO, *, token: str, changed_at: datetime | None, scratch: Path
) -> Contents:
    """Write the whole archive into ``target`` (an open binary file); ``scratch`` is a directory
    for the SQLite file while it is built."""
    writer = Writer(target, changed_at)
    try:
        with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX, dir=scratch) as folder:
            database_path = Path(folder) / SQLITE_NAME
            database = sqlite3.connect(database_path)
            try:
                rows = {table.name: writer.table(table, database) for table in TABLES}
                database.commit()
            finally:
                database.close()
            writer.file(SQLITE_NAME, database_path)
        count = 0
        for path, document in documents():
            body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            writer.text(f"json/{path}", body + "\n")
            count += 1
        sources = []
        for source in SourceFile.objects.order_by("name").iterator(chunk_size=1):
            writer.text(f"sources/{member_name(source.name)}", source.text)
            sources.append(source.name)
        contents = Contents(rows=rows, documents=count, sources=sources)
        writer.text("README.txt", readme(contents, token=token, changed_at=changed_at))
    finally:
        writer.close()
    return contents


def readme(contents: Contents, *, token: str, changed_at: datetime | None) -> str:
    tables = [
        {
            "filename": table.filename,
            "name": table.name,
            "description": table.description,
            "columns": ", ".join(table.columns),
            "rows": contents.rows[table.name],
        }
        for table in TABLES
    ]
    context = {
        "folder": folder_name(changed_at),
        "changed_at": changed_at,
        "token": token,
        "tables": tables,
        "documents": contents.documents,
        "sources": contents.sources,
        "sqlite_name": SQLITE_NAME,
    }
    return render_to_string(README_TEMPLATE, context)
