"""Typed models: States, plans, milestones, source notes, citations, history, users."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from tracker.bilingual import Bilingual, StateNames
from tracker.dates import DueWindow, Precision
from tracker.enums import (
    MeasureArea,
    MilestoneKind,
    MilestoneStatus,
    NoteKind,
    PlanStatus,
    Role,
    TokenPurpose,
)
from tracker.messages import Worded

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TITLE_MAX = 300
STATE_NAME_MAX = 100
OFFICIAL_NAME_MAX = 200
TEXT_MAX = 10_000
NOTE_MAX = 1_000_000


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back timezone-aware on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    """Declarative base with stable constraint names on every database."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


milestone_states = Table(
    "milestone_states",
    Base.metadata,
    Column("milestone_id", ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True),
    Column("state_code", ForeignKey("states.code"), primary_key=True, index=True),
)

measure_bodies = Table(
    "measure_bodies",
    Base.metadata,
    Column("milestone_id", ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "body_id",
        ForeignKey("responsible_bodies.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

# A body's focal points: the accounts that record progress on its measures and get its reminders.
body_focal_points = Table(
    "body_focal_points",
    Base.metadata,
    Column("body_id", ForeignKey("responsible_bodies.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


user_states = Table(
    "user_states",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("state_code", ForeignKey("states.code"), primary_key=True),
)


class State(Base):
    """A UN Member State, by its ISO 3166-1 alpha-3 code."""

    __tablename__ = "states"
    __table_args__ = (CheckConstraint("length(code) = 3", name="code_alpha3"),)

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(STATE_NAME_MAX), unique=True)  # English, short
    # The other forms ('' when not stored: pages fall back to the English short name).
    official_name: Mapped[str] = mapped_column(
        String(OFFICIAL_NAME_MAX), default="", server_default=""
    )
    name_ru: Mapped[str] = mapped_column(String(STATE_NAME_MAX), default="", server_default="")
    official_name_ru: Mapped[str] = mapped_column(
        String(OFFICIAL_NAME_MAX), default="", server_default=""
    )

    plans: Mapped[list[ActionPlan]] = relationship(back_populates="state", order_by="ActionPlan.id")

    @property
    def names(self) -> StateNames:
        """The State's names in both languages, short and official."""
        return StateNames(self.name, self.official_name, self.name_ru, self.official_name_ru)

    def __repr__(self) -> str:
        return f"<State {self.code}>"


class ActionPlan(Base):
    """A State's National Implementation Action Plan (NAP)."""

    __tablename__ = "action_plans"
    __table_args__ = (
        CheckConstraint(
            "period_end IS NULL OR (period_start IS NOT NULL AND period_end >= period_start)",
            name="period_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(80), unique=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    title_lang: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    title_alt: Mapped[str] = mapped_column(String(TITLE_MAX), default="", server_default="")
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]
    status: Mapped[PlanStatus] = mapped_column(_enum(PlanStatus, "plan_status"))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("action_plans.id"))

    state: Mapped[State] = relationship(back_populates="plans")
    supersedes: Mapped[ActionPlan | None] = relationship(remote_side=[id])
    citations: Mapped[list[Citation]] = relationship(back_populates="plan", order_by="Citation.id")

    @property
    def period(self) -> str | None:
        """The plan period as years, e.g. '2017-2021'."""
        if self.period_start is None:
            return None
        if self.period_end is None or self.period_end == self.period_start:
            return str(self.period_start)
        return f"{self.period_start}-{self.period_end}"

    @property
    def title_text(self) -> Bilingual:
        """The title as written, its language and its translation."""
        return Bilingual(self.title, self.title_lang, self.title_alt)


class Milestone(Base):
    """A dated step of a plan: drafting, a deadline, a report, a meeting."""

    __tablename__ = "milestones"
    __table_args__ = (
        CheckConstraint("due_end >= due_start", name="due_order"),
        # A plan numbers its measures once each ("17", "I.3"); other milestones have no number.
        UniqueConstraint("plan_id", "measure_number", name="uq_milestones_plan_measure_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(80), unique=True)
    kind: Mapped[MilestoneKind] = mapped_column(_enum(MilestoneKind, "milestone_kind"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # The language the title is written in, and its translation into the other ('' if none).
    title_lang: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    title_alt: Mapped[str] = mapped_column(String(TITLE_MAX), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="")
    due_start: Mapped[date] = mapped_column(Date, index=True)
    due_end: Mapped[date] = mapped_column(Date, index=True)
    due_precision: Mapped[Precision] = mapped_column(_enum(Precision, "due_precision"))
    due_text: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    venue_lang: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    venue_alt: Mapped[str] = mapped_column(String(TITLE_MAX), default="", server_default="")
    organisers: Mapped[str] = mapped_column(String(1000), default="")
    responsible_agency: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    host_state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("action_plans.id"), index=True)
    status: Mapped[MilestoneStatus] = mapped_column(_enum(MilestoneStatus, "milestone_status"))
    # The effective date of the latest status change (None: no history, still planned). History
    # is kept in date order, so `status` has held on every day since: status-as-of queries read
    # the history only for earlier dates.
    status_since: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    # A plan's measure (kind `measure`): its number as the plan writes it, its area, the
    # resolution's operative paragraphs it serves ("OP2 OP3(a)") and whether the plan gives it
    # no deadline ("permanently": its window is then the plan's whole period, never overdue).
    measure_number: Mapped[str | None] = mapped_column(String(20))
    measure_area: Mapped[MeasureArea | None] = mapped_column(_enum(MeasureArea, "measure_area"))
    operative_paragraphs: Mapped[str] = mapped_column(String(100), default="", server_default="")
    permanent: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    host_state: Mapped[State | None] = relationship()
    states: Mapped[list[State]] = relationship(secondary=milestone_states, order_by=State.code)
    plan: Mapped[ActionPlan | None] = relationship()
    citations: Mapped[list[Citation]] = relationship(
        back_populates="milestone", order_by="Citation.id"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="milestone",
        order_by="[StatusChange.effective_on, StatusChange.id]",
    )
    edits: Mapped[list[MilestoneEdit]] = relationship(
        back_populates="milestone", order_by="MilestoneEdit.id"
    )
    bodies: Mapped[list[ResponsibleBody]] = relationship(
        secondary=measure_bodies, order_by="ResponsibleBody.name_en"
    )

    @property
    def due_window(self) -> DueWindow:
        """The due window as parsed and as written."""
        return DueWindow(self.due_start, self.due_end, self.due_precision, self.due_text)

    @due_window.setter
    def due_window(self, window: DueWindow) -> None:
        self.due_start, self.due_end = window.start, window.end
        self.due_precision, self.due_text = window.precision, window.text

    @property
    def state_codes(self) -> list[str]:
        """Codes of every participating State, sorted."""
        return [s.code for s in self.states]

    @property
    def title_text(self) -> Bilingual:
        """The title as written, its language and its translation."""
        return Bilingual(self.title, self.title_lang, self.title_alt)

    @property
    def venue_text(self) -> Bilingual:
        """The venue as written, its language and its translation."""
        return Bilingual(self.venue, self.venue_lang, self.venue_alt)

    def __repr__(self) -> str:
        return f"<Milestone {self.id} {self.title!r}>"


class ResponsibleBody(Base):
    """A ministry or agency of a State that a plan makes responsible for measures."""

    __tablename__ = "responsible_bodies"
    __table_args__ = (UniqueConstraint("state_code", "name_en"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    name_en: Mapped[str] = mapped_column(String(TITLE_MAX))
    name_ru: Mapped[str] = mapped_column(String(TITLE_MAX), default="", server_default="")
    # Other names imports may use (short forms, abbreviations, older names), one per line.
    aliases: Mapped[str] = mapped_column(Text, default="", server_default="")

    state: Mapped[State] = relationship()
    focal_points: Mapped[list[User]] = relationship(
        secondary=body_focal_points, back_populates="focal_bodies", order_by="User.email"
    )

    @property
    def alias_list(self) -> list[str]:
        """The aliases, one per entry."""
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]

    @property
    def names(self) -> list[str]:
        """Every name the body is known by: English, Russian, aliases."""
        return [n for n in (self.name_en, self.name_ru, *self.alias_list) if n]

    def name_for(self, reader: str) -> str:
        """The name in the reader's language; English when no Russian one is stored."""
        return (self.name_ru if reader == "ru" else "") or self.name_en

    def __repr__(self) -> str:
        return f"<ResponsibleBody {self.id} {self.name_en!r}>"


class SourceNote(Base):
    """A source document (information note, press release) that milestones cite."""

    __tablename__ = "source_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    kind: Mapped[NoteKind] = mapped_column(_enum(NoteKind, "note_kind"))
    event: Mapped[str] = mapped_column(String(1000), default="")
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    citations: Mapped[list[Citation]] = relationship(back_populates="note", order_by="Citation.id")

    @property
    def name(self) -> str:
        """What people call the note: its title and date; the slug is for URLs only."""
        return note_name(self.title, self.created_at)

    @staticmethod
    def digest(text: str) -> str:
        """SHA-256 of the text as UTF-8, in hex."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


_YEAR = re.compile(r"\b(1[89]|2[0-9])[0-9]{2}\b")


def note_name(title: str, added: datetime | None) -> str:
    """A note's title, with the day it was added when the title gives no year.

    Seed and imported notes are titled with their event and its date ("Information Note:
    ..., Dushanbe, 29-30 July 2015"); a title without a year gets the day it was added.
    """
    title = " ".join(title.split()) or "Untitled note"
    if _YEAR.search(title) or added is None:
        return title
    return f"{title} (added {added.day} {added:%B %Y})"


class NoteFile(Base):
    """The file a note was read from (PDF, Word, HTML), kept as received with its SHA-256.

    The note's text is what was read from it; quotes are verbatim against that text.
    """

    __tablename__ = "note_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("source_notes.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Citation(Base):
    """A verbatim quote from a note supporting a milestone or a plan."""

    __tablename__ = "citations"
    __table_args__ = (
        CheckConstraint("(milestone_id IS NULL) <> (plan_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("action_plans.id"), index=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("source_notes.id"), index=True)
    quote: Mapped[str] = mapped_column(Text)
    # Where the quote first stands in the note's text, computed when the citation is made, so
    # that reading a citation never loads the note's text (up to 1 MB) to find it again.
    quote_start: Mapped[int] = mapped_column(server_default="0")
    quote_end: Mapped[int] = mapped_column(server_default="0")
    # The date this source gives for the milestone, when it gives one; compared for warnings.
    date_text: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    milestone: Mapped[Milestone | None] = relationship(back_populates="citations")
    plan: Mapped[ActionPlan | None] = relationship(back_populates="citations")
    note: Mapped[SourceNote] = relationship(back_populates="citations")

    @property
    def quote_span(self) -> tuple[int, int]:
        """Where the quote first stands in the note's text (start, end)."""
        return self.quote_start, self.quote_end


class StatusChange(Base):
    """One entry of a milestone's append-only status history."""

    __tablename__ = "status_changes"
    # Covers "the last change effective by a date" per milestone (status as of, in SQL).
    __table_args__ = (
        Index("ix_status_changes_as_of", "milestone_id", "effective_on", "id", "new_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"))
    old_status: Mapped[MilestoneStatus | None] = mapped_column(_enum(MilestoneStatus, "old_status"))
    new_status: Mapped[MilestoneStatus] = mapped_column(_enum(MilestoneStatus, "new_status"))
    effective_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_label: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    citation_id: Mapped[int | None] = mapped_column(ForeignKey("citations.id"))

    milestone: Mapped[Milestone] = relationship(back_populates="history")
    recorded_by: Mapped[User | None] = relationship()
    citation: Mapped[Citation | None] = relationship()

    @property
    def recorder(self) -> str:
        """Who recorded the change, as readers see it (no e-mail addresses)."""
        return recorder_name(self.recorded_by, self.recorded_by_label, show_emails=False)

    def recorder_for(self, show_emails: bool) -> str:
        """Who recorded the change; with their e-mail for administrators."""
        return recorder_name(self.recorded_by, self.recorded_by_label, show_emails=show_emails)


class MilestoneEdit(Base):
    """One entry of a milestone's append-only edit history: which fields changed, by whom."""

    __tablename__ = "milestone_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    changes: Mapped[dict[str, list[str | None]]] = mapped_column(JSON)
    # Why, when the editor said (a postponement gives its reason).
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_label: Mapped[str] = mapped_column(String(200), default="")

    milestone: Mapped[Milestone] = relationship(back_populates="edits")
    recorded_by: Mapped[User | None] = relationship()

    @property
    def recorder(self) -> str:
        """Who made the edit, as readers see it (no e-mail addresses)."""
        return recorder_name(self.recorded_by, self.recorded_by_label, show_emails=False)

    def recorder_for(self, show_emails: bool) -> str:
        """Who made the edit; with their e-mail for administrators."""
        return recorder_name(self.recorded_by, self.recorded_by_label, show_emails=show_emails)


# An e-mail address anywhere in a free-text label ("import by tjk@x.org").
EMAIL_IN_TEXT = re.compile(r"[^\s@<>()\"',;:]+@[^\s@<>()\"',;:]+\.[^\s@<>()\"',;:]+")


def recorder_name(user: User | None, label: str, *, show_emails: bool) -> str:
    """Who recorded a history entry: a name for readers, with the e-mail for administrators."""
    if user is not None:
        name = user.public_name
        return (
            Worded("name_with_email", {"name": name, "email": user.email}) if show_emails else name
        )
    label = label or "unknown"
    return label if show_emails else EMAIL_IN_TEXT.sub("(e-mail withheld)", label)


class HistoryIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove a recorded status change."""


class DataRevision(Base):
    """One row whose token changes with every committed change to what the pages show.

    Caches of rendered pages key on the token (see tracker.revision); the token is random, so
    a restored backup brings back exactly the token its data had.
    """

    __tablename__ = "data_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _refuse_history_update(_mapper: Any, _connection: Any, target: Any) -> None:
    raise HistoryIsAppendOnly(f"{target.__tablename__} {target.id} is history; it cannot change")


def _refuse_history_delete(_mapper: Any, _connection: Any, target: Any) -> None:
    raise HistoryIsAppendOnly(
        f"{target.__tablename__} {target.id} is history: it cannot be deleted"
    )


for _history_model in (StatusChange, MilestoneEdit):
    event.listen(_history_model, "before_update", _refuse_history_update)
    event.listen(_history_model, "before_delete", _refuse_history_delete)


class User(Base):
    """A person who signs in: admin, coordinator (of some States) or viewer."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the id kept in every signed-in session; bumping it ends all of them (sign-out,
    # password change, deactivation), since session cookies live in the browser.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The dashboard's "changes since your last visit": when the account was last seen there
    # (written at most every few minutes), and when its visit before this one ended.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    previous_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The interface language the reader chose on /account (tracker.i18n); None: the browser's.
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True, default=None)
    # The time zone timestamps are shown in (tracker.timezones); None: from the account's
    # States, else the site default (TRACKER_DEFAULT_TIMEZONE).
    timezone: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)

    states: Mapped[list[State]] = relationship(secondary=user_states, order_by=State.code)
    # The bodies whose measures the account records progress on as their focal point.
    focal_bodies: Mapped[list[ResponsibleBody]] = relationship(
        secondary=body_focal_points, back_populates="focal_points", order_by=ResponsibleBody.id
    )

    # The three attributes and get_id() below are what Flask-Login asks of a user.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """Deactivated accounts cannot sign in."""
        return self.active

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: the account and its session generation."""
        return f"{self.id}.{self.session_generation}"

    @property
    def public_name(self) -> str:
        """How the account is named to readers: its display name, else its role (no e-mail)."""
        if self.display_name.strip():
            return self.display_name
        # Worded: English as a str (the API, logs); `words` gives the reader's language.
        if self.role is Role.COORDINATOR and self.states:
            return Worded(
                "coordinator_of", {"states": ", ".join(sorted(s.code for s in self.states))}
            )
        return Worded(
            {Role.ADMIN: "role_admin", Role.VIEWER: "role_viewer"}.get(
                self.role, "role_coordinator"
            ),
            {},
        )


class LoginFailure(Base):
    """A failed sign-in, kept for the throttle window (per account and per client address)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_failed_at", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "account:<e-mail as typed, normalised>" or "address:<client address>"
    key: Mapped[str] = mapped_column(String(300))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiToken(Base):
    """A personal token (API or calendar feed); only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(_enum(TokenPurpose, "token_purpose"))
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        """Not revoked, and its owner's account is active."""
        return self.revoked_at is None and self.user.active


class SavedView(Base):
    """A filtered list (the deadline report or a State's milestones) kept under a name."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    page: Mapped[str] = mapped_column(String(20))  # "report" or "timeline"
    state_code: Mapped[str | None] = mapped_column(String(3))  # the timeline's State
    query: Mapped[str] = mapped_column(String(2000), default="")  # the filters, URL-encoded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
