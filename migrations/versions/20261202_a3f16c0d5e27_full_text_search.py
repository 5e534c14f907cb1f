"""full-text search: one search document per milestone, status comment, citation and note

Revision ID: a3f16c0d5e27
Revises: e13a0c7d5b21
Create Date: 2026-12-02 06:00:00.000000

The database keeps the index in step itself, with triggers on the four tables it reads:
every write path (services, seed loader, imports, a bulk load, raw SQL) updates it in the
same transaction, and none can forget to. A document's id is its source row's id times 4
plus the source (0 milestone, 1 citation, 2 status change, 3 note), so that a trigger finds
it by primary key.

SQLite: an FTS5 table (porter stemming for English, Unicode case folding for Russian).
PostgreSQL: a table with a stored tsvector of the 'english' and the 'russian' configurations
(both, so that either language's words are stemmed) and a GIN index.

Not in the models: `tracker db check` skips these tables (migrations/env.py). A later SQLite
migration that rebuilds one of the four tables (batch mode) drops that table's triggers and
must create them again (copy them from here).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a3f16c0d5e27"
down_revision: str | None = "e13a0c7d5b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NL = "char(10)"
# (source table, source number, milestone id, note id, field name, body) as SQL on a row `r`.
SOURCES = {
    "milestones": (
        0,
        "r.id",
        "NULL",
        "'milestone'",
        "r.title || {nl} || r.venue || {nl} || r.organisers || {nl} || "
        "r.responsible_agency || {nl} || r.description",
    ),
    "citations": (1, "r.milestone_id", "r.note_id", "'quote'", "r.quote"),
    "status_changes": (2, "r.milestone_id", "NULL", "'comment'", "r.comment"),
    "source_notes": (3, "NULL", "r.id", "'note'", "r.title || {nl} || r.event || {nl} || r.text"),
}
# Rows worth a document: citations of plans and empty comments have nothing to find.
WHERE = {
    "milestones": "1 = 1",
    "citations": "r.milestone_id IS NOT NULL",
    "status_changes": "r.comment <> ''",
    "source_notes": "1 = 1",
}


def _select(table: str, nl: str, only: str) -> str:
    number, milestone, note, field, body = SOURCES[table]
    return (
        f"SELECT r.id * 4 + {number}, {milestone}, {note}, {field}, {body.format(nl=nl)} "
        f"FROM {table} AS r WHERE {WHERE[table]} AND {only}"
    )


def _sqlite() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_documents USING fts5(body, milestone_id UNINDEXED, "
        "note_id UNINDEXED, field UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    insert = "INSERT INTO search_documents (rowid, milestone_id, note_id, field, body) "
    for table, (number, *_rest) in SOURCES.items():
        op.execute(insert + _select(table, NL, "1 = 1"))
        add = insert + _select(table, NL, "r.id = NEW.id")
        remove = f"DELETE FROM search_documents WHERE rowid = OLD.id * 4 + {number}"
        op.execute(f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN {add}; END")
        op.execute(
            f"CREATE TRIGGER search_{table}_update AFTER UPDATE ON {table} "
            f"BEGIN {remove}; {add}; END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN {remove}; END"
        )


def _postgresql() -> None:
    op.execute(
        "CREATE TABLE search_documents (id BIGINT PRIMARY KEY, milestone_id INTEGER, "
        "note_id INTEGER, field VARCHAR(16) NOT NULL, body TEXT NOT NULL, "
        "document TSVECTOR GENERATED ALWAYS AS "
        "(to_tsvector('english'::regconfig, body) || to_tsvector('russian'::regconfig, body)) "
        "STORED)"
    )
    op.execute("CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)")
    op.execute("CREATE INDEX ix_search_documents_milestone_id ON search_documents (milestone_id)")
    insert = "INSERT INTO search_documents (id, milestone_id, note_id, field, body) "
    for table, (number, *_rest) in SOURCES.items():
        op.execute(insert + _select(table, "E'\\n'", "1 = 1"))
        add = insert + _select(table, "E'\\n'", "r.id = NEW.id")
        op.execute(
            f"CREATE FUNCTION search_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            "BEGIN\n"
            "  IF TG_OP <> 'INSERT' THEN\n"
            f"    DELETE FROM search_documents WHERE id = OLD.id * 4 + {number};\n"
            "  END IF;\n"
            "  IF TG_OP <> 'DELETE' THEN\n"
            f"    {add};\n"
            "  END IF;\n"
            "  RETURN NULL;\n"
            "END $$"
        )
        op.execute(
            f"CREATE TRIGGER search_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION search_{table}()"
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in SOURCES:
        if sqlite:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER search_{table}_{event}")
        else:
            op.execute(f"DROP TRIGGER search_{table} ON {table}")
            op.execute(f"DROP FUNCTION search_{table}()")
    op.execute("DROP TABLE search_documents")
