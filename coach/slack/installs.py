"""Multi-workspace installs: slack_sdk's SQLAlchemy stores on our database, tokens encrypted.

The library's installation store keeps tokens in plaintext; here every token column gets a type
that encrypts with Fernet (cryptography) on the way in and decrypts on the way out, so the rows
on disk hold only ciphertext and the library's own queries stay untouched.
"""

from __future__ import annotations

import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, Table, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from coach.deps import Deps
from coach.store.slack_tables import TOKEN_COLUMNS

logger = logging.getLogger(__name__)

STATE_EXPIRATION_SECONDS = 600


class TokenKeyMismatch(RuntimeError):
    """A stored token cannot be decrypted: COACH_ENCRYPTION_KEY is not the key it was stored with."""


class EncryptedToken(TypeDecorator[str]):
    impl = Text
    cache_ok = False  # holds a key; never share compiled statements across keys

    def __init__(self, fernet: Fernet) -> None:
        super().__init__()
        self._fernet = fernet

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        try:
            return self._fernet.decrypt(str(value).encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise TokenKeyMismatch(
                "a stored Slack token cannot be decrypted: COACH_ENCRYPTION_KEY differs from the "
                "key it was stored with; restore that key, or reinstall the app in the workspace"
            ) from None


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    def __init__(self, *, client_id: str, engine: Engine, key: str) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=logger)
        fernet = Fernet(key.encode("ascii"))
        for table in (self.bots, self.installations):
            _encrypt(table, fernet)


def _encrypt(table: Table, fernet: Fernet) -> None:
    for name in TOKEN_COLUMNS:
        if name in table.c:
            table.c[name].type = EncryptedToken(fernet)


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine, logger=logger
    )


def build_installation_store(deps: Deps) -> EncryptedInstallationStore | None:
    """The OAuth installation store, when OAuth is configured."""
    settings = deps.settings
    if not (settings.oauth_enabled and settings.slack_client_id and settings.coach_encryption_key):
        return None
    return EncryptedInstallationStore(
        client_id=settings.slack_client_id,
        engine=deps.engine,
        key=settings.coach_encryption_key.get_secret_value(),
    )
