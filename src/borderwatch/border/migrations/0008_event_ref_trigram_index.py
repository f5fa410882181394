"""A trigram index on the events' references, on PostgreSQL only.

The search finds events whose reference contains the query, case ignored (Django's
`icontains`: `UPPER(ref::text) LIKE UPPER('%...%')`). A B-tree cannot serve a pattern with a
leading wildcard, so at 10,000,000 events that was a scan of the table; a GIN index of the
upper-cased reference's trigrams (pg_trgm, a trusted extension shipped with PostgreSQL) serves
it for queries of three characters or more. SQLite has no such index; there the search reads
the reference's own unique index, which covers it (border.selectors.search_events).
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS event_ref_trigram ON border_event "
    "USING gin ((UPPER(ref::text)) gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS event_ref_trigram"]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("border", "0007_fewer_event_indexes"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
