"""The red-flag screen: the warning signs, the level of care each calls for, and what an answer means.

Levels, as NICE CKS gives them ("Back pain - low (without radiculopathy)", red flags and differential
diagnosis) and the NHS back pain, cauda equina syndrome and abdominal aortic aneurysm pages put them to
patients:
- emergency: stop and get help now (cauda equina syndrome, fracture after trauma, chest pain, and over 50
  a belly pain or pulsing that may be an aortic aneurysm);
- same day: see a doctor today before exercising (infection, cancer, fracture without trauma);
- soon: see a GP within a week; exercise may go on gently (an inflammatory pattern, new pain under 20 or
  over 50, and the NHS's "not better after a few weeks, stops daily activities, very painful").
Pregnancy is not a red flag but blocks like a same-day sign until a midwife, doctor or physiotherapist
has said the exercises suit the person.

Red flags are prompts for a clinician's reasoning, not diagnoses (IFOMPT framework, Finucane 2020). That
paper also finds night pain alone says little, so on its own it asks for a GP "soon"; with any other sign
it keeps its same-day level. Worded for this app; sources in the red-flags lesson.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

Level = Literal["emergency", "same-day", "pregnant", "soon"]
Outcome = Literal["emergency", "same-day", "pregnant", "soon", "clear"]

# Strictest first: an answer's outcome is the strictest level among its signs.
RANK: dict[str, int] = {"emergency": 4, "same-day": 3, "pregnant": 2, "soon": 1, "clear": 0}
# Outcomes that stop exercise until a clinician has seen the person (and the person says on which day).
BLOCKING = frozenset({"emergency", "same-day", "pregnant"})
LEVELS: tuple[Level, ...] = ("emergency", "same-day", "soon", "pregnant")

# NICE CKS: new back pain "under 20 or over 50" and an aortic aneurysm "over 50". "Older" (a minor fall with
# osteoporosis or older age) is left undefined there; the app reads it as over 50 too, the lower and so the
# safer of the thresholds in use (IFOMPT uses older ones).
OLDER_THAN = 50
YOUNGER_THAN = 20


def _older(age: int) -> bool:
    return age >= OLDER_THAN  # a year of birth gives the age within a year: the boundary year counts


def _young_or_older(age: int) -> bool:
    return age <= YOUNGER_THAN or _older(age)


@dataclass(frozen=True)
class Sign:
    key: str
    level: Level
    text: str  # the question's words for someone whose age is known to fit (or who has no age condition)
    label: str  # a few words for lists: the trainer's flags, the history, "what you told us"
    alone: Level | None = None  # the level when it is the only sign ticked (night pain: Finucane 2020)
    for_age: Callable[[int], bool] | None = None  # asked only of people of these ages
    text_any_age: str = ""  # the words when the age is not known: the age is asked inside the question

    @property
    def group(self) -> Level:
        """The heading it is asked under: what it means when ticked alone."""
        return self.alone or self.level


SIGNS: tuple[Sign, ...] = (
    # Emergency: cauda equina syndrome (NHS; NICE CKS), fracture after trauma, chest pain, aortic aneurysm.
    Sign("saddle", "emergency",
         "Numbness, tingling or less feeling around your genitals, bottom or inner thighs "
         "(where you would sit on a saddle)",
         "numbness around the genitals or bottom"),
    Sign("bladder", "emergency",
         "New trouble passing urine, or new leaking of urine that you cannot control "
         "(not leaks you have had for a long time, such as when you cough or sneeze)",
         "new bladder trouble"),
    Sign("bowel", "emergency",
         "New loss of control of your bowels, or new loss of feeling when you need to go or when you wipe",
         "new loss of bowel control or feeling"),
    Sign("legs", "emergency",
         "Pain, weakness or numbness in both legs, or weakness in one leg that is getting worse",
         "symptoms in both legs or worsening leg weakness"),
    Sign("sexual", "emergency",
         "New problems with sexual function, or a change in the feeling in your genitals",
         "new sexual problems or genital numbness"),
    Sign("injury", "emergency",
         "Your back pain started after a serious fall or accident, or after a small fall or knock if you are "
         "over 50, have thin bones (osteoporosis) or have taken steroid tablets for 3 months or more",
         "pain after a fall or accident"),
    Sign("chest", "emergency", "Pain in your chest", "chest pain"),
    Sign("belly", "emergency",
         "Pain in your belly (tummy), or a pulsing feeling in it",
         "belly pain or pulsing, over 50",
         for_age=_older,
         text_any_age="You are over 50 and have pain in your belly (tummy), or a pulsing feeling in it"),
    # Same day: infection, cancer, fracture without trauma (NICE CKS; NHS).
    Sign("fever", "same-day", "A fever, or feeling hot and shivery", "fever"),
    Sign("weight", "same-day", "Weight loss you cannot explain", "unexplained weight loss"),
    Sign("lump", "same-day", "A new lump, or a change in the shape of your back", "a new lump or change of shape"),
    Sign("upper", "same-day", "Pain mainly in the middle or upper part of your back rather than low down",
         "pain mainly in the upper back"),
    Sign("cancer", "same-day", "You have had cancer", "has had cancer"),
    Sign("immune", "same-day",
         "Your immune system is weakened (for example by medicines or an illness), or you inject drugs",
         "weakened immune system or injects drugs"),
    Sign("bones", "same-day",
         "You have thin bones (osteoporosis), or have taken steroid tablets for 3 months or more, even without "
         "a fall",
         "osteoporosis or long-term steroids"),
    Sign("infection", "same-day",
         "In the last few months, an infection treated with antibiotics, or an operation on your spine",
         "recent infection or spinal operation"),
    Sign("night", "same-day", "Pain that does not ease when you rest, is worse at night, or wakes you up",
         "pain at rest or at night", alone="soon"),
    # Soon: an inflammatory pattern (NICE CKS), new pain at either end of adult life, the NHS's "see a GP".
    Sign("stiffness", "soon",
         "Stiffness in your back for more than 30 minutes most mornings that eases as you move, especially if "
         "the pain began before you were 45",
         "long morning stiffness that eases with movement"),
    Sign("inflammation", "soon",
         "You have psoriasis, inflammatory bowel disease (Crohn's disease or ulcerative colitis) or uveitis "
         "(a painful red eye)",
         "psoriasis, inflammatory bowel disease or uveitis"),
    Sign("new_pain", "soon",
         "This back pain is new: it started recently, and you have not had back pain like it before",
         "new back pain under 20 or over 50",
         for_age=_young_or_older,
         text_any_age="This back pain is new, and you are under 20 or over 50"),
    Sign("not_better", "soon",
         "Your back pain is not getting better after a few weeks, stops you doing everyday things, or is very "
         "bad",
         "pain not improving, stopping daily life or very bad"),
    Sign("pregnant", "pregnant", "You are pregnant", "pregnant"),
)  # fmt: skip

BY_KEY = {sign.key: sign for sign in SIGNS}
KNOWN = frozenset(BY_KEY)

# What an answer asks of the person, in the words of its result page's heading (and of the mail a client gets when
# their trainer removes them while the answer waits for a clinician: trainer/parting.py).
WHAT_TO_DO = {
    "emergency": "Get medical help now",
    "same-day": "See a doctor today, before you exercise",
    "pregnant": "Check with your midwife or doctor first",
    "soon": "See your GP in the next few days",
}

HEADINGS = {
    "emergency": "Get help straight away if you have",
    "same-day": "See a doctor today if you have",
    "soon": "See your GP in the next few days if",
    "pregnant": "Also tell us if",
}
ADVICE = {
    "emergency": "emergency care",
    "same-day": "see a doctor the same day",
    "pregnant": "pregnant: check with a clinician first",
    "soon": "see a GP within a week",
    "clear": "no warning signs",
}


def level_of(sign: Sign, ticked: frozenset[str]) -> Level:
    return sign.alone if sign.alone and ticked == {sign.key} else sign.level


def outcome_of(ticked: Iterable[str]) -> Outcome:
    """The strictest level among the signs ticked; "clear" when none. Unknown keys are the caller's to refuse."""
    signs = frozenset(ticked) & KNOWN
    levels = [level_of(BY_KEY[key], signs) for key in signs]
    return max(levels, key=RANK.__getitem__, default="clear")


def blocks(outcome: str) -> bool:
    return outcome in BLOCKING


def stricter(first: str, second: str) -> str:
    return first if RANK.get(first, 0) >= RANK.get(second, 0) else second


def possible_ages(birth_year: int | None, today: date) -> tuple[int, ...] | None:
    """The ages a year of birth allows today (a birthday may or may not have passed); None when unknown."""
    if birth_year is None:
        return None
    return (today.year - birth_year - 1, today.year - birth_year)


@dataclass(frozen=True)
class Question:
    sign: Sign
    text: str


def questions(birth_year: int | None, today: date) -> dict[Level, list[Question]]:
    """The signs asked, grouped under their headings, worded for what is known of the person's age.

    A sign with an age condition is left out only when the year of birth rules the condition out for certain;
    without a year of birth the age is asked inside the question.
    """
    ages = possible_ages(birth_year, today)
    grouped: dict[Level, list[Question]] = {level: [] for level in LEVELS}
    for sign in SIGNS:
        if sign.for_age is None:
            text = sign.text
        elif ages is None:
            text = sign.text_any_age
        elif any(sign.for_age(age) for age in ages):
            text = sign.text
        else:
            continue
        grouped[sign.group].append(Question(sign, text))
    return grouped


def labels(keys: Iterable[str]) -> list[str]:
    """The short words for the signs given, in the screen's order."""
    chosen = set(keys)
    return [sign.label for sign in SIGNS if sign.key in chosen]


def for_the_phone() -> dict:
    """The levels the offline screen judges an answer by, so the phone and the server read it alike."""
    return {
        "signs": {sign.key: {"level": sign.level, "alone": sign.alone, "label": sign.label} for sign in SIGNS},
        "rank": RANK,
        "blocking": sorted(BLOCKING),
    }
