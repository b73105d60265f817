"""Editing and deleting one's own 9+ story from its confirmation DM, checked on the server."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from coach.store.models import OutboxMessage, Story, StoryCredit, StoryDraft
from coach_demo.driver import Driver
from tests.coaching.conftest import TEAM
from tests.coaching.test_stories import VALUES_OK, slash, stories, values


def saved_story(world: Driver, user: str = "U0ANNA", **changes: Any) -> dict[str, Any]:
    """File a story through /9plus; returns its confirmation DM as the person sees it."""
    world.at("2026-11-23T06:00:00+00:00")
    world.submit(user, slash(world, user, ""), values(**changes))
    world.passes.deliver()
    return next(m for m in world.dm(user) if _buttons(m))


def _buttons(message: dict[str, Any]) -> list[str]:
    return [
        e["action_id"]
        for b in message.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
    ]


def credits(world: Driver) -> list[tuple[int, str]]:
    with world.deps.unit_of_work() as session:
        return [(c.story_id, c.user_id) for c in session.scalars(select(StoryCredit))]


def edit_form(world: Driver, user: str, confirmation: dict[str, Any]) -> dict[str, Any]:
    before = len(world.slack.calls_to("views.open"))
    status, _ = world.click(user, confirmation, "story_edit")
    assert status.startswith("200")
    opened = world.slack.calls_to("views.open")
    assert len(opened) == before + 1 and opened[-1].ok
    return opened[-1].response["view"]


def celebrate(world: Driver) -> None:
    with world.deps.unit_of_work() as session:
        for story in session.scalars(select(Story)):
            story.celebrated_at = world.clock.now()


def test_the_confirmation_offers_edit_and_a_delete_that_asks_first(world: Driver) -> None:
    confirmation = saved_story(world)
    assert _buttons(confirmation) == ["story_edit", "story_delete"]
    [delete] = [
        e
        for b in confirmation["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "story_delete"
    ]
    assert delete["value"] == str(stories(world)[0].id)
    assert delete["confirm"]["title"]["text"] == "Dit verhaal verwijderen?"


def test_edit_opens_the_form_with_the_story_as_saved(world: Driver) -> None:
    confirmation = saved_story(world)
    view = edit_form(world, "U0ANNA", confirmation)
    blocks = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert view["title"]["text"] == "Je 9+ verhaal bewerken"
    assert blocks["text"]["initial_value"] == "Mevrouw Jansen belde om te bedanken <!channel>"
    assert blocks["principle"]["initial_option"]["value"] == "goed-geregeld"
    assert blocks["colleagues"]["initial_users"] == ["U0BOB"]
    assert blocks["consent"]["initial_option"]["value"] == "share"
    with world.deps.unit_of_work() as session:
        draft = session.get_one(StoryDraft, view["id"])
        assert (draft.user_id, draft.edit_of, draft.source) == (
            "U0ANNA",
            stories(world)[0].id,
            "edit",
        )


def test_a_private_story_reopens_as_private(world: Driver) -> None:
    confirmation = saved_story(
        world, consent={"story_consent": {"selected_option": {"value": "private"}}}
    )
    view = edit_form(world, "U0ANNA", confirmation)
    [consent] = [b["element"] for b in view["blocks"] if b["block_id"] == "consent"]
    assert consent["initial_option"]["value"] == "private"


def test_submitting_the_edit_changes_the_story_in_place(world: Driver) -> None:
    confirmation = saved_story(world)
    [before] = stories(world)
    view = edit_form(world, "U0ANNA", confirmation)
    status, answer = world.submit(
        "U0ANNA",
        view,
        values(
            text={"story_text": {"value": "Meneer de Vries <@U0KEN> was blij"}},
            principle={"story_principle": {"selected_option": {"value": "not-sure"}}},
            colleagues={"story_colleagues": {"selected_users": ["U0KEN", "U0ANNA"]}},
        ),
    )
    assert status.startswith("200") and answer in (b"", b"null")
    [after] = stories(world)
    assert after.id == before.id and after.text == "Meneer de Vries <@U0KEN> was blij"
    assert after.principle_id is None and after.created_at == before.created_at
    assert credits(world) == [(after.id, "U0KEN")]  # replaced; the author is not her own credit
    [updated] = [m for m in world.dm("U0ANNA") if m["ts"] == confirmation["ts"]]
    text = json.dumps(updated, ensure_ascii=False)
    assert "Bijgewerkt" in text and "Meneer de Vries &lt;@U0KEN&gt; was blij" in text
    assert "<@U0KEN>" not in text and _buttons(updated) == ["story_edit", "story_delete"]
    assert len(world.dm("U0ANNA")) == 1  # the confirmation was rewritten, not repeated
    world.passes.deliver()  # the newly credited colleague is thanked; Bob was already
    assert len(world.dm("U0KEN")) == 1 and len(world.dm("U0BOB")) == 1


def test_an_edit_with_a_bad_field_gets_the_error_and_changes_nothing(world: Driver) -> None:
    confirmation = saved_story(world)
    view = edit_form(world, "U0ANNA", confirmation)
    status, answer = world.submit("U0ANNA", view, values(text={"story_text": {"value": "  "}}))
    assert status.startswith("200")
    assert json.loads(answer) == {
        "response_action": "errors",
        "errors": {"text": "Vertel kort wat er gebeurde."},
    }
    [story] = stories(world)
    assert story.text == "Mevrouw Jansen belde om te bedanken <!channel>"
    assert credits(world) == [(story.id, "U0BOB")]


def test_someone_else_cannot_edit_my_story(world: Driver) -> None:
    confirmation = saved_story(world)
    opened = len(world.slack.calls_to("views.open"))
    world.click("U0BOB", confirmation, "story_edit")  # a forged click with Anna's story id
    assert len(world.slack.calls_to("views.open")) == opened
    view = edit_form(world, "U0ANNA", confirmation)
    world.submit("U0BOB", view, values(text={"story_text": {"value": "Overgenomen door Bob"}}))
    [story] = stories(world)
    assert story.text == "Mevrouw Jansen belde om te bedanken <!channel>"
    assert world.slack.ephemeral_messages_in(world.slack.im_channel_id(TEAM, "U0BOB")) == []


def test_a_celebrated_story_cannot_be_edited_but_can_be_deleted(world: Driver) -> None:
    confirmation = saved_story(world)
    celebrate(world)
    opened = len(world.slack.calls_to("views.open"))
    world.click("U0ANNA", confirmation, "story_edit")
    assert len(world.slack.calls_to("views.open")) == opened
    [told] = world.slack.ephemeral_messages_in(world.slack.im_channel_id(TEAM, "U0ANNA"))
    assert told["text"] == (
        "Dit verhaal is al gevierd en kan niet meer worden bewerkt. Verwijderen kan nog wel."
    )
    world.click("U0ANNA", confirmation, "story_delete")
    assert stories(world) == [] and credits(world) == []


def test_a_story_celebrated_while_the_form_was_open_is_not_changed(world: Driver) -> None:
    confirmation = saved_story(world)
    view = edit_form(world, "U0ANNA", confirmation)
    celebrate(world)
    _, answer = world.submit("U0ANNA", view, values(text={"story_text": {"value": "Later"}}))
    assert json.loads(answer)["errors"] == {
        "text": "Dit verhaal is net gevierd en kan niet meer worden bewerkt. Verwijderen kan nog wel."
    }
    assert stories(world)[0].text == "Mevrouw Jansen belde om te bedanken <!channel>"


def test_delete_removes_the_story_and_its_credits_and_says_so(world: Driver) -> None:
    confirmation = saved_story(world)
    status, _ = world.click("U0ANNA", confirmation, "story_delete")
    assert status.startswith("200")
    assert stories(world) == [] and credits(world) == []
    with world.deps.unit_of_work() as session:
        assert session.scalars(select(StoryDraft.story_id)).all() == [None]
    [updated] = world.dm("U0ANNA")
    assert updated["text"] == "Je 9+ verhaal is verwijderd." and _buttons(updated) == []


def test_delete_answers_in_the_persons_language(world: Driver) -> None:
    confirmation = saved_story(
        world, "U0BOB", colleagues={"story_colleagues": {"selected_users": []}}
    )
    world.click("U0BOB", confirmation, "story_delete")
    assert stories(world) == []
    [updated] = world.dm("U0BOB")
    assert updated["text"] == "Your 9+ story is deleted."


def test_someone_else_cannot_delete_my_story(world: Driver) -> None:
    confirmation = saved_story(world)
    world.click("U0BOB", confirmation, "story_delete")
    assert len(stories(world)) == 1 and len(credits(world)) == 1
    [unchanged] = world.dm("U0ANNA")
    assert _buttons(unchanged) == ["story_edit", "story_delete"]


def test_deleting_drops_thank_yous_not_yet_sent(world: Driver) -> None:
    confirmation = saved_story(world, colleagues={"story_colleagues": {"selected_users": []}})
    view = edit_form(world, "U0ANNA", confirmation)
    world.submit("U0ANNA", view, VALUES_OK)  # now crediting Bob: his thank-you is queued
    with world.deps.unit_of_work() as session:
        queued = session.scalars(select(OutboxMessage.key).where(OutboxMessage.status == "pending"))
        assert [k.split(":")[0] for k in queued] == ["story_thanks"]
    world.click("U0ANNA", confirmation, "story_delete")
    world.passes.deliver()
    assert world.dm("U0BOB") == []


def test_a_thank_you_not_sent_yet_follows_the_edit(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    world.slack.fail_next("chat.postMessage", status=503, times=3)  # Slack is down for now
    world.submit("U0ANNA", slash(world, "U0ANNA", ""), values())  # credits Bob, shared
    world.passes.deliver()
    with world.deps.unit_of_work() as session:
        draft_story = session.scalars(select(Story)).one()
    # Anna makes it private and removes Bob before Slack recovers: Bob gets no thank-you.
    view = edit_form_for(world, "U0ANNA", draft_story.id)
    world.submit(
        "U0ANNA",
        view,
        values(
            consent={
                "story_consent": {"type": "radio_buttons", "selected_option": {"value": "private"}}
            },
            colleagues={"story_colleagues": {"type": "multi_users_select", "selected_users": []}},
        ),
    )
    world.clock.advance(timedelta(minutes=15))
    world.passes.deliver()
    assert not [m for m in world.dm("U0BOB") if m.get("bot_id")]
    with world.deps.unit_of_work() as session:
        keys = set(session.scalars(select(OutboxMessage.key)))
    assert not any(k.startswith("story_thanks") for k in keys)


def test_changing_someone_else_s_words_asks_them_again(world: Driver) -> None:
    world.at("2026-11-23T06:00:00+00:00")
    with world.deps.unit_of_work() as session:  # Anna saved Bob's message; Bob agreed
        session.add(
            Story(
                workspace_id=TEAM,
                author_id="U0BOB",
                filed_by="U0ANNA",
                text="Wat Bob schreef",
                share=True,
                author_consent="given",
                source="message",
                created_at=world.clock.now(),
                updated_at=world.clock.now(),
            )
        )
    story_id = stories(world)[0].id
    view = edit_form_for(world, "U0ANNA", story_id)
    text = {"story_text": {"type": "plain_text_input", "value": "Iets anders dan Bob schreef"}}
    world.submit("U0ANNA", view, values(text=text))
    assert stories(world)[0].author_consent == "pending"
    world.passes.deliver()
    [question] = [m for m in world.dm("U0BOB") if m.get("bot_id")]
    assert "Iets anders dan Bob schreef" in json.dumps(question, ensure_ascii=False)


def edit_form_for(world: Driver, user: str, story_id: int) -> dict[str, Any]:
    """The edit form, opened as the confirmation's Edit button would (the DM may not be there)."""
    message = {
        "ts": "1.000001",
        "text": "",
        "blocks": [
            {
                "type": "actions",
                "block_id": "story_owner",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "story_edit",
                        "value": str(story_id),
                        "text": {"type": "plain_text", "text": "Edit"},
                    }
                ],
            }
        ],
    }
    return edit_form(world, user, message)


def test_a_story_deleted_while_its_author_is_asked_again_asks_nothing(world: Driver) -> None:
    from coach.services import story_edits

    world.at("2026-11-23T06:00:00+00:00")
    with world.deps.unit_of_work() as session:  # Anna saved Bob's message; Bob agreed
        session.add(
            Story(
                workspace_id=TEAM,
                author_id="U0BOB",
                filed_by="U0ANNA",
                text="Wat Bob schreef",
                share=True,
                author_consent="given",
                source="message",
                created_at=world.clock.now(),
                updated_at=world.clock.now(),
            )
        )
    story_id = stories(world)[0].id
    text = {"story_text": {"type": "plain_text_input", "value": "Iets anders"}}
    world.submit("U0ANNA", edit_form_for(world, "U0ANNA", story_id), values(text=text))
    story_edits.delete(world.deps, workspace_id=TEAM, user_id="U0ANNA", story_id=story_id)
    world.clock.advance(timedelta(minutes=15))
    world.passes.deliver()
    assert not [m for m in world.dm("U0BOB") if m.get("bot_id")]  # no question about nothing


def test_a_story_whose_principle_was_archived_reopens_as_not_sure(world: Driver) -> None:
    from coach.store.models import Principle

    confirmation = saved_story(world)  # filed under Goed geregeld
    with world.deps.unit_of_work() as session:
        principle = session.scalars(select(Principle).where(Principle.key == "goed-geregeld")).one()
        principle.archived_at = world.clock.now()
    view = edit_form(world, "U0ANNA", confirmation)
    blocks = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert blocks["principle"]["initial_option"]["value"] == "not-sure"
    offered = [o["value"] for g in blocks["principle"]["option_groups"] for o in g["options"]]
    assert "goed-geregeld" not in offered
