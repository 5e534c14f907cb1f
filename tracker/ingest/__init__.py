"""Reading new source notes: extract dated facts with quotes, match them, propose milestones.

Pure modules (no Flask, no database): text, datefind, places, header, facts, extract,
matching, proposals. Saving goes through `tracker.services.imports`; the command line
is `tracker.commands.import_note`, the accuracy check `python -m tracker.ingest.evaluate`.
"""

from tracker.ingest.extract import extract
from tracker.ingest.files import OriginalFile, read_note_file
from tracker.ingest.matching import Action, KnownMilestone, KnownPlan, MatchedProposal, match_all
from tracker.ingest.proposals import Extraction, FactRole, NoteFields, Proposal
from tracker.ingest.text import NoteInputError, decode_note

__all__ = [
    "Action",
    "Extraction",
    "FactRole",
    "KnownMilestone",
    "KnownPlan",
    "MatchedProposal",
    "NoteFields",
    "NoteInputError",
    "OriginalFile",
    "Proposal",
    "decode_note",
    "extract",
    "match_all",
    "read_note_file",
]
