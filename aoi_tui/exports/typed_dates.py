"""Dates typed in a text, recognised and told as the engagement's time: a
session's day becomes "séance 4", any other day the week from the start
("semaine 3"), a month and year the month from the start ("mois 2").

Recognised, in French and English, whatever their case and accents:
"2026-03-12", "12/03/2026", "12.03.26", "12-03-2026", "12/03" (a day and a
month alone), "12 mars", "lundi 12 mars 2026", "1er mars", "12 mars 2026",
"March 12th, 2026", "Monday 12 March", "the 12th of March", "mars 2026".
A day without its year is taken in the year closest to the engagement. Not
dates: "3/4" (a fraction: a day and month alone need a two-digit month),
"7/10" (a score: the tenth month needs "le", "du", "au" or "on" before it),
"12.03" (a decimal), a day that does not exist ("31/02" stays as typed).
"le 12 mars" becomes "la semaine 3", "on March 12" "in week 3"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from aoi_tui.exports.folding import Folded, starts_sentence


@dataclass(frozen=True)
class Calendar:
    """The engagement's time: its first day, its last known day and the day
    each session was held (a date held twice: the first session)."""

    start: date
    end: date
    sessions: Mapping[date, int] = field(default_factory=dict)

    def year_for(self, month: int, day: int) -> date | None:
        """The day and month in the year closest to the engagement (None: no such day)."""
        best: tuple[int, date] | None = None
        for year in range(self.start.year - 1, self.end.year + 2):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            distance = max((self.start - candidate).days, (candidate - self.end).days, 0)
            if best is None or distance < best[0]:
                best = (distance, candidate)
        return best[1] if best else None


_MONTHS = {
    "janvier": 1, "janv": 1, "january": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "september": 9, "sept": 9, "sep": 9,
    "octobre": 10, "october": 10, "oct": 10,
    "novembre": 11, "november": 11, "nov": 11,
    "decembre": 12, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = (
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_NAMES})(?![^\W\d_])\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:er|eme|e|st|nd|rd|th)?(?![\w])"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_WEEKDAY = rf"(?:(?:{_WEEKDAYS}),?\s+)?"
_B = r"(?<![\w/.\-])"  # nothing glued before: not the end of a number, a word, a path

# In order of preference: the first to claim a span keeps it.
_PATTERNS = (
    re.compile(
        rf"{_B}{_WEEKDAY}(?P<year>\d{{4}})-(?P<mon>\d{{1,2}})-(?P<day>\d{{1,2}})(?![\w\-/])"
    ),
    re.compile(
        rf"{_B}{_WEEKDAY}(?P<day>\d{{1,2}})(?P<sep>[/.\-])(?P<mon>\d{{1,2}})(?P=sep)"
        rf"(?P<year>\d{{4}}|\d{{2}})(?![\w\-/]|\.\d)"
    ),
    re.compile(rf"{_B}{_WEEKDAY}(?:the\s+)?{_DAY}\s+(?:de\s+|of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"),
    re.compile(rf"{_B}{_WEEKDAY}{_MONTH}\s+(?:the\s+)?{_DAY}(?:,?\s+{_YEAR})?"),
    re.compile(rf"{_B}{_WEEKDAY}(?P<day>\d{{1,2}})/(?P<mon>\d{{1,2}})(?![\w/]|\.\d)"),
    re.compile(rf"{_B}(?P<monthonly>{_MONTH_NAMES})(?![^\W\d_])\.?\s+{_YEAR}"),
)
_LEAD = re.compile(r"(?:^|(?<=[^\w]))(?P<lead>le|du|au|on)\s+$")


@dataclass(frozen=True)
class _Day:
    value: date
    month_only: bool  # "mars 2026": the month from the start


def _read(match: re.Match[str], calendar: Calendar, lead: str) -> _Day | None:
    groups = match.groupdict()
    if groups.get("monthonly") is not None:
        month = _MONTHS[groups["monthonly"]]
        return _Day(date(int(groups["year"]), month, 1), True)
    month = int(groups["mon"]) if groups.get("mon") else _MONTHS[groups["month"]]
    day = int(groups["day"])
    year_text = groups.get("year")
    # a day and a month alone: "12/03", never "3/4" (a fraction) nor "7/10" (a score)
    if (
        groups.get("mon")
        and not year_text
        and (len(groups["mon"]) < 2 or (month == 10 and not lead))
    ):
        return None
    if year_text:
        year = int(year_text)
        year += 2000 if year < 100 else 0
        try:
            return _Day(date(year, month, day), False)
        except ValueError:
            return None
    if not 1 <= month <= 12:
        return None
    found = calendar.year_for(month, day)
    return _Day(found, False) if found else None


def label(day: date, calendar: Calendar, lang: str, lead: str = "") -> str:
    """How a day is told: its session, or its week from the start, with what
    came before it ("le", "du", "au", "on") made to fit."""
    if day in calendar.sessions:
        noun = ("séance" if lang == "fr" else "session") + f" {calendar.sessions[day]}"
    elif day >= calendar.start:
        noun = ("semaine" if lang == "fr" else "week") + f" {(day - calendar.start).days // 7 + 1}"
    else:
        weeks = -((day - calendar.start).days // 7)
        if lang == "fr":
            return f"{weeks} semaine{'s' if weeks > 1 else ''} avant le début"
        return f"{weeks} week{'s' if weeks > 1 else ''} before the start"
    if lang != "fr":
        return f"{'at' if noun.startswith('session') else 'in'} {noun}" if lead == "on" else noun
    return {"le": "la ", "du": "de la ", "au": "à la "}.get(lead, "") + noun


def month_label(day: date, calendar: Calendar, lang: str) -> str:
    months = (day.year - calendar.start.year) * 12 + day.month - calendar.start.month
    if months < 0:
        return (
            f"{-months} mois avant le début"
            if lang == "fr"
            else f"{-months} month{'s' if months < -1 else ''} before the start"
        )
    return ("mois" if lang == "fr" else "month") + f" {months + 1}"


@dataclass(frozen=True)
class DateFound:
    found: str  # as typed
    label: str


def replace_dates(text: str, calendar: Calendar | None, lang: str) -> tuple[str, list[DateFound]]:
    """The text with every recognised date told as the engagement's time
    (without a calendar: "‹date›"), and what was replaced."""
    folded = Folded.of(text)
    taken: list[tuple[int, int, str]] = []  # original start, end, replacement
    claimed: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(folded.text):
            start, end = match.span()
            if any(start < e and s < end for s, e in claimed):
                continue
            lead_match = _LEAD.search(folded.text, 0, start)
            lead = lead_match.group("lead") if lead_match else ""
            if lead and (lead == "on") != (lang != "fr"):  # "le 12 mars", "on March 12"
                lead = ""
            found = _read(match, calendar or Calendar(date.min, date.min), lead)
            if found is None:
                continue
            if calendar is None:
                replacement = "‹date›"
            elif found.month_only:
                replacement = month_label(found.value, calendar, lang)
            else:
                replacement = label(found.value, calendar, lang, lead)
            if lead and lead_match and not found.month_only and calendar is not None:
                start = lead_match.start()
            claimed.append(match.span())
            taken.append((*folded.span(start, end), replacement))
    out: list[str] = []
    report: list[DateFound] = []
    last = 0
    for start, end, replacement in sorted(taken):
        original = text[start:end]
        report.append(DateFound(original, replacement))
        if original[:1].isupper() and starts_sentence(text, start):
            replacement = replacement[0].upper() + replacement[1:]
        out += [text[last:start], replacement]
        last = end
    out.append(text[last:])
    return "".join(out), report
