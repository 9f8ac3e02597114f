"""The red-flag screen: warning signs that mean medical help before (or instead of) exercise.

Sources: NHS back pain pages; AHCPR red-flag table; IFOMPT framework (Finucane 2020), which notes red
flags are prompts for a clinician's judgement, not diagnoses. Worded for this app.
"""

from __future__ import annotations

from typing import Literal

Outcome = Literal["clear", "pregnant", "same-day", "emergency"]

EMERGENCY = [
    ("saddle", "Numbness or tingling around your genitals, bottom or inner thighs"),
    ("bladder", "New trouble passing urine, or leaking urine you cannot control"),
    ("bowel", "New loss of control of your bowels"),
    ("legs", "Pain, weakness or numbness in both legs, or weakness in a leg that is getting worse"),
    ("sexual", "New problems with sexual function or with feeling in your genitals"),
    (
        "injury",
        "The pain started after a serious fall or accident (or a minor one, if you have thin bones, "
        "are older, or have taken steroid tablets for a long time)",
    ),
    ("chest", "Pain in your chest"),
]
SAME_DAY = [
    ("fever", "A fever, or feeling hot and shivery"),
    ("weight", "Weight loss you cannot explain"),
    ("lump", "A new lump, or a change in the shape of your back"),
    ("night", "Pain that does not ease when you rest, is worse at night, or wakes you up"),
    ("upper", "Pain mainly in your upper back rather than your lower back"),
    ("cancer", "You have had cancer"),
    ("immune", "Your immune system is weakened (for example by medicine), or you inject drugs"),
]
PREGNANT = ("pregnant", "You are pregnant")

KNOWN = {key for key, _ in EMERGENCY + SAME_DAY} | {PREGNANT[0]}

CONFIRMATIONS = {
    "same-day": "A doctor has checked these signs and told me exercise is fine",
    "pregnant": "I have checked with my midwife, doctor or physiotherapist that these exercises suit me",
}


def outcome_of(ticked: set[str]) -> Outcome:
    if ticked & {key for key, _ in EMERGENCY}:
        return "emergency"
    if ticked & {key for key, _ in SAME_DAY}:
        return "same-day"
    if PREGNANT[0] in ticked:
        return "pregnant"
    return "clear"


def may_exercise(outcome: Outcome, confirmed: bool) -> bool:
    """An emergency answer stops everything; same-day and pregnancy need the person's confirmation."""
    if outcome == "emergency":
        return False
    if outcome in CONFIRMATIONS:
        return confirmed
    return True
