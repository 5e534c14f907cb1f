"""The vocabularies of the domain (pure; shared by models, rules and forms)."""

from __future__ import annotations

from enum import StrEnum


class PlanStatus(StrEnum):
    """Lifecycle of a National Action Plan."""

    DRAFTING = "drafting"
    APPROVED = "approved"
    IMPLEMENTING = "implementing"
    UNDER_REVIEW = "under_review"
    SUPERSEDED = "superseded"


class MilestoneKind(StrEnum):
    """What sort of step a milestone is."""

    DRAFTING = "drafting"
    APPROVAL_DEADLINE = "approval_deadline"
    NATIONAL_REPORT = "national_report"
    REVIEW_MEETING = "review_meeting"
    ROUND_TABLE = "round_table"
    WORKSHOP = "workshop"
    PEER_REVIEW = "peer_review"
    MEASURE = "measure"  # one measure of a plan's own table (what a body must do, by when)
    OTHER = "other"

    @property
    def label(self) -> str:
        """A human label, e.g. 'approval deadline'."""
        return (
            "workshop / training"
            if self is MilestoneKind.WORKSHOP
            else self.value.replace("_", " ")
        )


class MilestoneStatus(StrEnum):
    """Where a milestone stands; planned and in progress are open."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Open milestones can become overdue."""
        return self in (MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS)

    @property
    def label(self) -> str:
        """A human label, e.g. 'in progress'."""
        return self.value.replace("_", " ")


class MeasureArea(StrEnum):
    """The field of implementation a plan's measure belongs to."""

    LEGAL_BASIS = "legal_basis"
    EXPORT_CONTROL = "export_control"
    BORDER_CUSTOMS = "border_customs"
    PHYSICAL_PROTECTION = "physical_protection"
    BIOSECURITY = "biosecurity"
    CHEMICAL_SAFETY = "chemical_safety"
    FINANCING = "financing"
    OUTREACH = "outreach"
    OTHER = "other"

    @property
    def label(self) -> str:
        """A human label, e.g. 'border and customs'."""
        return _AREA_LABELS.get(self, self.value.replace("_", " "))


_AREA_LABELS = {
    MeasureArea.BORDER_CUSTOMS: "border and customs",
    MeasureArea.PHYSICAL_PROTECTION: "physical protection and accounting",
    MeasureArea.FINANCING: "financing of proliferation",
}


class NoteKind(StrEnum):
    """What sort of document a source note is."""

    INFORMATION_NOTE = "information_note"
    PRESS_RELEASE = "press_release"
    REPORT = "report"
    OTHER = "other"


class Role(StrEnum):
    """What a user may do."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    VIEWER = "viewer"


class TokenPurpose(StrEnum):
    """What a personal token opens: the JSON API or a calendar feed."""

    API = "api"
    CALENDAR = "calendar"
