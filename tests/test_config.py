"""Every SPAMSIEVE_* setting is validated at start-up with a message naming it."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from pipelines.config import ConfigError, validate_settings
from pipelines.defaults import DEFAULTS, SETTINGS, markdown_table

WRONG_VALUES = {
    "bool": "maybe",
    "int": "many",
    "float": "lots",
    "list": 42,
    "dict": "not-a-dict",
    "str": 42,
    "choice": "nonsense",
}


def settings_with(**overrides: object) -> Settings:
    settings = Settings()
    settings.setdict(DEFAULTS, priority="default")
    settings.setdict(overrides, priority="cmdline")
    return settings


def test_defaults_are_valid() -> None:
    values = validate_settings(settings_with())
    assert values == {name: DEFAULTS[name] for name in DEFAULTS} | {
        "SPAMSIEVE_DROP_LOG_LEVEL": "INFO"
    }


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_wrong_value_names_the_setting(setting) -> None:
    with pytest.raises(ConfigError) as caught:
        validate_settings(settings_with(**{setting.name: WRONG_VALUES[setting.kind]}))
    message = str(caught.value)
    assert setting.name in message
    if setting.choices:
        assert all(choice in message for choice in setting.choices)


def test_below_minimum_is_refused() -> None:
    with pytest.raises(ConfigError, match="SPAMSIEVE_DEDUPE_DISTANCE: must be >= 0"):
        validate_settings(settings_with(SPAMSIEVE_DEDUPE_DISTANCE=-1))


def test_unknown_spamsieve_setting_is_refused() -> None:
    with pytest.raises(ConfigError, match="SPAMSIEVE_DEDUP_DISTANCE"):
        validate_settings(settings_with(SPAMSIEVE_DEDUP_DISTANCE=3))


def test_field_map_names_unknown_canonical_field() -> None:
    with pytest.raises(ConfigError, match="SPAMSIEVE_FIELDS: unknown canonical field.*body"):
        validate_settings(settings_with(SPAMSIEVE_FIELDS={"body": "content"}))


def test_command_line_strings_are_accepted() -> None:
    values = validate_settings(settings_with(
        SPAMSIEVE_DEDUPE_DISTANCE="5", SPAMSIEVE_ENABLED="False",
        SPAMSIEVE_FIELDS='{"text": "content"}', SPAMSIEVE_DROP_LOG_LEVEL="debug",
    ))
    assert values["SPAMSIEVE_DEDUPE_DISTANCE"] == 5
    assert values["SPAMSIEVE_ENABLED"] is False
    assert values["SPAMSIEVE_FIELDS"] == {"text": "content"}
    assert values["SPAMSIEVE_DROP_LOG_LEVEL"] == "DEBUG"


def test_readme_lists_every_setting() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    table = markdown_table()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in readme]
    assert not missing, f"README lacks {missing}; paste `python -m pipelines.defaults`"
    assert table.splitlines()[0] in readme
