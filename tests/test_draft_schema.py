"""A milestone's fields are defined once: every edge derives its list from the draft.

The loud-failure tests copy `tracker/` aside, add a field to the draft the way a developer
would, and import the edges in a fresh interpreter.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from tests.factories import make_state
from tracker import services
from tracker.api.openapi import DRAFT
from tracker.api.writing import DRAFT_NAMES
from tracker.services.drafts import DRAFT_FIELDS, EDITABLE, FORM_FIELDS, MilestoneDraft
from tracker.views.forms import MilestoneForm

ROOT = Path(__file__).resolve().parent.parent


def _tree_with(tmp_path: Path, field_line: str, form_line: str = "") -> Path:
    """A copy of the package whose MilestoneDraft (wherever it lives) has one more field."""
    shutil.copytree(ROOT / "tracker", tmp_path / "tracker", ignore=shutil.ignore_patterns("static"))
    shutil.copy(ROOT / "config.py", tmp_path / "config.py")
    (source,) = [
        p for p in (tmp_path / "tracker").rglob("*.py") if "class MilestoneDraft" in p.read_text()
    ]
    text = source.read_text()
    docstring = re.search(r'class MilestoneDraft.*?:\n    """[^\n]*"""\n', text, re.S)
    assert docstring is not None
    source.write_text(text[: docstring.end()] + field_line + "\n" + text[docstring.end() :])
    if form_line:
        forms = next((tmp_path / "tracker").rglob("forms.py"))
        marker = '    submit = SubmitField("Save milestone")\n'
        forms.write_text(forms.read_text().replace(marker, marker + form_line + "\n", 1))
    return tmp_path


def _run(tree: Path, code: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "TRACKER_ENV": "test"}
    code = f"import tracker; assert tracker.__file__.startswith({str(tree)!r})\n{code}"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, text=True
    )


def test_a_draft_field_without_its_definition_stops_the_web_form_and_the_api(
    tmp_path: Path,
) -> None:
    tree = _tree_with(tmp_path, '    priority: str = ""')
    for edge in ("tracker.views.forms", "tracker.api.writing"):
        result = _run(tree, f"import {edge}")
        assert result.returncode != 0, f"{edge} imported a draft field it cannot read or show"
        assert "priority" in result.stderr


DECLARED = (
    '    priority: str = field(default="", metadata=_spec(shape=Shape.TEXT, limit=40, '
    'read=lambda m: ""))'
)


def test_a_draft_field_without_a_form_field_stops_the_web_form(tmp_path: Path) -> None:
    result = _run(_tree_with(tmp_path, DECLARED), "import tracker.views.forms")
    assert result.returncode != 0
    assert "MilestoneForm has no field for the draft's priority" in result.stderr


def test_a_declared_field_reaches_the_form_the_api_its_document_and_the_history(
    tmp_path: Path,
) -> None:
    form_line = '    priority = StringField("Priority")'
    tree = _tree_with(tmp_path, DECLARED, form_line)
    result = _run(
        tree,
        "from tracker.api.writing import DRAFT_NAMES\n"
        "from tracker.api.openapi import DRAFT\n"
        "from tracker.services.drafts import EDITABLE, FORM_FIELDS\n"
        "print(sorted({'priority'} & DRAFT_NAMES), DRAFT['priority'], 'priority' in EDITABLE,"
        " [f.name for f in FORM_FIELDS][0])\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "['priority']",
        "{'type':",
        "'string',",
        "'maxLength':",
        "40}",
        "True",
        "priority",
    ]


def test_a_stored_field_needs_a_column(tmp_path: Path) -> None:
    line = (
        '    priority: str = field(default="", metadata=_spec(shape=Shape.TEXT, column=True, '
        'read=lambda m: ""))'
    )
    result = _run(_tree_with(tmp_path, line), "import tracker.services")
    assert result.returncode != 0
    assert "MilestoneDraft stores priority in no column of milestones" in result.stderr


def test_every_edge_names_the_same_fields() -> None:
    names = {f.name for f in DRAFT_FIELDS}
    assert DRAFT_NAMES == names - {"ref"} == set(DRAFT)
    assert {f.name for f in FORM_FIELDS} <= set(MilestoneForm.__dict__)
    assert set(EDITABLE) == names - {"due_reference", "ref"}


def test_a_stored_milestone_gives_back_the_draft_that_made_it_and_its_history(
    session: Session,
) -> None:
    make_state(session, "TJK"), make_state(session, "UZB")
    plan = services.add_plan(session, "TJK", "NAP", "approved", "2016-2020", ref="tjk-nap")
    draft = MilestoneDraft(
        kind="workshop",
        title="Report-writing workshop",
        title_alt="Семинар по подготовке национального доклада",
        description="To prepare\na new report",
        due="29 February - 1 March 2016",
        due_reference=date(2016, 3, 1),
        states=["TJK", "UZB"],
        host="TJK",
        venue="Dushanbe",
        venue_alt="Душанбе",
        organisers="OSCE",
        responsible_agency="MFA",
        plan_ref=plan.ref,
        ref="tjk-workshop",
    )
    milestone = services.create_milestone(session, draft)
    # Every field comes back, so an edit through any edge starts from what is stored.
    assert MilestoneDraft.from_milestone(milestone) == replace(
        draft, due_reference=milestone.due_end
    )
    (edit,) = milestone.edits
    assert list(edit.changes) == list(EDITABLE)
    # The history records each text's language as found from its script (the draft left it).
    found = {"title_lang": "en", "venue_lang": "en"}
    assert {k: v[1] for k, v in edit.changes.items()} == draft.texts() | found
