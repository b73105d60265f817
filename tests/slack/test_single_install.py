"""The single install (SLACK_BOT_TOKEN) speaks for its own workspace only: Bolt is told who the
token belongs to once, and a request from another workspace is not served with it."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy import func, select

from coach.store.models import Person
from tests.slack.conftest import InProcess, after_the_ack
from tests.slack.test_hostile_requests import call


def _coach_help(in_process: InProcess, workspace_id: str, user_id: str) -> tuple[str, bytes]:
    fields = in_process.slack.slash_command(
        workspace_id, user_id=user_id, channel_id="C0NOORD", command="/coach", text="help"
    )
    return call(in_process, urlencode(fields).encode(), "application/x-www-form-urlencoded")


def test_its_own_workspace_is_served_without_asking_slack_again(in_process: InProcess) -> None:
    status, _ = _coach_help(in_process, "T0ACME", "U0ANNA")
    after_the_ack(in_process)
    [help_] = in_process.slack.calls_to("response_url")
    assert status.startswith("200") and "/coach" in str(help_.args["blocks"])
    # build_app's one auth.test; none per request
    assert [c.method for c in in_process.slack.calls].count("auth.test") == 1


def test_a_request_from_another_workspace_is_not_served_with_its_token(
    in_process: InProcess,
) -> None:
    in_process.slack.add_workspace(
        "T0OTHER", name="Other", bot_token="xoxb-other", bot_user_id="U0BOTOTHER"
    )
    in_process.slack.add_user("T0OTHER", "U0OTTO", name="otto", real_name="Otto")
    _, answer = _coach_help(in_process, "T0OTHER", "U0OTTO")
    after_the_ack(in_process)
    assert b"/coach" not in answer  # Bolt's refusal, not the help
    [refusal] = in_process.slack.calls_to("response_url")
    assert "not installed in this Slack workspace" in refusal.args["text"]
    assert [c.method for c in in_process.slack.calls] == ["auth.test", "response_url"]
    with in_process.core.unit_of_work() as session:
        stored = session.scalar(
            select(func.count()).select_from(Person).where(Person.workspace_id == "T0OTHER")
        )
    assert stored == 0
