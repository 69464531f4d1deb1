"""The coach's settings: `settings.toml` in the config folder, validated
strictly (an unknown key is a clear error, not silently ignored).

    language = "fr"                  # fr | en (default: from the locale)
    theme = "textual-dark"           # any Textual theme name
    default_format = "aoi"           # aoi | coaching | short
    retention_days = 1095            # closed engagements older than this are listed for review
    lock_minutes = 15                # aoi locks after this long without a key ("off": never)
    live_lock_minutes = "off"        # the same in a live session (default: never)
    time_zone = "Europe/Paris"       # sessions are planned in it (default: the machine's)
    calendar_names = false           # aoi calendar: names and places in events (default: initials)
    hours_left_out = ["field", "team_field"]  # phases the hours log does not count (default)
    [phase_minutes]                  # target durations, by phase id
    review = 30
    [keys]                           # binding id = "key" (ids: README, "The keys")
    "session.next_phase" = "f6"

Private stays the default for every note: no setting can change that."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal

from aoi_tui.config.locations import config_dir
from aoi_tui.domain.phases import phase_ids, session_kinds

SETTINGS_FILE = "settings.toml"
_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_KEY = re.compile(r"[A-Za-z0-9_+, -]{1,64}")

LOCK_MINUTES = 15
"""Outside a live session, aoi locks after this many minutes without a key or a mouse
event (`lock_minutes`). In a live session it does not, unless `live_lock_minutes`
says so: a coach may watch for two hours without typing."""
MAX_LOCK_MINUTES = 600
LOCK_OFF = "off"
LOCK_SETTINGS = {"lock_minutes": str(LOCK_MINUTES), "live_lock_minutes": f'"{LOCK_OFF}"'}
"""Each setting of the lock and its default, as the messages say it."""


class SettingsError(Exception):
    """The settings file has a mistake; the message names the file and the key."""


def _known_phases() -> set[str]:
    return {p for kind in session_kinds() for p in phase_ids(kind)}


@dataclass(frozen=True)
class Settings:
    """The coach's settings. A plain dataclass, validated by pydantic only when a
    settings file exists (so a start without one does not load pydantic)."""

    # pydantic reads this when it validates a file: unknown keys are refused
    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}

    language: Literal["fr", "en"] | None = None
    """The language of screens and exports; None follows the locale."""
    theme: str = "textual-dark"
    """A Textual theme name (e.g. textual-dark, textual-light, nord, gruvbox)."""
    default_format: Literal["aoi", "coaching", "short"] = "aoi"
    """The format proposed when framing a new engagement."""
    retention_days: int | None = None
    """Closed engagements older than this (at least 30 days) are listed for review."""
    phase_minutes: dict[str, int] = field(default_factory=dict)
    """Target duration of a phase, by phase id, in minutes (1 to 600)."""
    keys: dict[str, str] = field(default_factory=dict)
    """Key remapping: binding id -> key (e.g. "session.next_phase" = "f6")."""
    lock_minutes: int | str | None = None
    """Minutes without a key before the screen locks, outside a live session (1 to 600;
    0 or None: 15; "off": never)."""
    live_lock_minutes: int | str | None = None
    """The same in a live session (0 or None: never, as "off")."""
    controller: str | None = None
    """Who answers for the coachees' data (GDPR's controller: the coach or the coach's
    firm, with a contact), said on an access request's cover; None: the engagement's coach."""

    time_zone: str | None = None
    """The IANA time zone sessions are planned in (e.g. Europe/Paris); None: the
    machine's (a server over SSH often runs in UTC: set it there)."""
    calendar_names: bool = False
    """`aoi calendar` titles an event with the kind of session and initials only;
    true adds the name and the place (calendars are synced and shared)."""
    hours_left_out: list[str] | None = None
    """Phase ids the hours log does not count; None: the field phases, where the
    coach observes without coaching (`domain/hours.DEFAULT_LEFT_OUT`); []: all count."""

    def lock_after(self, *, live: bool) -> int | None:
        """Minutes without a key before the screen locks; None: it never locks by itself."""
        value = self.live_lock_minutes if live else self.lock_minutes
        if value == LOCK_OFF or (live and not value):
            return None
        return value if isinstance(value, int) and value > 0 else LOCK_MINUTES

    def problems(self) -> list[str]:
        """What pydantic's types alone cannot say."""
        found = [
            lock_problem(name) for name in LOCK_SETTINGS if not lock_value_ok(getattr(self, name))
        ]
        if self.retention_days is not None and self.retention_days < 30:
            found.append("retention_days: at least 30 days")
        unknown = sorted(set(self.phase_minutes) - _known_phases())
        if unknown:
            found.append(f"phase_minutes: unknown phase id(s): {', '.join(unknown)}")
        for phase, minutes in self.phase_minutes.items():
            if not 1 <= minutes <= 600:
                found.append(f"phase_minutes.{phase}: minutes must be between 1 and 600")
        if self.time_zone is not None:
            from aoi_tui.domain.planning import zone_problem

            problem = zone_problem(self.time_zone)
            if problem:
                found.append(problem)
        unknown = sorted(set(self.hours_left_out or ()) - _known_phases())
        if unknown:
            found.append(f"hours_left_out: unknown phase id(s): {', '.join(unknown)}")
        # A theme's name and a key are shown in messages and in the palette: words
        # only, never a control character that the terminal would obey.
        if not _NAME.fullmatch(self.theme):
            found.append("theme: a theme name, e.g. textual-dark (letters, digits, - and _)")
        for binding, key in self.keys.items():
            if not (_NAME.fullmatch(binding.replace(".", "-")) and _KEY.fullmatch(key)):
                shown = binding if binding.isprintable() else repr(binding)
                found.append(f"keys.{shown}: a key name, e.g. f6, ctrl+n (letters, digits, +-_,)")
        return found

    def interface_problems(
        self, themes: Collection[str], binding_ids: Collection[str]
    ) -> list[str]:
        """What only the interface knows (it owns the themes and the keys): an unknown
        theme, an unknown binding id, each said with what could have been meant."""
        found = []
        if self.theme not in themes:
            found.append(
                f"theme: unknown theme {self.theme!r}; choose one of {', '.join(sorted(themes))}"
            )
        for binding_id in sorted(set(self.keys) - set(binding_ids)):
            close = difflib.get_close_matches(binding_id, binding_ids, n=3, cutoff=0.6)
            if close:
                hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
            else:
                prefix = binding_id.split(".")[0] + "."
                same_screen = sorted(i for i in binding_ids if i.startswith(prefix))
                screens = sorted({i.split(".")[0] for i in binding_ids if "." in i})
                hint = (
                    f"the ids there are {', '.join(same_screen)}"
                    if same_screen
                    else f"an id starts with its screen's name: {', '.join(screens)}"
                )
            found.append(f"keys: unknown binding id {binding_id!r}; {hint}")
        return found


def lock_value_ok(value: object) -> bool:
    """None, 0 (the default), "off", or whole minutes from 1 to MAX_LOCK_MINUTES; never a
    bool (TOML's true would be read as 1 minute), a fraction or a number in quotes."""
    if value is None or value == LOCK_OFF:
        return True
    return type(value) is int and (value == 0 or 1 <= value <= MAX_LOCK_MINUTES)


def lock_problem(name: str) -> str:
    return (
        f"{name}: minutes without a key before aoi locks, 1 to {MAX_LOCK_MINUTES}; "
        f'0 for the default ({LOCK_SETTINGS[name]}), or "{LOCK_OFF}"'
    )


def settings_path(folder: Path | None = None) -> Path:
    return (folder or config_dir()) / SETTINGS_FILE


def load_settings(folder: Path | None = None) -> Settings:
    path = settings_path(folder)
    if not path.exists():
        return Settings()
    import tomllib  # only when there is a file: the common start-up has none

    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    if "default_visibility" in raw:
        raise SettingsError(
            f"{path}: default_visibility cannot be set: every note is private until the coach "
            "and the coachee decide otherwise"
        )
    # checked before pydantic, which would read true as 1 minute and "15" as 15
    for name in LOCK_SETTINGS:
        if not lock_value_ok(raw.get(name)):
            raise SettingsError(f"{path}: {lock_problem(name)}")
    from pydantic import TypeAdapter, ValidationError

    try:
        settings = TypeAdapter(Settings).validate_python(raw)
    except ValidationError as exc:
        from aoi_tui.domain.problems import first_problem

        problem = first_problem(exc)
        if problem.kind in ("unexpected_keyword_argument", "extra_forbidden"):
            raise SettingsError(f"{path}: unknown setting {problem.where!r}") from None
        raise SettingsError(f"{path}: {problem}") from None
    problems = settings.problems()
    if problems:
        raise SettingsError(f"{path}: {problems[0]}")
    return settings
