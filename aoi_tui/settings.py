"""The coach's settings: `settings.toml` in the config folder, validated
strictly (an unknown key is a clear error, not silently ignored).

    language = "fr"                  # fr | en (default: from the locale)
    theme = "textual-dark"           # any Textual theme name
    default_format = "aoi"           # aoi | coaching | short
    retention_days = 1095            # closed engagements older than this are listed for review
    [phase_minutes]                  # target durations, by phase id
    review = 30
    [keys]                           # binding id = "key" (see `aoi keys`)
    "session.next_phase" = "f6"

Private stays the default for every note: no setting can change that."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from aoi_tui.locations import config_dir
from aoi_tui.phases import phase_ids, session_kinds

SETTINGS_FILE = "settings.toml"


class SettingsError(Exception):
    """The settings file has a mistake; the message names the file and the key."""


def _known_phases() -> set[str]:
    return {p for kind in session_kinds() for p in phase_ids(kind)}


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    language: Literal["fr", "en"] | None = None
    """The language of screens and exports; None follows the locale."""
    theme: str = "textual-dark"
    """A Textual theme name (e.g. textual-dark, textual-light, nord, gruvbox)."""
    default_format: Literal["aoi", "coaching", "short"] = "aoi"
    """The format proposed when framing a new engagement."""
    retention_days: int | None = Field(default=None, ge=30)
    """Closed engagements older than this are listed for review (never erased without asking)."""
    phase_minutes: dict[str, int] = Field(default_factory=dict)
    """Target duration of a phase, by phase id, in minutes."""
    keys: dict[str, str] = Field(default_factory=dict)
    """Key remapping: binding id -> key (e.g. "session.next_phase" = "f6")."""

    @field_validator("phase_minutes")
    @classmethod
    def _phases(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - _known_phases())
        if unknown:
            raise ValueError(f"unknown phase id(s): {', '.join(unknown)}")
        for phase, minutes in value.items():
            if not 1 <= minutes <= 600:
                raise ValueError(f"{phase}: minutes must be between 1 and 600")
        return value


def settings_path(folder: Path | None = None) -> Path:
    return (folder or config_dir()) / SETTINGS_FILE


def load_settings(folder: Path | None = None) -> Settings:
    path = settings_path(folder)
    if not path.exists():
        return Settings()
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
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        if first.get("type") == "extra_forbidden":
            raise SettingsError(f"{path}: unknown setting {where!r}") from None
        raise SettingsError(f"{path}: {where}: {first.get('msg')}") from None
