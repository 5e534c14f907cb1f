"""names in two languages: State names (short, official; English, Russian), and titles and
venues with their language and an optional translation

Revision ID: d7e1b2c3a4f5
Revises: c1d2e3f4a5b6
Create Date: 2026-12-02 09:00:00.000000

Every new column is a plain ADD COLUMN, NOT NULL with a default: no table is rebuilt (a
rebuild on SQLite would drop the search triggers of migration a3f16c0d5e27), every row stays.
Existing rows are filled in: the four States of the source notes get their other names, and
each title's and venue's language is read from its script. The search index's milestone
documents take in the translations (the triggers are replaced; the documents already hold
every word, since no translation exists yet).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d7e1b2c3a4f5"
down_revision: str | None = "c1d2e3f4a5b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATE_COLUMNS = (("official_name", 200), ("name_ru", 100), ("official_name_ru", 200))
# The States of the source notes, as their governments and the UN write them.
KNOWN_NAMES = {
    "TJK": ("Republic of Tajikistan", "Таджикистан", "Республика Таджикистан"),
    "UZB": ("Republic of Uzbekistan", "Узбекистан", "Республика Узбекистан"),
    "KGZ": ("Kyrgyz Republic", "Кыргызстан", "Кыргызская Республика"),
    "BLR": ("Republic of Belarus", "Беларусь", "Республика Беларусь"),
}
TEXT_COLUMNS = {"milestones": ("title", "venue"), "action_plans": ("title",)}

NL = {"sqlite": "char(10)", "postgresql": "E'\\n'"}
OLD_BODY = (
    "r.title || {nl} || r.venue || {nl} || r.organisers || {nl} || "
    "r.responsible_agency || {nl} || r.description"
)
NEW_BODY = (
    "r.title || {nl} || r.title_alt || {nl} || r.venue || {nl} || r.venue_alt || {nl} || "
    "r.organisers || {nl} || r.responsible_agency || {nl} || r.description"
)


def _cyrillic_majority(text: str) -> bool:
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return cyrillic > latin


def _add_columns() -> None:
    for name, length in STATE_COLUMNS:
        op.add_column(
            "states", sa.Column(name, sa.String(length), server_default="", nullable=False)
        )
    for table, columns in TEXT_COLUMNS.items():
        for column in columns:
            op.add_column(
                table,
                sa.Column(f"{column}_lang", sa.String(2), server_default="en", nullable=False),
            )
            op.add_column(
                table,
                sa.Column(f"{column}_alt", sa.String(300), server_default="", nullable=False),
            )


def _fill() -> None:
    connection = op.get_bind()
    states = sa.table("states", *(sa.column(c) for c in ("code", *dict(STATE_COLUMNS))))
    for code, (official, short_ru, official_ru) in KNOWN_NAMES.items():
        connection.execute(
            states.update()
            .where(states.c.code == code)
            .values(official_name=official, name_ru=short_ru, official_name_ru=official_ru)
        )
    for table_name, columns in TEXT_COLUMNS.items():
        for column in columns:
            lang = f"{column}_lang"
            table = sa.table(table_name, sa.column("id"), sa.column(column), sa.column(lang))
            rows = connection.execute(sa.select(table.c.id, table.c[column])).all()
            russian = [row[0] for row in rows if _cyrillic_majority(row[1] or "")]
            for start in range(0, len(russian), 500):
                chunk = russian[start : start + 500]
                connection.execute(table.update().where(table.c.id.in_(chunk)).values({lang: "ru"}))


def _index_milestones(body: str) -> None:
    """Make the milestones' search triggers (of a3f16c0d5e27) index this body."""
    dialect = op.get_bind().dialect.name
    nl = NL["sqlite" if dialect == "sqlite" else "postgresql"]
    add = (
        "INSERT INTO search_documents ({id}, milestone_id, note_id, field, body) "
        f"SELECT r.id * 4 + 0, r.id, NULL, 'milestone', {body.format(nl=nl)} "
        "FROM milestones AS r WHERE 1 = 1 AND r.id = NEW.id"
    )
    if dialect == "sqlite":
        add = add.format(id="rowid")
        remove = "DELETE FROM search_documents WHERE rowid = OLD.id * 4 + 0"
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER search_milestones_{event}")
        op.execute(
            f"CREATE TRIGGER search_milestones_insert AFTER INSERT ON milestones BEGIN {add}; END"
        )
        op.execute(
            "CREATE TRIGGER search_milestones_update AFTER UPDATE ON milestones "
            f"BEGIN {remove}; {add}; END"
        )
        return
    add = add.format(id="id")
    op.execute(
        "CREATE OR REPLACE FUNCTION search_milestones() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  IF TG_OP <> 'INSERT' THEN\n"
        "    DELETE FROM search_documents WHERE id = OLD.id * 4 + 0;\n"
        "  END IF;\n"
        "  IF TG_OP <> 'DELETE' THEN\n"
        f"    {add};\n"
        "  END IF;\n"
        "  RETURN NULL;\n"
        "END $$"
    )


def upgrade() -> None:
    _add_columns()
    _fill()
    _index_milestones(NEW_BODY)


def downgrade() -> None:
    _index_milestones(OLD_BODY)
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild would drop the search triggers.
    for table, columns in TEXT_COLUMNS.items():
        for column in columns:
            op.drop_column(table, f"{column}_alt")
            op.drop_column(table, f"{column}_lang")
    for name, _length in reversed(STATE_COLUMNS):
        op.drop_column("states", name)
