"""Domain operations shared by the web views, the API, the CLI and the seed loader.

Every function works on a Session and flushes; the caller commits once. Importing notes
lives in `tracker.services.imports`, imported where it is used: it brings the extractor,
which commands such as `tracker report` do not need to load.
"""

from tracker.services.catalogue import (
    add_note,
    add_plan,
    add_state,
    cite,
    get_note,
    get_plan,
    get_state,
    list_notes,
    list_plans,
    list_states,
    note_summaries,
    note_with_citations,
    resolve_states,
)
from tracker.services.common import (
    Conflict,
    NotFound,
    ServiceError,
    parse_due,
    parse_iso_date,
)
from tracker.services.drafts import MilestoneDraft
from tracker.services.milestone_search import MilestoneQuery, milestone_page, with_related
from tracker.services.milestones import (
    change_status,
    create_milestone,
    edit_milestone,
    get_milestone,
    milestone_draft,
    report_candidates,
    state_milestones,
)
from tracker.services.users import (
    add_user,
    authenticate,
    create_token,
    end_sessions,
    get_token,
    get_user,
    revoke_token,
    update_user,
    user_for_token,
)

__all__ = [
    "Conflict",
    "MilestoneDraft",
    "MilestoneQuery",
    "NotFound",
    "ServiceError",
    "add_note",
    "add_plan",
    "add_state",
    "add_user",
    "authenticate",
    "change_status",
    "cite",
    "create_milestone",
    "create_token",
    "edit_milestone",
    "end_sessions",
    "get_milestone",
    "get_note",
    "get_plan",
    "get_state",
    "get_token",
    "get_user",
    "list_notes",
    "list_plans",
    "list_states",
    "milestone_draft",
    "milestone_page",
    "note_summaries",
    "note_with_citations",
    "parse_due",
    "parse_iso_date",
    "report_candidates",
    "resolve_states",
    "revoke_token",
    "state_milestones",
    "update_user",
    "user_for_token",
    "with_related",
]
