"""A plan's own measures: the progress rule (pure), the services, the import (CLI), the pages
and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import make_state
from tests.querycount import count_statements
from tests.web_helpers import add_account, sign_in, text
from tracker import services
from tracker.dates import parse_window
from tracker.enums import MeasureArea, MilestoneKind, MilestoneStatus
from tracker.models import ActionPlan, Milestone, MilestoneEdit, ResponsibleBody
from tracker.policy import Forbidden
from tracker.progress import MeasureFacts, measure_on, progress, quarter_ends, quarterly
from tracker.progress_svg import render_progress
from tracker.seeding import SEEDS_DIR
from tracker.services.bodies import add_body
from tracker.services.measure_import import check_rows, import_measures, read_table
from tracker.services.measures import plan_measures, plan_progress
from tracker.services.milestones import create_milestones

# --- the progress rule (pure) ---------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    new_status: MilestoneStatus
    effective_on: date


DONE, STARTED, CANCELLED = (
    MilestoneStatus.DONE,
    MilestoneStatus.IN_PROGRESS,
    MilestoneStatus.CANCELLED,
)


def measure(n: int, due: str, *changes: tuple[MilestoneStatus, str], **kw: object) -> MeasureFacts:
    history = [Change(s, date.fromisoformat(d)) for s, d in changes]
    return MeasureFacts(n, parse_window(due), history, **kw)  # type: ignore[arg-type]


PLAN = [
    # done on time, done late, overdue (started), not started (not yet due), cancelled,
    # permanent and still going after its plan ended
    measure(1, "third quarter of 2015", (DONE, "2015-09-01"), area=MeasureArea.LEGAL_BASIS),
    measure(2, "2015", (DONE, "2016-02-01"), area=MeasureArea.LEGAL_BASIS, body_ids=(7,)),
    measure(3, "first quarter of 2016", (STARTED, "2016-01-10"), body_ids=(7, 8)),
    measure(4, "December 2016", area=MeasureArea.OUTREACH),
    measure(5, "2015", (CANCELLED, "2015-05-01")),
    measure(6, "2015-2016", (STARTED, "2015-02-01"), permanent=True),
]


def test_the_implementation_rate_counts_done_measures_of_those_not_cancelled() -> None:
    now = progress(PLAN, date(2016, 6, 30)).overall
    assert (now.total, now.done, now.cancelled) == (5, 2, 1)
    assert now.share_done == pytest.approx(0.4) and now.percent(now.done) == 40
    assert now.done_on_time == 1  # measure 2 was done a month after its window
    assert now.overdue == 1  # measure 3; the permanent one never is
    assert (now.not_started, now.in_progress) == (1, 2)


def test_progress_as_of_an_earlier_date_reads_the_history_then() -> None:
    then = progress(PLAN, date(2015, 12, 31)).overall
    assert (then.done, then.overdue, then.not_started) == (1, 0, 3)
    # On 1 January 2016 measure 2 ("2015", not yet done) is overdue.
    assert progress(PLAN, date(2016, 1, 1)).overall.overdue == 1


def test_progress_is_split_by_area_and_by_responsible_body() -> None:
    result = progress(PLAN, date(2016, 6, 30))
    assert result.by_area[MeasureArea.LEGAL_BASIS].done == 2
    assert result.by_area[MeasureArea.OUTREACH].not_started == 1
    assert result.by_body[7].total == 2 and result.by_body[7].done == 1
    assert result.by_body[8].overdue == 1 and 9 not in result.by_body


def test_a_permanent_measure_is_never_overdue_and_done_any_time_is_on_time() -> None:
    ongoing = measure(1, "2015-2016", permanent=True)
    assert not measure_on(ongoing, date(2030, 1, 1)).overdue
    finished = measure(1, "2015", (DONE, "2019-01-01"), permanent=True)
    assert measure_on(finished, date(2020, 1, 1)).on_time


def test_the_quarterly_series_covers_the_plan_period_up_to_the_as_of_date() -> None:
    assert quarter_ends(date(2015, 2, 1), date(2015, 8, 1)) == [
        date(2015, 3, 31),
        date(2015, 6, 30),
        date(2015, 9, 30),
    ]
    points = quarterly(PLAN, (date(2015, 1, 1), date(2016, 12, 31)), date(2016, 2, 15))
    assert [p.label for p in points][:2] == ["2015 Q1", "2015 Q2"]
    assert points[-1].label == "2016 Q1" and points[-1].on == date(2016, 2, 15)
    assert [p.tally.done for p in points] == [0, 0, 1, 1, 2]


def test_the_chart_is_accessible_svg_with_each_quarter_s_figures() -> None:
    points = quarterly(PLAN, (date(2015, 1, 1), date(2016, 12, 31)), date(2016, 6, 30))
    svg = str(render_progress(points, "Progress of the NAP"))
    assert svg.startswith("<svg") and 'role="img"' in svg and "style=" not in svg
    assert '<title id="pg-title">Progress of the NAP</title>' in svg
    assert "Q2 2016 (as of 30 June 2016): 2 of 5 done (40%), 1 on time, 1 overdue" in svg
    assert "No measures recorded yet" in str(render_progress([], "Empty"))


# --- services (both databases) --------------------------------------------------------------


def uzbek_plan(session: Session) -> ActionPlan:
    """Uzbekistan's 2015-2016 plan with two bodies."""
    make_state(session, "UZB"), make_state(session, "TJK")
    plan = services.add_plan(
        session, "UZB", "NAP 2015-2016", "implementing", "2015-2016", ref="uzb"
    )
    add_body(session, "UZB", "Ministry of Foreign Affairs", "Министерство иностранных дел", ["MFA"])
    add_body(session, "UZB", "State Customs Committee", "Государственный таможенный комитет")
    return plan


def draft(number: str, due: str = "third quarter of 2015", **kw: str) -> services.MilestoneDraft:
    values = {
        "kind": "measure",
        "title": f"Measure {number}",
        "due": due,
        "states": ["UZB"],
        "plan_ref": "uzb",
        "measure_number": number,
        "measure_area": "export_control",
        "bodies": "MFA; Государственный таможенный комитет",
    } | kw
    return services.MilestoneDraft(**values)  # type: ignore[arg-type]


def test_a_measure_is_a_milestone_with_its_number_area_and_bodies(session: Session) -> None:
    uzbek_plan(session)
    created = services.create_milestone(session, draft("17", operative_paragraphs="OP2 OP3(a)"))
    session.commit()
    assert created.kind is MilestoneKind.MEASURE and created.measure_number == "17"
    assert created.measure_area is MeasureArea.EXPORT_CONTROL
    assert [b.name_en for b in created.bodies] == [
        "Ministry of Foreign Affairs",
        "State Customs Committee",
    ]
    assert created.due_end == date(2015, 9, 30)  # due by the last day of the quarter
    assert created.edits[0].changes["bodies"][1] == (
        "Ministry of Foreign Affairs; State Customs Committee"
    )


def test_permanently_means_the_plan_s_whole_period_and_never_overdue(session: Session) -> None:
    plan = uzbek_plan(session)
    created = services.create_milestone(session, draft("1", due="permanently"))
    assert created.permanent and created.due_text == "permanently"
    assert (created.due_start, created.due_end) == (date(2015, 1, 1), date(2016, 12, 31))
    result = plan_progress(plan, plan_measures(session, plan), date(2020, 1, 1))
    assert result.progress.overall.overdue == 0


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"bodies": "Ministry of Magic"}, "bodies", "names no responsible body of UZB"),
        ({"plan_ref": None}, "plan", "a measure belongs to a plan"),
        ({"measure_number": ""}, "measure_number", "is required"),
        ({"measure_area": "astrology"}, "measure_area", "must be one of"),
        ({"kind": "workshop"}, "kind", "only a measure"),
    ],
)
def test_a_bad_measure_is_refused_naming_the_field(
    session: Session, changes: dict[str, str | None], field: str, words: str
) -> None:
    uzbek_plan(session)
    with pytest.raises(services.ServiceError) as refused:
        services.create_milestone(session, draft("2", **changes))  # type: ignore[arg-type]
    assert refused.value.field == field and words in str(refused.value)


def test_a_plan_numbers_each_measure_once(session: Session) -> None:
    uzbek_plan(session)
    services.create_milestone(session, draft("3"))
    with pytest.raises(services.Conflict, match="already has a measure with this number"):
        services.create_milestone(session, draft("3"))


def test_a_coordinator_of_another_state_may_not_add_a_measure(session: Session) -> None:
    uzbek_plan(session)
    tajik = services.add_user(session, "tjk@example.org", "a long password", "coordinator", ["TJK"])
    with pytest.raises(Forbidden):
        services.create_milestone(session, draft("4"), recorded_by=tajik)


# --- import (CLI) ---------------------------------------------------------------------------

GOOD_CSV = (
    "number,text,time_frame,bodies,area\n"
    "1,Adopt the export control law,third quarter of 2015,MFA,legal basis\n"
    "2,Train customs officers,2016,State Customs Committee;MFA,border_customs\n"
    "10,Keep the control list up to date,permanently,,export_control\n"
    "11,Review the plan,2018,MFA,\n"
)


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def measures_in(session: Session, plan: ActionPlan) -> list[str]:
    session.expire_all()
    return [m.measure_number or "" for m in plan_measures(session, plan)]


def test_import_measures_loads_a_csv_with_a_warning_for_a_date_outside_the_plan(
    session: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    plan = uzbek_plan(session)
    session.commit()
    path = write(tmp_path, "measures.csv", GOOD_CSV)
    dry = runner.invoke(args=["import-measures", str(plan.id), str(path), "--dry-run"])
    assert dry.exit_code == 0 and "would import 4 measures" in dry.output
    assert measures_in(session, plan) == []
    done = runner.invoke(args=["import-measures", str(plan.id), str(path)])
    assert done.exit_code == 0, done.output
    assert "imported 4 measures" in done.output
    assert "row 5: time frame '2018' is outside the plan's period 2015-2016" in done.output
    assert measures_in(session, plan) == ["1", "2", "10", "11"]
    permanent = session.scalar(select(Milestone).where(Milestone.measure_number == "10"))
    assert permanent is not None and permanent.permanent and permanent.due_end.year == 2016


def test_import_measures_reports_every_bad_row_and_saves_nothing(
    session: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    plan = uzbek_plan(session)
    session.commit()
    bad = write(
        tmp_path,
        "bad.csv",
        "number,text,time_frame,bodies,area\n"
        "1,Adopt the law,third quarter of 2015,MFA,legal_basis\n"
        "1,Again,2015,MFA,\n"
        "2,Unreadable date,the 31st of Smarch,MFA,\n"
        "3,Unknown body,2015,Ministry of Magic,\n"
        "4,Bad area,2015,MFA,astrology\n"
        ",No number,2015,MFA,\n",
    )
    result = runner.invoke(args=["import-measures", str(plan.id), str(bad)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "Error: row 3: number '1' repeats row 2" in lines
    assert any(line.startswith("Error: row 4: time_frame 'the 31st of Smarch'") for line in lines)
    assert any("row 5: bodies 'Ministry of Magic' names no responsible body" in x for x in lines)
    assert any(line.startswith("Error: row 6: area 'astrology' must be one of") for line in lines)
    assert "Error: row 7: number '' is required" in lines
    assert measures_in(session, plan) == []


def table_rows(first: int, last: int) -> list[dict[str, str]]:
    return [
        {"number": str(n), "text": f"Measure {n}", "time_frame": "2016",
         "bodies": "MFA; State Customs Committee", "area": "legal basis"}
        for n in range(first, last + 1)
    ]  # fmt: skip


def test_a_300_row_import_writes_every_measure_in_as_many_statements_as_a_30_row_one(
    app: Flask, session: Session
) -> None:
    plan = uzbek_plan(session)
    session.commit()
    sent: dict[int, int] = {}
    for first, last in ((1, 30), (31, 330)):
        with count_statements(app.extensions["tracker.engine"]) as statements:
            result = import_measures(session, plan, table_rows(first, last), label="test")
            session.commit()
        assert not result.problems and len(result.created) == last - first + 1
        sent[last - first + 1] = len(statements)
    # The statements do not grow with the rows (batched inserts may add one or two), but on
    # SQLite each milestone is one INSERT: SQLAlchemy cannot batch INSERT .. RETURNING there
    # and keep the new ids in order, and the measures' bodies, States and history need them.
    per_row = 1 if app.extensions["tracker.engine"].dialect.name == "sqlite" else 0
    assert sent[300] <= sent[30] + 270 * per_row + 4, sent
    assert measures_in(session, plan) == [str(n) for n in range(1, 331)]
    measures = plan_measures(session, plan)
    assert all(m.state_codes == ["UZB"] and len(m.bodies) == 2 for m in measures)
    assert all(m.measure_area is MeasureArea.LEGAL_BASIS for m in measures)
    edits = session.scalars(select(MilestoneEdit).where(MilestoneEdit.recorded_by_label == "test"))
    assert sorted(e.milestone_id for e in edits) == sorted(m.id for m in measures)
    again = import_measures(session, plan, table_rows(330, 330))
    assert [p.code for p in again.problems] == ["measure_number_taken"]


def test_a_bulk_creation_refuses_a_number_twice_and_one_the_plan_has(session: Session) -> None:
    uzbek_plan(session)
    services.create_milestone(session, draft("1"))
    with pytest.raises(services.Conflict, match="already has a measure with this number"):
        create_milestones(session, [draft("2"), draft("2")])
    with pytest.raises(services.Conflict, match="already has a measure with this number"):
        create_milestones(session, [draft("3"), draft("1")])


def test_a_bulk_creation_asks_the_policy_for_every_measure(session: Session) -> None:
    uzbek_plan(session)
    tajik = services.add_user(session, "tjk@example.org", "a long password", "coordinator", ["TJK"])
    with pytest.raises(Forbidden):
        create_milestones(session, [draft("4"), draft("5")], recorded_by=tajik)


def test_import_measures_reads_xlsx_and_refuses_a_wrong_header(
    session: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    plan = uzbek_plan(session)
    session.commit()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Number", "Text", "Time_frame", "Bodies", "Area"])
    sheet.append([17, "Adopt the law", "IV квартал 2015 г.", "Министерство иностранных дел", ""])
    path = tmp_path / "measures.xlsx"
    book.save(path)
    done = runner.invoke(args=["import-measures", str(plan.id), str(path)])
    assert done.exit_code == 0, done.output
    assert measures_in(session, plan) == ["17"]
    wrong = write(tmp_path, "wrong.csv", "no,what,when\n1,x,2015\n")
    refused = runner.invoke(args=["import-measures", str(plan.id), str(wrong)])
    assert (
        refused.exit_code == 2 and "lacks the column(s) number, text, time_frame" in refused.output
    )
    missing = runner.invoke(args=["import-measures", "99999", str(wrong)])
    assert missing.exit_code == 2 and "no such action plan" in missing.output


def test_the_web_upload_can_share_the_import_check(session: Session) -> None:
    plan = uzbek_plan(session)
    rows = read_table("m.csv", GOOD_CSV.encode())
    checked = check_rows(session, plan, rows)
    assert [row for row, _draft in checked.drafts] == [2, 3, 4, 5] and not checked.problems
    assert session.scalar(select(func.count()).select_from(Milestone)) == 0


# --- pages and the API ----------------------------------------------------------------------


@pytest.fixture
def loaded(session: Session) -> tuple[ActionPlan, ResponsibleBody]:
    """The Uzbek plan with four measures: done, overdue, not started, permanent."""
    plan = uzbek_plan(session)
    done = services.create_milestone(session, draft("1", bodies="MFA"))
    services.change_status(session, done, "done", date(2015, 9, 1), today=date(2016, 6, 30))
    services.create_milestone(
        session, draft("2", due="2015", bodies="MFA; State Customs Committee")
    )
    services.create_milestone(
        session, draft("10", due="December 2016", measure_area="outreach", bodies="MFA")
    )
    services.create_milestone(session, draft("3", due="permanently", measure_area="", bodies="MFA"))
    session.commit()
    customs = session.scalars(
        select(ResponsibleBody).where(ResponsibleBody.name_en == "State Customs Committee")
    ).one()
    return plan, customs


def test_the_plan_page_groups_measures_by_area_with_progress(
    client: FlaskClient, loaded: tuple[ActionPlan, ResponsibleBody]
) -> None:
    plan, customs = loaded
    page = text(client.get(f"/plans/{plan.id}?as_of=2016-06-30"))
    assert "<strong>25% done</strong> (1 of 4 measures; 1 on time), 1 overdue" in page
    assert page.index("<caption>export control</caption>") < page.index(
        "<caption>outreach</caption>"
    )
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart"' in page
    assert "(no deadline)" in page
    overdue = text(client.get(f"/plans/{plan.id}?as_of=2016-06-30&status=overdue"))
    assert "Measure 2" in overdue and "Measure 1<" not in overdue
    by_body = text(client.get(f"/plans/{plan.id}?as_of=2016-06-30&body={customs.id}"))
    assert "Measure 2" in by_body and "Measure 10" not in by_body
    assert client.get(f"/plans/{plan.id}?status=nonsense").status_code == 400
    assert client.get("/plans/99999").status_code == 404


def test_the_body_page_lists_overdue_first(
    client: FlaskClient, session: Session, loaded: tuple[ActionPlan, ResponsibleBody]
) -> None:
    _plan, _customs = loaded
    mfa = session.scalars(
        select(ResponsibleBody).where(ResponsibleBody.name_en == "Ministry of Foreign Affairs")
    ).one()
    page = text(client.get(f"/bodies/{mfa.id}?as_of=2016-06-30"))
    assert "Министерство иностранных дел" in page
    # Measure 2 ("2015", open) is overdue: it comes before measure 1 (done) and 10 (not yet due).
    assert page.index("Measure 2<") < page.index("Measure 1<") < page.index("Measure 10<")
    assert client.get("/bodies/99999").status_code == 404


def test_the_pages_are_closed_to_visitors_when_reading_needs_an_account(
    app: Flask, client: FlaskClient, session: Session, loaded: tuple[ActionPlan, ResponsibleBody]
) -> None:
    plan, customs = loaded
    app.config["ANONYMOUS_READ"] = False
    assert client.get(f"/plans/{plan.id}").status_code == 302
    assert client.get(f"/bodies/{customs.id}").status_code == 302
    add_account(session, "reader@example.org", "viewer")
    sign_in(client, "reader@example.org")
    assert client.get(f"/plans/{plan.id}").status_code == 200


def test_the_api_gives_a_plan_s_measures_and_progress_and_a_body_s_work(
    client: FlaskClient, loaded: tuple[ActionPlan, ResponsibleBody]
) -> None:
    plan, customs = loaded
    body = client.get(f"/api/v1/plans/{plan.id}?as_of=2016-06-30").get_json()
    assert body["progress"]["done"] == 1 and body["progress"]["share_done"] == 0.25
    assert [m["number"] for m in body["measures"]] == ["1", "2", "3", "10"]
    assert body["quarters"][-1]["quarter"] == "2016 Q2"
    work = client.get(f"/api/v1/bodies/{customs.id}?as_of=2016-06-30").get_json()
    assert [m["number"] for m in work["measures"]] == ["2"] and work["measures"][0]["overdue"]
    one = client.get(work["measures"][0]["url"]).get_json()
    assert [b["name_en"] for b in one["measure"]["bodies"]] == [
        "Ministry of Foreign Affairs",
        "State Customs Committee",
    ]
    assert client.get("/api/v1/plans/99999").status_code == 404


def test_the_dashboard_card_shows_the_current_plan_s_progress(
    client: FlaskClient, loaded: tuple[ActionPlan, ResponsibleBody]
) -> None:
    page = text(client.get("/?as_of=2016-06-30"))
    assert "2015-2016 plan</a>: 25% of 4 measures done, 1 overdue" in page


# --- the seeded plan ------------------------------------------------------------------------

UZB_2015 = SEEDS_DIR / "uzb-nap-2015-2016" / "nap.toml"


def test_uzbekistan_s_2015_2016_plan_seeds_its_measures_with_quotes(
    seeded: Session, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    loaded = runner.invoke(args=["seed", "--file", str(UZB_2015)])
    assert loaded.exit_code == 0, loaded.output
    assert "2 milestones" in loaded.output and "7 bodies" in loaded.output
    again = runner.invoke(args=["seed", "--file", str(UZB_2015)])
    assert again.output.startswith("Nothing to do")
    plan = services.get_plan(seeded, "uzb-nap-2015-2016")
    measures = plan_measures(seeded, plan)
    assert [(m.measure_number, m.due_text, len(m.bodies)) for m in measures] == [
        ("1", "third quarter of 2015", 7),
        ("2", "fourth quarter of 2015", 7),
    ]
    assert all(c.quote in c.note.text for m in measures for c in m.citations)
    page = text(client.get(f"/plans/{plan.id}?as_of=2016-01-01"))
    assert "<strong>0% done</strong> (0 of 2 measures; 0 on time), 2 overdue" in page
    assert "Government Inspectorate for the Oversight of Occupational Safety" in page


def test_a_measure_dated_outside_its_plan_is_kept_with_a_warning(
    session: Session, client: FlaskClient
) -> None:
    uzbek_plan(session)
    late = services.create_milestone(session, draft("5", due="2018"))
    session.commit()
    page = text(client.get(f"/milestones/{late.id}"))
    assert "time frame &#39;2018&#39; is outside the plan&#39;s period 2015-2016" in page


def test_a_measure_s_page_links_its_plan_and_bodies(
    client: FlaskClient, session: Session, loaded: tuple[ActionPlan, ResponsibleBody]
) -> None:
    plan, customs = loaded
    two = session.scalars(select(Milestone).where(Milestone.measure_number == "2")).one()
    page = text(client.get(f"/milestones/{two.id}"))
    assert f'No. 2 of <a href="/plans/{plan.id}">NAP 2015-2016</a>' in page
    assert f'<a href="/bodies/{customs.id}">State Customs Committee</a>' in page


def test_bodies_are_added_and_listed_from_the_command_line(
    session: Session, runner: FlaskCliRunner
) -> None:
    make_state(session, "UZB")
    session.commit()
    args = ["body", "add", "UZB", "Ministry of Health", "--ru", "Министерство здравоохранения"]
    added = runner.invoke(args=[*args, "--alias", "MoH"])
    assert added.exit_code == 0 and "Ministry of Health (UZB)" in added.output
    again = runner.invoke(args=args)
    assert again.exit_code == 2 and "UZB already has a body of this name" in again.output
    listed = runner.invoke(args=["body", "list", "uzb"])
    assert "Ministry of Health\tМинистерство здравоохранения | MoH" in listed.output
    unknown = runner.invoke(args=["body", "list", "XXX"])
    assert unknown.exit_code == 2 and "no such State" in unknown.output


def test_moving_a_measure_to_a_plan_that_has_its_number_is_refused(session: Session) -> None:
    uzbek_plan(session)
    services.add_plan(session, "UZB", "NAP 2017-2021", "drafting", "2017-2021", ref="uzb-2017")
    services.create_milestone(session, draft("1", due="2018", plan_ref="uzb-2017"))
    mine = services.create_milestone(session, draft("1"))
    session.commit()
    kept = services.edit_milestone(session, mine, draft("1", title="Renamed"), mine.version)
    assert kept is not None and mine.title == "Renamed"
    moved = draft("1", due="2018", plan_ref="uzb-2017")
    with pytest.raises(services.Conflict, match="already has a measure with this number"):
        services.edit_milestone(session, mine, moved, mine.version)
