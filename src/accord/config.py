"""Settings, read from the environment (prefix ``ACCORD_``) with safe development defaults.

Zero configuration runs on SQLite in ``./accord.db``; one variable, ``ACCORD_DATABASE_URL``,
switches to PostgreSQL. Outside development a secret key must be set: a default secret would let
anyone forge session cookies and signed links.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./accord.db"
    secret_key: str = Field(default="", repr=False)
    base_url: str = "http://127.0.0.1:8000"
    session_max_age_s: int = Field(default=8 * 3600, gt=0)
    # Hours sales has to accept or reject a lead handed over as sql before it shows as overdue.
    lead_handoff_sla_hours: int = Field(default=48, gt=0)
    # The loop (docs/loop.md): ticket numbers, SLA clock and targets, escalation, recurrence.
    loop_ticket_prefix: str = Field(default="AC", pattern=r"^[A-Z]{1,6}$")
    loop_sla_clock: Literal["calendar", "business"] = "business"
    loop_business_hours: str = Field(default="09:00-17:00", pattern=r"^\d\d:\d\d-\d\d:\d\d$")
    loop_sla_hours: dict[str, tuple[float, float]] = {
        "urgent": (1, 8),
        "high": (4, 24),
        "normal": (8, 40),
        "low": (24, 80),
    }
    loop_team_leads: dict[str, str] = {}
    loop_recurrence_days: int = Field(default=90, gt=0)
    loop_recurrence_scope: Literal["account", "segment"] = "account"
    # The regional scenario-NPS drop alert (docs/loop.md, "Alerts into the loop").
    loop_scenario_nps_days: int = Field(default=30, ge=1, le=365)
    loop_scenario_nps_drop: float = Field(default=10.0, gt=0, le=200)
    loop_scenario_nps_min_responses: int = Field(default=10, ge=1)
    # Notifications (docs/loop.md, "Notifications"): webhook retries and SMTP email.
    notify_webhook_attempts: int = Field(default=3, ge=1, le=10)
    notify_webhook_backoff_s: float = Field(default=2.0, ge=0)
    notify_webhook_timeout_s: float = Field(default=10.0, gt=0)
    notify_smtp_host: str = ""  # empty: no email is sent
    notify_smtp_port: int = Field(default=25, gt=0)
    notify_smtp_from: str = "accord@localhost"
    notify_smtp_starttls: bool = False
    # Surveys (docs/surveys.md): days a survey invitation link stays valid after it is sent.
    survey_link_days: int = Field(default=21, ge=1, le=365)
    # The sampling planner (docs/sampling.md): coverage target, contact fatigue, caps, quarantine.
    sampling_target_share: float = Field(default=0.8, gt=0, le=1)
    sampling_relationship_gap_days: int = Field(default=90, ge=0)
    sampling_scenario_gap_days: int = Field(default=7, ge=0)
    sampling_scenario_days: int = Field(default=14, ge=1)
    sampling_transacted_days: int = Field(default=90, ge=1)
    sampling_monthly_cap: int = Field(default=5000, ge=0)
    sampling_account_cap: int = Field(default=8, ge=1)
    sampling_role_cap: int = Field(default=2, ge=1)
    sampling_quarantine: list[str] = []  # contact ids, email addresses and/or email domains
    # Text analytics (docs/text.md): driver tags and sentiment from free text, offline.
    text_device: Literal["auto", "cpu", "cuda"] = "auto"
    text_batch_size: int = Field(default=64, ge=1, le=4096)
    text_model_dir: str = "./accord-text-model"
    text_labelled_path: str = ""  # empty: the labelled set shipped in the repository's data/
    text_auto_classify: bool = True
    text_auto_interval_s: float = Field(default=5.0, gt=0)

    @model_validator(mode="after")
    def _require_secret_outside_development(self) -> Settings:
        if not self.secret_key:
            if self.env == "production":
                raise ValueError(
                    "ACCORD_SECRET_KEY must be set in production (e.g. `python -c "
                    '"import secrets; print(secrets.token_urlsafe(48))"`)'
                )
            # Development and tests: a per-process key; sessions end when the server restarts.
            self.secret_key = secrets.token_urlsafe(48)
        elif len(self.secret_key) < 32:
            raise ValueError("ACCORD_SECRET_KEY must be at least 32 characters")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
