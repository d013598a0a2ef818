"""Validation of every ``SPAMSIEVE_*`` setting, once, at start-up.

A typo in a setting must stop the crawl before the first request with a message that
names the setting and what it accepts — not surface as a traceback in the middle of a
crawl. Components call ``validate_settings`` from ``from_crawler``; the same function
serves the ``spamsieve filter`` command, which builds a ``Settings`` from its options.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.settings import BaseSettings

from pipelines.defaults import BY_NAME, SETTINGS, Setting
from pipelines.fields import FieldMap, FieldMapError


class ConfigError(ValueError):
    """A SPAMSIEVE_* setting has a wrong type or value (the message names it)."""


def validate_settings(settings: BaseSettings) -> dict[str, Any]:
    """Every SPAMSIEVE_* value, typed and checked; raises ConfigError naming the setting."""
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        values[setting.name] = _read(settings, setting)
    unknown = sorted(
        name for name in settings.attributes
        if name.startswith("SPAMSIEVE_") and name not in BY_NAME
    )
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {', '.join(unknown)}: spamsieve has no such setting "
            "(see the configuration table in the README)"
        )
    try:
        FieldMap.from_value(values["SPAMSIEVE_FIELDS"])
    except FieldMapError as exc:
        raise ConfigError(f"SPAMSIEVE_FIELDS: {exc}") from None
    return values


def _read(settings: BaseSettings, setting: Setting) -> Any:
    name = setting.name
    raw = settings.get(name, setting.default)
    try:
        if setting.kind == "bool":
            # getbool() turns 2.5 or 7 into True: only booleans, 0/1 and their strings pass
            if isinstance(raw, float) or (type(raw) is int and raw not in (0, 1)):
                raise ValueError
            value: Any = settings.getbool(name, setting.default)
        elif setting.kind == "int":
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError
            value = settings.getint(name, setting.default)
        elif setting.kind == "float":
            if isinstance(raw, bool):
                raise ValueError
            value = settings.getfloat(name, setting.default)
        elif setting.kind == "list":
            if raw is not None and not isinstance(raw, (str, list, tuple)):
                raise ValueError
            value = settings.getlist(name, setting.default)
        elif setting.kind == "dict":
            if isinstance(raw, str) and raw.strip() and not raw.strip().startswith("{"):
                raise ValueError
            value = settings.getdict(name, setting.default)
        else:  # str, choice
            if raw is None:
                raw = ""
            if not isinstance(raw, str):
                raise ValueError
            value = raw.upper() if setting.kind == "choice" and name.endswith("LEVEL") else raw
    except (ValueError, TypeError, json.JSONDecodeError):
        raise ConfigError(
            f"{name}: expected {_describe(setting)}, got {raw!r}"
        ) from None
    if setting.choices and value not in setting.choices:
        raise ConfigError(
            f"{name}: {value!r} is not accepted; accepted values: {', '.join(setting.choices)}"
        )
    if setting.minimum is not None and value < setting.minimum:
        raise ConfigError(f"{name}: must be >= {setting.minimum:g}, got {value!r}")
    return value


def _describe(setting: Setting) -> str:
    return {
        "bool": "a boolean (True/False, 1/0)",
        "int": "a whole number",
        "float": "a number",
        "list": "a list (or comma-separated string)",
        "dict": "a dict (or a JSON object string)",
        "str": "a string",
        "choice": f"one of {', '.join(setting.choices)}",
    }[setting.kind]
