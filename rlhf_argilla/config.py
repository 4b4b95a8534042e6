"""Typed settings, loaded once and passed down.

Precedence (highest first): explicit overrides (CLI flags) > environment variables
(``RLHF_ARGILLA_*``; secrets also from ``ANTHROPIC_API_KEY`` / ``HF_TOKEN`` / ``ARGILLA_API_KEY``)
> ``rlhf-argilla.toml`` (path from ``RLHF_ARGILLA_CONFIG`` or the current folder) > defaults.

This is the only module that reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from rlhf_argilla.domain.pair_kinds import DEFAULT_CLOSE_SHARE
from rlhf_argilla.errors import ConfigError, first_problem

__all__ = ["Settings", "load_settings", "CONFIG_FILE_NAME", "SECRET_FIELDS"]

CONFIG_FILE_NAME = "rlhf-argilla.toml"
SECRET_FIELDS = ("api_key", "anthropic_api_key", "hf_token")


def _config_file() -> Path:
    return Path(os.environ.get("RLHF_ARGILLA_CONFIG", CONFIG_FILE_NAME))


class Settings(BaseSettings):
    """Every setting of rlhf-argilla in one object."""

    model_config = SettingsConfigDict(
        env_prefix="RLHF_ARGILLA_",
        extra="forbid",
        populate_by_name=True,
        validate_default=True,
    )

    # --- Argilla -----------------------------------------------------------------------------
    api_url: str | None = Field(
        default=None,
        description="URL of an Argilla server. Unset: the local stack started by `server up`.",
        validation_alias=AliasChoices("api_url", "RLHF_ARGILLA_API_URL", "ARGILLA_API_URL"),
    )
    api_key: SecretStr | None = Field(
        default=None,
        description="Argilla API key. Unset with the local stack: read from its credentials file.",
        validation_alias=AliasChoices("api_key", "RLHF_ARGILLA_API_KEY", "ARGILLA_API_KEY"),
    )
    workspace: str = Field(default="fitness", description="Argilla workspace for datasets and annotators.")

    # --- secrets for generation and publishing --------------------------------------------------
    anthropic_api_key: SecretStr | None = Field(
        default=None,
        description="Claude API key for the anthropic backend (also ANTHROPIC_API_KEY).",
        validation_alias=AliasChoices(
            "anthropic_api_key", "RLHF_ARGILLA_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"
        ),
    )
    anthropic_base_url: str | None = Field(
        default=None,
        description="Messages API endpoint (tests point it at a loopback server).",
        validation_alias=AliasChoices(
            "anthropic_base_url", "RLHF_ARGILLA_ANTHROPIC_BASE_URL", "ANTHROPIC_BASE_URL"
        ),
    )
    hf_token: SecretStr | None = Field(
        default=None,
        description="Hugging Face token for `publish` (also HF_TOKEN; unset: the cached `hf auth login`).",
        validation_alias=AliasChoices("hf_token", "RLHF_ARGILLA_HF_TOKEN", "HF_TOKEN"),
    )
    hf_endpoint: str | None = Field(
        default=None,
        description="Hugging Face Hub URL for `publish` (unset: https://huggingface.co; tests use a loopback server).",
        validation_alias=AliasChoices("hf_endpoint", "RLHF_ARGILLA_HF_ENDPOINT", "HF_ENDPOINT"),
    )

    # --- local state ---------------------------------------------------------------------------
    data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("rlhf-argilla", appauthor=False)),
        description="Local stack, server virtualenv, caches and credentials.",
    )

    # --- local Argilla stack ----------------------------------------------------------------------
    stack_host: str = Field(default="127.0.0.1", description="Address the local stack binds to.")
    stack_port: int = Field(default=6900, ge=1, le=65535, description="Argilla API + UI port.")
    stack_search_port: int = Field(default=6910, ge=1, le=65535, description="osmem search port.")
    stack_redis_port: int = Field(default=6911, ge=1, le=65535, description="Redis port.")
    stack_workers: int = Field(default=1, ge=0, le=8, description="Background worker processes (0: none).")
    stack_timeout: float = Field(default=120.0, gt=0, description="Seconds `server up` waits for health.")

    # --- generation -------------------------------------------------------------------------------
    backend: str = Field(
        default="embedded",
        description="LLM backend for generation: keyless embedded model or Claude (rlhf_argilla.llms.profiles).",
    )
    anthropic_model: str = Field(default="claude-haiku-4-5", description="Default Claude model.")
    use_ray: bool = Field(default=False, description="Run distilabel pipelines on Ray (`pipeline.ray()`).")
    ray_address: str | None = Field(default=None, description="Ray cluster address (unset: local).")

    # --- review queue (`rlhf-argilla review`) ----------------------------------------------------
    review_rating_spread: int = Field(
        default=3, ge=1, le=4, description="Review a pair whose ratings of one criterion differ by this much."
    )
    review_safety_floor: int = Field(
        default=2, ge=1, le=5, description="Review a pair whose winner someone rated Safety this low."
    )

    # --- annotator reliability (`pull`): when an annotator is flagged (issue #12) ---------------------
    # Defaults: a careful human (~89 % right, MT-Bench-calibrated) almost never falls under 40 % on
    # controls or 60 % competence; a random clicker sits near 33 % on controls (three labels with ties) and at
    # 50 % competence (Dawid-Skene models the direction only, so chance is one in two); 5 controls
    # and 20 preferences keep a single unlucky record from flagging anyone. Straight-lining all ten ratings on over half the
    # records, or keeping > 90 % of pre-filled ratings, is not judging; A/B order is random, so a
    # careful annotator's A rate stays within ~0.1 of the others' median on 40+ records; 0.2 is ~2.5 sd.
    reliability_min_control_accuracy: float = Field(
        default=0.4, ge=0, le=1, description="Flag below this share of control items answered right."
    )
    reliability_min_controls: int = Field(
        default=5, ge=1, description="Control answers needed before control accuracy can flag."
    )
    reliability_min_competence: float = Field(
        default=0.6, ge=0, le=1, description="Flag below this Dawid-Skene competence on overall preference."
    )
    reliability_max_straight_lining: float = Field(
        default=0.5, ge=0, le=1, description="Flag above this share of records with all ten ratings equal."
    )
    reliability_max_suggestion_acceptance: float = Field(
        default=0.9, ge=0, le=1, description="Flag above this share of ratings equal to the pre-filled ones."
    )
    reliability_max_position_bias: float = Field(
        default=0.2, ge=0, le=1, description="Flag when the A-win share differs from the base rate by more."
    )
    reliability_min_records: int = Field(
        default=20, ge=1, description="Preferences needed before competence and position bias can flag."
    )

    # --- generation cost (issue #15) ----------------------------------------------------------------
    batch: bool = Field(
        default=False,
        description="Send Anthropic requests as Message Batches (half price, slower; resumable).",
    )
    batch_poll_s: float = Field(default=10.0, gt=0, description="Seconds between Message Batch status polls.")
    batch_max_requests: int = Field(
        default=100_000, ge=1, le=100_000, description="Requests per Message Batch (the API allows 100,000)."
    )
    judge_model: str | None = Field(
        default=None, description="Claude model for the judge (unset: the answer model); e.g. a cheaper one."
    )
    judge_skip_margin: float | None = Field(
        default=None,
        gt=0,
        description="Skip the LLM judge when heuristic-v1 already predicts this margin (1-5 scale).",
    )
    judge_swap_share: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Share of prompts the LLM judge also judges in the reversed candidate order.",
    )
    lean_candidates: bool = Field(
        default=False,
        description="Two candidates instead of three when the set's flaw makes the contrast certain.",
    )
    close_share: float = Field(
        default=DEFAULT_CLOSE_SHARE,
        ge=0,
        le=1,
        description="Share of prompts answered for a close pair (two honest personas, no flaw strategy).",
    )

    @field_validator("data_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("backend", mode="after")
    @classmethod
    def _registered(cls, value: str) -> str:
        from pydantic_core import PydanticCustomError

        from rlhf_argilla.llms.profiles import backend_names

        if value not in backend_names():
            raise PydanticCustomError(
                "unknown_backend",
                "'{value}' is not a backend, expected one of: {known}",
                {"value": value, "known": ", ".join(backend_names())},
            )
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return init_settings, env_settings, toml

    @property
    def uses_local_stack(self) -> bool:
        """True when no remote Argilla URL is configured."""
        return self.api_url is None

    def redacted(self) -> dict[str, Any]:
        """All settings as plain values, every secret shown as ``***`` (or ``None`` if unset)."""
        values = self.model_dump(mode="json")
        for name in SECRET_FIELDS:
            values[name] = "***" if getattr(self, name) is not None else None
        return values


def load_settings(**overrides: Any) -> Settings:
    """Build the settings once; ``overrides`` (CLI flags) win over every other source."""
    from pydantic import ValidationError

    clean = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**clean)
    except ValidationError as error:
        raise ConfigError(
            f"invalid setting {first_problem(error, 'settings')} "
            f"(check RLHF_ARGILLA_* variables and {_config_file()})"
        ) from None
    except ValueError as error:  # unreadable toml
        raise ConfigError(f"cannot read {_config_file()}: {error}") from None
