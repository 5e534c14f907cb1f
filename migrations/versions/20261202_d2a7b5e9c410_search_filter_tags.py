"""search filter tags: each search document carries its milestone's State, kind and status

Revision ID: d2a7b5e9c410
Revises: c8d1f4a7e302
Create Date: 2026-12-02 09:15:00.000000

A search filtered by State, kind or status used to check every match's milestone (50 000
rows for a common word: 100-300 ms). Now each document has `tags` such as
"kindworkshop statusdone kindworkshopstatusdone statetjk statekgz" (no underscores: both
engines would split on them; the kind and status together, so that a search by both
intersects one more list, not two), indexed with the text, so the full-text index itself
narrows the matches.

Kept in step by triggers, as the documents are: a document gets its milestone's tags when it
is written; a change of a milestone's kind or status, or of its States, re-tags all of its
documents (found by rowid on SQLite, by milestone_id on PostgreSQL).

SQLite: the FTS5 table gets a fifth column, `tags` (a virtual table cannot gain a column:
it is made again and refilled, with the triggers of migrations a3f16c0d5e27 and d7e1b2c3a4f5
made again to fill it). PostgreSQL: a `tags` column, in the stored tsvector with weight A
(ranking gives A no weight, so tags do not move results).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d2a7b5e9c410"
down_revision: str | None = "c8d1f4a7e302"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NL = "char(10)"
# (source number, milestone id, note id, field name, body) as SQL on a row `r`.
SOURCES = {
    "milestones": (
        0,
        "r.id",
        "NULL",
        "'milestone'",
        # As migration d7e1b2c3a4f5 made it: the titles' and venues' translations too.
        "r.title || {nl} || r.title_alt || {nl} || r.venue || {nl} || r.venue_alt || {nl} || "
        "r.organisers || {nl} || r.responsible_agency || {nl} || r.description",
    ),
    "citations": (1, "r.milestone_id", "r.note_id", "'quote'", "r.quote"),
    "status_changes": (2, "r.milestone_id", "NULL", "'comment'", "r.comment"),
    "source_notes": (3, "NULL", "r.id", "'note'", "r.title || {nl} || r.event || {nl} || r.text"),
}
WHERE = {
    "milestones": "1 = 1",
    "citations": "r.milestone_id IS NOT NULL",
    "status_changes": "r.comment <> ''",
    "source_notes": "1 = 1",
}
STATES_SQLITE = "group_concat('state' || lower(ms.state_code), ' ')"
STATES_POSTGRESQL = "string_agg('state' || lower(ms.state_code), ' ' ORDER BY ms.state_code)"


def _tags(milestone: str, sqlite: bool) -> str:
    """The tags of milestone id `milestone` as SQL ('' for none or no milestone)."""
    states = STATES_SQLITE if sqlite else STATES_POSTGRESQL
    return (
        "coalesce((SELECT 'kind' || replace(m.kind, '_', '') || ' status' || "
        "replace(m.status, '_', '') || ' kind' || replace(m.kind, '_', '') || 'status' || "
        "replace(m.status, '_', '') || coalesce((SELECT ' ' || "
        f"{states} FROM milestone_states AS ms WHERE ms.milestone_id = m.id), '') "
        f"FROM milestones AS m WHERE m.id = {milestone}), '')"
    )


def _select(table: str, only: str, sqlite: bool, tagged: bool) -> str:
    number, milestone, note, field, body = SOURCES[table]
    nl = NL if sqlite else "E'\\n'"
    tags = f", {_tags(milestone, sqlite)}" if tagged else ""
    return (
        f"SELECT r.id * 4 + {number}, {milestone}, {note}, {field}, {body.format(nl=nl)}{tags} "
        f"FROM {table} AS r WHERE {WHERE[table]} AND {only}"
    )


def _insert(sqlite: bool, tagged: bool) -> str:
    key = "rowid" if sqlite else "id"
    return f"INSERT INTO search_documents ({key}, milestone_id, note_id, field, body" + (
        ", tags) " if tagged else ") "
    )


def _sqlite_documents(tagged: bool) -> None:
    """The FTS5 table, filled, and its triggers on the four source tables."""
    for table in SOURCES:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{event}")
    op.execute("DROP TABLE search_documents")
    op.execute(
        "CREATE VIRTUAL TABLE search_documents USING fts5(body, milestone_id UNINDEXED, "
        "note_id UNINDEXED, field UNINDEXED, " + ("tags, " if tagged else "") + ""
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    insert = _insert(True, tagged)
    for table, (number, *_rest) in SOURCES.items():
        op.execute(insert + _select(table, "1 = 1", True, tagged))
        add = insert + _select(table, "r.id = NEW.id", True, tagged)
        remove = f"DELETE FROM search_documents WHERE rowid = OLD.id * 4 + {number}"
        op.execute(f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN {add}; END")
        op.execute(
            f"CREATE TRIGGER search_{table}_update AFTER UPDATE ON {table} "
            f"BEGIN {remove}; {add}; END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN {remove}; END"
        )


def _sqlite_retag(milestone: str) -> str:
    documents = (
        f"SELECT {milestone} * 4 UNION ALL SELECT c.id * 4 + 1 FROM citations AS c "
        f"WHERE c.milestone_id = {milestone} UNION ALL SELECT s.id * 4 + 2 FROM status_changes "
        f"AS s WHERE s.milestone_id = {milestone} AND s.comment <> ''"
    )
    return (
        f"UPDATE search_documents SET tags = {_tags(milestone, True)} WHERE rowid IN ({documents})"
    )


RETAG_TRIGGERS = {
    "search_tags_milestones": "AFTER UPDATE OF kind, status ON milestones",
    "search_tags_states_insert": "AFTER INSERT ON milestone_states",
    "search_tags_states_delete": "AFTER DELETE ON milestone_states",
}


def _sqlite_upgrade() -> None:
    _sqlite_documents(tagged=True)
    for name, when in RETAG_TRIGGERS.items():
        row = "OLD" if "delete" in name else "NEW"
        milestone = f"{row}.id" if "milestones" in name else f"{row}.milestone_id"
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {_sqlite_retag(milestone)}; END")


def _postgresql_functions(tagged: bool) -> None:
    insert = _insert(False, tagged)
    for table, (number, *_rest) in SOURCES.items():
        add = insert + _select(table, "r.id = NEW.id", False, tagged)
        op.execute(
            f"CREATE OR REPLACE FUNCTION search_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
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


def _postgresql_document(tags: str) -> None:
    op.execute("DROP INDEX ix_search_documents_document")
    op.execute("ALTER TABLE search_documents DROP COLUMN document")
    op.execute(
        "ALTER TABLE search_documents ADD COLUMN document TSVECTOR GENERATED ALWAYS AS "
        "(to_tsvector('english'::regconfig, body) || to_tsvector('russian'::regconfig, body)"
        f"{tags}) STORED"
    )
    op.execute("CREATE INDEX ix_search_documents_document ON search_documents USING gin (document)")


def _postgresql_upgrade() -> None:
    op.execute("ALTER TABLE search_documents ADD COLUMN tags TEXT NOT NULL DEFAULT ''")
    op.execute(
        f"UPDATE search_documents AS d SET tags = {_tags('d.milestone_id', False)} "
        "WHERE d.milestone_id IS NOT NULL"
    )
    _postgresql_document(" || setweight(to_tsvector('simple'::regconfig, tags), 'A')")
    _postgresql_functions(tagged=True)
    retag = (
        f"UPDATE search_documents SET tags = {_tags('target', False)} WHERE milestone_id = target"
    )
    op.execute(
        "CREATE FUNCTION search_retag() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "DECLARE target INTEGER;\n"
        "BEGIN\n"
        "  IF TG_TABLE_NAME = 'milestones' THEN target := NEW.id;\n"
        "  ELSIF TG_OP = 'DELETE' THEN target := OLD.milestone_id;\n"
        "  ELSE target := NEW.milestone_id;\n"
        "  END IF;\n"
        f"  {retag};\n"
        "  RETURN NULL;\n"
        "END $$"
    )
    for name, when in RETAG_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION search_retag()")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        _postgresql_upgrade()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, when in RETAG_TRIGGERS.items():
        table = when.rsplit(" ", 1)[1]
        op.execute(f"DROP TRIGGER {name}" if sqlite else f"DROP TRIGGER {name} ON {table}")
    if sqlite:
        _sqlite_documents(tagged=False)
        return
    op.execute("DROP FUNCTION search_retag()")
    _postgresql_functions(tagged=False)
    _postgresql_document("")
    op.execute("ALTER TABLE search_documents DROP COLUMN tags")
