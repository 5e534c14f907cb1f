"""Who hears about what: mail preferences, State subscriptions, watches, snoozes, and the
reminder run that queues each notice once (rules in tracker.reminders, mail in the outbox).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import Message
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tracker import reports
from tracker.enums import MilestoneKind, Role
from tracker.models import State, StatusChange, User, body_focal_points, measure_bodies, user_states
from tracker.policy import Action, Forbidden, allows, coordinated_states
from tracker.reminder_models import (
    DigestFrequency,
    MailNotice,
    MailPreference,
    NoticeReason,
    Snooze,
    StateSubscription,
    Watch,
)
from tracker.reminders import (
    DEFAULT_LEAD_DAYS,
    Candidate,
    Due,
    LeadDaysError,
    due_notice,
    format_lead_days,
    parse_lead_days,
)
from tracker.services import outbox
from tracker.services.catalogue import resolve_states
from tracker.services.common import ServiceError, choice
from tracker.services.milestones import MilestoneFacts, get_milestone, report_candidates

BATCH = 1000

# --- preferences ----------------------------------------------------------------------------


def require_own(actor: User | None, user: User) -> None:
    """Mail settings are the user's own: only they (or an admin, or the CLI) change them."""
    if actor is None or actor.id == user.id or allows(actor, Action.MANAGE_ACCOUNTS):
        return
    raise Forbidden("user", user.id, "own_mail_settings_only")


def preferences(session: Session, user_id: int) -> MailPreference:
    """The user's mail preferences (the defaults, unsaved, when none are stored)."""
    stored = session.get(MailPreference, user_id)
    if stored is not None:
        return stored
    return MailPreference(
        user_id=user_id,
        lead_days=format_lead_days(DEFAULT_LEAD_DAYS),
        kinds=[],
        digest=DigestFrequency.WEEKLY,
        paused=False,
    )


def subscribed_states(session: Session, user: User) -> list[str]:
    """The States whose mail the user gets: a coordinator's own unless opted out, plus any
    chosen."""
    chosen = dict(
        session.execute(
            select(StateSubscription.state_code, StateSubscription.subscribed).where(
                StateSubscription.user_id == user.id
            )
        )
        .tuples()
        .all()
    )
    return sorted(_effective_states(user.role, [s.code for s in user.states], chosen))


def _effective_states(role: Role, own: Iterable[str], chosen: dict[str, bool]) -> set[str]:
    default = coordinated_states(role, own)
    return {c for c in default if chosen.get(c, True)} | {c for c, on in chosen.items() if on}


@dataclass(frozen=True)
class PreferenceChoice:
    """What a user chose on the preferences form (or an API/CLI call)."""

    states: Sequence[str]
    kinds: Sequence[str]
    lead_days: str
    digest: str
    paused: bool


def update_preferences(
    session: Session, actor: User | None, user: User, choice_: PreferenceChoice
) -> MailPreference:
    """Store the user's choices; refuse lead times that are not whole days 0-365."""
    require_own(actor, user)
    try:
        leads = parse_lead_days(choice_.lead_days)
    except LeadDaysError as error:
        code = error.code  # one of the lead_days_* codes
        raise ServiceError("lead_days", choice_.lead_days, code, **error.params) from None
    kinds = sorted({choice("kinds", MilestoneKind, k).value for k in choice_.kinds})
    codes = set(resolve_states(session, choice_.states)) if choice_.states else set()
    pref = preferences(session, user.id)
    pref.lead_days = format_lead_days(leads)
    pref.kinds = kinds
    pref.digest = choice("digest", DigestFrequency, choice_.digest)
    pref.paused = choice_.paused
    session.add(pref)
    _choose_states(session, user, codes)
    session.flush()
    return pref


def _choose_states(session: Session, user: User, codes: set[str]) -> None:
    existing = {
        s.state_code: s
        for s in session.scalars(
            select(StateSubscription).where(StateSubscription.user_id == user.id)
        )
    }
    own = coordinated_states(user.role, (s.code for s in user.states))
    for code in sorted(own | codes | set(existing)):
        wanted = code in codes
        if code in own and wanted:  # the default: no row needed
            if code in existing:
                session.delete(existing[code])
            continue
        if code in existing:
            existing[code].subscribed = wanted
        elif wanted or code in own:
            session.add(StateSubscription(user_id=user.id, state_code=code, subscribed=wanted))


def pause_all(session: Session, user_id: int) -> None:
    """Stop every e-mail to the user (one-click unsubscribe); preferences stay as they were."""
    pref = preferences(session, user_id)
    pref.paused = True
    session.add(pref)
    session.flush()


def watch(session: Session, actor: User, milestone_id: int, on: bool) -> None:
    """Follow (or stop following) one milestone, whatever its States."""
    milestone = get_milestone(session, milestone_id)
    existing = session.get(Watch, (actor.id, milestone.id))
    if on and existing is None:
        session.add(Watch(user_id=actor.id, milestone_id=milestone.id))
    elif not on and existing is not None:
        session.delete(existing)
    session.flush()


def snooze(session: Session, actor: User, milestone_id: int, until: date | None) -> None:
    """No mail to the user about this milestone until the day (None: wake it up)."""
    milestone = get_milestone(session, milestone_id)
    existing = session.get(Snooze, (actor.id, milestone.id))
    if until is None:
        if existing is not None:
            session.delete(existing)
    elif existing is None:
        session.add(Snooze(user_id=actor.id, milestone_id=milestone.id, until=until))
    else:
        existing.until = until
    session.flush()


@dataclass(frozen=True)
class MilestoneMail:
    """What a user asked about one milestone's e-mail: watching it, snoozed until a day."""

    watching: bool
    snoozed_until: date | None


def milestone_mail(session: Session, user: User, milestone_id: int, today: date) -> MilestoneMail:
    """The user's watch and snooze of a milestone (a snooze that has run out is no snooze)."""
    snoozed = session.get(Snooze, (user.id, milestone_id))
    until = snoozed.until if snoozed is not None and snoozed.until >= today else None
    return MilestoneMail(session.get(Watch, (user.id, milestone_id)) is not None, until)


# --- the reminder run -----------------------------------------------------------------------


@dataclass
class Audience:
    """One user who may get mail, with what they asked for."""

    user: User
    lead_days: tuple[int, ...]
    kinds: frozenset[str]
    states: set[str]
    watched: set[int] = field(default_factory=set)
    bodies: set[int] = field(default_factory=set)  # the bodies whose focal point they are
    snoozed: dict[int, date] = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """A notice queued by this run: the rule's verdict and the milestone as reports show it."""

    due: Due
    item: reports.ReportItem


Composer = Callable[[User, list[Notice], date], Message]


def audience(session: Session) -> list[Audience]:
    """Every active user who has not paused mail, with their States, watches and snoozes
    (a constant number of statements, whatever the number of users)."""
    users = list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)))
    prefs = {p.user_id: p for p in session.scalars(select(MailPreference))}
    own: dict[int, list[str]] = defaultdict(list)
    for user_id, code in session.execute(select(user_states.c.user_id, user_states.c.state_code)):
        own[user_id].append(code)
    chosen: dict[int, dict[str, bool]] = defaultdict(dict)
    for sub in session.scalars(select(StateSubscription)):
        chosen[sub.user_id][sub.state_code] = sub.subscribed
    people: dict[int, Audience] = {}
    for user in users:
        pref = prefs.get(user.id)
        if pref is not None and pref.paused:
            continue
        leads = parse_lead_days(pref.lead_days) if pref else DEFAULT_LEAD_DAYS
        kinds = frozenset(pref.kinds) if pref else frozenset()
        states = _effective_states(user.role, own[user.id], chosen[user.id])
        people[user.id] = Audience(user, leads, kinds, states)
    links = select(body_focal_points.c.user_id, body_focal_points.c.body_id)
    for user_id, body_id in session.execute(links):
        if user_id in people:
            people[user_id].bodies.add(body_id)
    for w in session.scalars(select(Watch)):
        if w.user_id in people:
            people[w.user_id].watched.add(w.milestone_id)
    for s in session.scalars(select(Snooze)):
        if s.user_id in people:
            people[s.user_id].snoozed[s.milestone_id] = s.until
    return list(people.values())


def _status_since(session: Session, as_of: date) -> dict[int, date]:
    stmt = (
        select(StatusChange.milestone_id, func.max(StatusChange.effective_on))
        .where(StatusChange.effective_on <= as_of)
        .group_by(StatusChange.milestone_id)
    )
    return dict(session.execute(stmt).tuples().all())


def due_notices(
    session: Session, as_of: date
) -> tuple[list[Audience], dict[tuple[int, int], Due], dict[int, MilestoneFacts]]:
    """What each user is due on the date, before anything is queued."""
    people = audience(session)
    if not people:
        return [], {}, {}
    horizon = max(max(p.lead_days) for p in people)
    facts = {f.id: f for f in report_candidates(session, as_of, as_of + timedelta(days=horizon))}
    since = _status_since(session, as_of)
    by_state: dict[str, list[int]] = defaultdict(list)
    for f in facts.values():
        for code in f.states:
            by_state[code].append(f.id)
    by_body = _measures_by_body(session, facts) if any(p.bodies for p in people) else {}
    dues: dict[tuple[int, int], Due] = {}
    for person in people:
        ids = {i for code in person.states for i in by_state.get(code, ())}
        ids |= {i for body_id in person.bodies for i in by_body.get(body_id, ())}
        ids |= person.watched & facts.keys()
        for milestone_id in sorted(ids):
            f = facts[milestone_id]
            if person.kinds and f.kind.value not in person.kinds:
                continue
            candidate = Candidate(f.id, f.kind, f.window, f.status, since.get(f.id))
            due = due_notice(candidate, as_of, person.lead_days, person.snoozed.get(f.id))
            if due is not None:
                dues[(person.user.id, milestone_id)] = due
    return people, dues, facts


def _measures_by_body(session: Session, facts: dict[int, MilestoneFacts]) -> dict[int, list[int]]:
    """The measures among the candidates, by the bodies responsible for them (a focal point
    hears about their bodies' measures as a coordinator does about their States')."""
    measures = [f.id for f in facts.values() if f.kind is MilestoneKind.MEASURE]
    by_body: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(measures), BATCH):
        stmt = select(measure_bodies.c.body_id, measure_bodies.c.milestone_id).where(
            measure_bodies.c.milestone_id.in_(measures[start : start + BATCH])
        )
        for body_id, milestone_id in session.execute(stmt):
            by_body[body_id].append(milestone_id)
    return by_body


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> list[Any]:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = MailNotice.metadata.tables["mail_notices"]
    stmt = (
        insert(table)
        .on_conflict_do_nothing()
        .returning(table.c.id, table.c.user_id, table.c.milestone_id)
    )
    # A list of rows: one cached statement, sent as multi-row batches ("insertmanyvalues").
    return list(session.connection().execute(stmt, rows).all())


def queue_reminders(session: Session, as_of: date, compose: Composer) -> list[Queued]:
    """Queue every reminder and overdue notice due on the date, each (user, milestone,
    reason, lead) once ever; one e-mail per user per run. Returns the e-mails queued."""
    people, dues, facts = due_notices(session, as_of)
    if not dues:
        return []
    now_rows = [
        {
            "user_id": user_id,
            "milestone_id": milestone_id,
            "reason": NoticeReason(due.reason).value,
            "lead": due.lead,
            "as_of": as_of,
        }
        for (user_id, milestone_id), due in dues.items()
    ]
    claimed: dict[int, list[tuple[int, int]]] = defaultdict(list)  # user -> (notice, milestone)
    for start in range(0, len(now_rows), BATCH):
        for notice_id, user_id, milestone_id in _insert_ignoring_duplicates(
            session, now_rows[start : start + BATCH]
        ):
            claimed[user_id].append((notice_id, milestone_id))
    by_id = {p.user.id: p for p in people}
    rows, links = [], []
    for user_id in sorted(claimed):
        notices = [
            Notice(dues[(user_id, m)], _item(facts[m], as_of, dues[(user_id, m)]))
            for _, m in claimed[user_id]
        ]
        notices.sort(key=lambda n: (n.due.reason != "overdue", n.item.key_day, n.item.id))
        message = compose(by_id[user_id].user, notices, as_of)
        rows.append(outbox.outbox_row(user_id, str(message["Subject"]), message))
        links += [
            {"id": notice_id, "message_id": rows[-1]["message_id"]}
            for notice_id, _ in claimed[user_id]
        ]
    for start in range(0, len(rows), BATCH):  # executemany: one statement per batch
        outbox.queue(session, rows[start : start + BATCH])
    for start in range(0, len(links), BATCH):
        session.execute(update(MailNotice), links[start : start + BATCH])
    return [Queued(r["recipient"], r["subject"]) for r in rows]


@dataclass(frozen=True)
class Queued:
    """An e-mail a run queued: to whom, about what."""

    recipient: str
    subject: str


def _item(f: MilestoneFacts, as_of: date, due: Due) -> reports.ReportItem:
    within = due.lead if due.reason == "reminder" else 0
    return reports.facts_item(f, as_of, within)


def state_names(session: Session) -> dict[str, str]:
    """State names by code, for mail that names them."""
    return dict(session.execute(select(State.code, State.name)).tuples().all())
