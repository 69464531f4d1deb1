"""The one place that knows where data and settings live."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "aoi"
DATA_DIR_ENV = "AOI_DATA_DIR"
CONFIG_DIR_ENV = "AOI_CONFIG_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir`, then `AOI_DATA_DIR`, then the platform's user data folder."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Settings and the coach's own cards (not personal data)."""
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
