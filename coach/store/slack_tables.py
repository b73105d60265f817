"""Tables that slack_sdk's SQLAlchemy OAuth stores read and write, declared in our metadata so
Alembic owns them. They are the library's own definitions, except that token columns are Text:
tokens are stored encrypted (see coach/slack/installs.py), and ciphertext is longer."""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Table, Text

from coach.store.models import Base

TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
INSTALLATIONS = SQLAlchemyInstallationStore.default_installations_table_name
BOTS = SQLAlchemyInstallationStore.default_bots_table_name
OAUTH_STATES = SQLAlchemyOAuthStateStore.default_table_name


def _with_text_tokens(table: Table) -> Table:
    for name in TOKEN_COLUMNS:
        if name in table.c:
            table.c[name].type = Text()
    return table


installations = _with_text_tokens(
    SQLAlchemyInstallationStore.build_installations_table(Base.metadata, INSTALLATIONS)
)
bots = _with_text_tokens(SQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS))
oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, OAUTH_STATES)
