"""Is it clear when a task is done? A small, explainable heuristic, not language AI.

Handoff nudges (never blocks) when a delegated task lacks a checkable outcome or a due
date. The outcome check works on words:

1. The text is lowercased and split into words; filler words (articles, pronouns,
   prepositions) are dropped.
2. Whole phrases that are known non-answers ("asap", "look into it", "whatever works")
   are vague outright.
3. The remaining words are sorted into:

   * a *deliverable*: a known artefact noun ("pdf", "report", "invoice", "pr", …);
   * a *criterion*: something verifiable — a finished state ("sent", "merged", "signed",
     "uploaded", …) or a number ("3 quotes", "under 200 ms", "100%");
   * *concrete* words: any other word that is not a vague one ("stuff", "fix",
     "better", "soon", …), e.g. "board", "suppliers", "staging".

4. It is clear if it has a deliverable or a criterion, or failing that at least three
   concrete words (enough to describe a specific state: "new hire has laptop and
   accounts"); otherwise it is vague.

So "PDF sent to the board" passes (deliverable and criterion), "fix stuff" (nothing
concrete) and "improve performance" or "customers happy" (no deliverable, no criterion,
fewer than three concrete words) do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ClarityCode(StrEnum):
    """What makes a task unclear."""

    MISSING_OUTCOME = "missing_outcome"
    VAGUE_OUTCOME = "vague_outcome"
    MISSING_DUE = "missing_due"


_EXAMPLE = "e.g. 'PDF of the Q3 report sent to the board'"


@dataclass(frozen=True)
class ClarityFlag:
    """One thing that makes a task unclear; ``message`` is shown to the owner as is."""

    code: ClarityCode
    message: str


def _word_set(*lines: str) -> frozenset[str]:
    """Word lists are written as lines of space-separated words to keep them readable."""
    return frozenset(" ".join(lines).split())


# Non-answers, compared against the whole outcome with punctuation and filler removed.
_VAGUE_PHRASES = frozenset(
    {
        "asap",
        "as soon as possible",
        "do it",
        "done",
        "finish it",
        "finished",
        "fix it",
        "fix stuff",
        "fix things",
        "get it done",
        "handle it",
        "look into it",
        "make it better",
        "make it work",
        "n/a",
        "na",
        "sort it out",
        "tbd",
        "when done",
        "when finished",
        "whatever works",
        "you know",
        "see above",
        "same as usual",
        "as discussed",
    }
)

# Grammar words, dropped before anything else.
_FILLER_WORDS = _word_set(
    "a an the it its it's this that these those them they we i you he she our my your their",
    "to of in on at for from by with into onto out up about as and or but so then",
    "is are was be been being has have had will would should can could may might must",
    "all any some every each just also very really please pls thanks",
)
# Words that carry nothing checkable: effort verbs, hedges, urgency and vague nouns.
_VAGUE_WORDS = _word_set(
    "do does doing did done make makes made get gets got fix fixes fixed handle handled",
    "look looking check checking sort sorted work working works try trying deal dealt",
    "improve improved improving better best good nice great fine ok okay properly",
    "stuff things thing something everything anything whatever etc misc",
    "asap soon possible quickly fast urgent urgently later eventually whenever",
    "finish finished finishing complete completed start started help sure need needs",
    "figure figured investigate research think see",
)

# Artefacts whose existence can be checked.
_DELIVERABLES = _word_set(
    "pdf doc docs document report deck slides slide presentation spreadsheet sheet csv",
    "file files folder drive email mail message memo note notes summary draft proposal",
    "plan roadmap brief spec specification design mockup mockups prototype wireframe",
    "pr prs commit branch release build version patch deploy deployment migration",
    "issue bug test tests dashboard page website site app feature endpoint",
    "invoice invoices receipt receipts quote quotes budget contract contracts agreement",
    "order purchase payment refund booking reservation ticket tickets meeting call",
    "agenda minutes list checklist form survey post article blog video recording",
    "photo photos image logo banner policy process template",
)

# Finished states someone else can verify. Numbers ("3 quotes", "under 200 ms") count too.
_CRITERIA = _word_set(
    "sent merged deployed shipped released published uploaded shared signed paid filed",
    "approved accepted reviewed tested passing passed green live booked scheduled",
    "confirmed delivered submitted posted printed installed configured closed resolved",
    "archived migrated received replied answered agreed decided documented recorded",
    "updated renewed cancelled canceled returned refunded ordered purchased hired",
    "launched enabled disabled removed deleted added created written drafted",
)

_WORD = re.compile(r"[a-z0-9%$€£][a-z0-9%$€£'/.-]*")
_NUMBER = re.compile(r"\d")
# Without a known deliverable or criterion, this many other words still describe a state.
_ENOUGH_CONCRETE_WORDS = 3


def check_clarity(done_when: str | None, due: datetime | None) -> tuple[ClarityFlag, ...]:
    """Flags for what is missing or vague; an empty tuple means the task reads clearly."""
    flags: list[ClarityFlag] = []
    outcome = (done_when or "").strip()
    if not outcome:
        flags.append(
            ClarityFlag(
                ClarityCode.MISSING_OUTCOME,
                f"No definition of done yet. Say what will exist or be true when it's done, {_EXAMPLE}.",
            )
        )
    elif is_vague(outcome):
        flags.append(
            ClarityFlag(
                ClarityCode.VAGUE_OUTCOME,
                "The definition of done is hard to check. "
                f"Say what will exist or be true when it's done, {_EXAMPLE}.",
            )
        )
    if due is None:
        flags.append(
            ClarityFlag(ClarityCode.MISSING_DUE, "No due date yet. Add one, e.g. `due: friday 3pm`.")
        )
    return tuple(flags)


def is_vague(outcome: str) -> bool:
    """Whether an outcome lacks a deliverable or a verifiable criterion (see module doc)."""
    words = _words(outcome)
    content = [word for word in words if word not in _FILLER_WORDS]
    if " ".join(words) in _VAGUE_PHRASES or " ".join(content) in _VAGUE_PHRASES:
        return True
    concrete = [word for word in content if word not in _VAGUE_WORDS]
    has_evidence = any(_is_deliverable(word) or _is_criterion(word) for word in concrete)
    return not (has_evidence or len(concrete) >= _ENOUGH_CONCRETE_WORDS)


def _words(text: str) -> list[str]:
    stripped = (word.strip(".'-/") for word in _WORD.findall(text.lower()))
    return [word for word in stripped if word]


def _is_deliverable(word: str) -> bool:
    return word in _DELIVERABLES or word.rstrip("s") in _DELIVERABLES


def _is_criterion(word: str) -> bool:
    return word in _CRITERIA or bool(_NUMBER.search(word))
