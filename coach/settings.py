"""Settings, read once from the environment and `.env` (real environment variables win).

This is the only module that reads the environment. A bad value stops the program with one line
per problem, naming the variable and what it expects.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["text", "json"]
SUPPORTED_DATABASES = ("sqlite", "postgresql")


class SettingsError(Exception):
    """The environment holds values the program cannot run with; `problems` has one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        env_ignore_empty=True,
        case_sensitive=False,
    )

    database_url: str = Field(default="sqlite:///coach.db", description="SQLAlchemy URL")
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    coach_encryption_key: SecretStr | None = None
    port: int = Field(default=3000, ge=0, le=65535)  # 0: any free port (tests)
    log_level: LogLevel = "INFO"
    log_format: LogFormat = "text"
    coach_send_per_minute: int = Field(default=300, ge=1, le=100_000)
    # How long before its time a nudge is planned and handed to Slack (chat.scheduleMessage);
    # 0: nudges are posted live at their time only.
    coach_plan_ahead_hours: int = Field(default=16, ge=0, le=72)
    # The fewest people a team-level number may cover before it is shown (5 at least for counts
    # drawn from private answers); below it the line is left out.
    coach_min_group: int = Field(default=3, ge=2, le=1000)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "is not a database URL; expected e.g. sqlite:///coach.db or "
                "postgresql://user@host:5432/dbname"
            ) from None
        backend = url.get_backend_name()
        if backend not in SUPPORTED_DATABASES:
            raise ValueError(
                f"uses {backend!r}; 9+ Coach supports {', '.join(SUPPORTED_DATABASES)}"
            )
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _prefixed(value, "xoxb-", "a bot token")

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _prefixed(value, "xapp-", "an app-level token")

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")) or value[-3:] == "://":
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("coach_encryption_key")
    @classmethod
    def _encryption_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        try:
            raw = base64.urlsafe_b64decode(value.get_secret_value().encode("ascii"))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ValueError(
                "must be a Fernet key (32 url-safe base64-encoded bytes); make one with "
                "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`"
            )
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _oauth_pair(self) -> Settings:
        if (self.slack_client_id is None) != (self.slack_client_secret is None):
            raise ValueError(
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: set both to turn on the OAuth install, "
                "or neither"
            )
        if self.oauth_enabled and self.coach_encryption_key is None:
            raise ValueError("COACH_ENCRYPTION_KEY: required with OAuth, to encrypt stored tokens")
        return self

    @property
    def oauth_enabled(self) -> bool:
        return self.slack_client_id is not None

    @property
    def pulse_key(self) -> bytes | None:
        """The key of the pulse's answer tokens (services/pulse_answers.py): made from a secret
        the server holds and the database does not, so nobody holding only the database can work
        out whose token is whose. Serving Slack always has one (the signing secret in HTTP mode, the
        app token in Socket Mode); changing that secret lets people answer a month's pulse again."""
        for secret in (
            self.coach_encryption_key,
            self.slack_signing_secret,
            self.slack_client_secret,
            self.slack_app_token,
        ):
            if secret is not None:
                material = b"9plus-coach pulse token\0" + secret.get_secret_value().encode()
                return hashlib.sha256(material).digest()
        return None

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def problems_for_serving(self, *, web: bool = True) -> list[str]:
        """What `coach run` additionally needs, beyond what every command needs (a worker
        serves no requests, so it needs no signing secret)."""
        problems = []
        if web and not self.socket_mode and self.slack_signing_secret is None:
            problems.append(
                "SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)"
            )
        if self.slack_bot_token is None and not self.oauth_enabled:
            problems.append(
                "SLACK_BOT_TOKEN: required for a single-workspace install "
                "(or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)"
            )
        return problems


def _prefixed(value: SecretStr | None, prefix: str, what: str) -> SecretStr | None:
    if value is not None and not value.get_secret_value().startswith(prefix):
        raise ValueError(f"must be {what} starting with {prefix!r}")
    return value


def load_settings(env_file: Path | None = Path(".env")) -> Settings:
    """Read and validate the settings; raise SettingsError listing every problem."""
    try:
        return Settings(_env_file=env_file)
    except ValidationError as error:
        raise SettingsError([_describe(item) for item in error.errors()]) from None


CHOICES = {"log_level": LogLevel, "log_format": LogFormat}
RANGES = {  # what an out-of-range number should be, by setting
    "port": "must be a port number from 0 to 65535 (0 picks any free port)",
    "coach_send_per_minute": "must be a whole number of messages from 1 to 100000",
    "coach_min_group": "must be a whole number of people from 2 to 1000",
    "coach_plan_ahead_hours": "must be a whole number of hours from 0 to 72 (0: post live only)",
}


def _describe(item: ErrorDetails) -> str:
    loc = item["loc"]
    message = item["msg"].removeprefix("Value error, ")
    if not loc:
        return message
    name = str(loc[0]).upper()
    if item["type"] == "int_parsing":
        message = "must be a whole number"
    elif item["type"] in ("greater_than_equal", "less_than_equal"):
        message = RANGES.get(str(loc[0]), message)
    elif item["type"] == "literal_error":
        message = "must be one of " + ", ".join(get_args(CHOICES[str(loc[0])]))
    return f"{name}: {message}"


# Variables Bolt's App() reads by itself, behind our back, when it is built (slack_bolt/app/app.py:
# SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, and OAuth from SLACK_CLIENT_ID + SLACK_CLIENT_SECRET).
BOLT_ENV = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_VERIFICATION_TOKEN",
)


@contextmanager
def bolt_env_hidden() -> Iterator[None]:
    """While Bolt's App is built: hide the variables it would read itself, so the Settings we
    hand it are the only truth (the demo runs single-workspace in a shell set up for OAuth).
    Only for start-up, which runs on one thread."""
    saved = {name: os.environ.pop(name) for name in BOLT_ENV if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)
