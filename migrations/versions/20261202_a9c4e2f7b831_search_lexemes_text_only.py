"""search lexemes text only: the list of the index's words leaves the filter tags out

Revision ID: a9c4e2f7b831
Revises: f3b8d2c6a9e1
Create Date: 2026-12-02 13:00:00.000000

The search spells a typed prefix out as the words of `search_documents_lexemes` that begin
with it (migration f3b8d6a2c915). The list held the filter tags too (weight A, migration
d2a7b5e9c410), so "status" was spelt out as 'status' | 'statusdone' | ... and found every
document through its tags. Now the list holds only the words of the texts (weights B to D:
`ts_filter`), and the search restricts the prefixes it leaves as they are to those weights.

PostgreSQL only (SQLite's search restricts the typed words to the text column itself).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a9c4e2f7b831"
down_revision: str | None = "f3b8d2c6a9e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL_WORDS = "SELECT DISTINCT unnest(tsvector_to_array(document)) FROM {source}"
TEXT_WORDS = (
    "SELECT DISTINCT unnest(tsvector_to_array(ts_filter(document, '{{b,c,d}}'))) FROM {source}"
)


def _lexemes(words: str) -> None:
    """The trigger function that adds new documents' words, and the list made again."""
    op.execute(
        "CREATE OR REPLACE FUNCTION search_lexemes() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  INSERT INTO search_documents_lexemes (lexeme) "
        + words.format(source="added")
        + " ON CONFLICT DO NOTHING;\n"
        "  RETURN NULL;\n"
        "END $$"
    )
    op.execute("DELETE FROM search_documents_lexemes")
    op.execute(
        "INSERT INTO search_documents_lexemes (lexeme) " + words.format(source="search_documents")
    )
    op.execute("ANALYZE search_documents_lexemes")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        _lexemes(TEXT_WORDS)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        _lexemes(ALL_WORDS)
