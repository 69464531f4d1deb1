"""The settings file: strict validation with clear messages, and its effects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aoi_tui.config.settings import Settings, SettingsError, load_settings
from aoi_tui.domain.models import Session, SessionKind


def write(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.toml").write_text(text, "utf-8")


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings == Settings()
    assert settings.retention_days is None and settings.language is None


def test_a_full_file_is_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        'language = "fr"\ntheme = "nord"\ndefault_format = "coaching"\nretention_days = 400\n'
        '[phase_minutes]\nreview = 45\nfield = 100\n[keys]\n"session.next_phase" = "f12"\n',
    )
    s = load_settings(tmp_path)
    assert (s.language, s.theme, s.default_format, s.retention_days) == (
        "fr",
        "nord",
        "coaching",
        400,
    )
    assert s.phase_minutes == {"review": 45, "field": 100}
    assert s.keys == {"session.next_phase": "f12"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('colour = "blue"\n', "unknown setting 'colour'"),
        ('language = "de"\n', "language"),
        ("retention_days = 3\n", "retention_days"),
        ("[phase_minutes]\nlunch = 60\n", "unknown phase id(s): lunch"),
        ("[phase_minutes]\nreview = 0\n", "between 1 and 600"),
        ('default_visibility = "shareable"\n', "every note is private"),
        ("language = \n", "not valid TOML"),
    ],
)
def test_mistakes_get_one_clear_message(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path, text)
    with pytest.raises(SettingsError) as error:
        load_settings(tmp_path)
    assert expected in str(error.value)
    assert str(tmp_path / "settings.toml") in str(error.value)


def test_phase_targets_apply_to_new_sessions_and_keep_the_overrun_margin() -> None:
    session = Session.planned(SessionKind.AOI, 1, {"review": 45, "field": 100})
    runs = {r.phase: r for r in session.phases}
    assert runs["review"].target_minutes == 45
    assert (runs["field"].target_minutes, runs["field"].overrun_minutes) == (100, 130)
    assert runs["debrief"].target_minutes == 30


def test_the_cli_refuses_a_bad_settings_file_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config"
    write(config, "surprise = 1\n")
    env = {
        "AOI_CONFIG_DIR": str(config),
        "AOI_DATA_DIR": str(tmp_path / "data"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-m", "aoi_tui", "engagement", "list"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aoi:") and "surprise" in lines[0]


def test_the_settings_language_is_used_unless_overridden(tmp_path: Path) -> None:
    config = tmp_path / "config"
    write(config, 'language = "fr"\n')
    base = {
        "AOI_CONFIG_DIR": str(config),
        "AOI_DATA_DIR": str(tmp_path / "data"),
        "AOI_PASSPHRASE": "correct horse battery staple",
        "PATH": "/usr/bin:/bin",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }

    def aoi(extra: dict[str, str], *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "aoi_tui", *args],
            env={**base, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    eid = aoi({}, "demo", "--json").split('"id": "')[1].split('"')[0]
    assert aoi({}, "export", eid, "--shared", "-o", "-").startswith(
        "# Rapport pour le commanditaire"
    )
    assert aoi({"AOI_LANG": "en"}, "export", eid, "--shared", "-o", "-").startswith(
        "# Report for the sponsor"
    )
    assert aoi({}, "--lang", "en", "export", eid, "--shared", "-o", "-").startswith(
        "# Report for the sponsor"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("keys = 5\n", "keys"),
        ("phase_minutes = 5\n", "phase_minutes"),
        ("[language]\n", "language"),
        ('theme = "\\u001b]0;pwned\\u0007"\n', "theme"),
        ('theme = "textual dark; rm"\n', "theme"),
        ('[keys]\n"session.next_phase" = "f6\\u001b[2J"\n', "keys.session.next_phase"),
    ],
)
def test_a_settings_file_of_the_wrong_shape_is_one_clean_message(
    tmp_path: Path, text: str, expected: str
) -> None:
    """Issue 11 §5: the wrong shape, or a value that would carry an escape sequence
    to the terminal (a theme or a key is shown in messages and the palette)."""
    write(tmp_path, text)
    with pytest.raises(SettingsError) as error:
        load_settings(tmp_path)
    message = str(error.value)
    assert expected in message and str(tmp_path / "settings.toml") in message
    assert "\x1b" not in message and "\n" not in message
