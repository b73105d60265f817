"""Block Kit limits Slack enforces, checked the way Slack reports them.

Each problem carries a JSON pointer, as Slack's own messages do:
`[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.

Numbers from Slack's Block Kit reference (docs.slack.dev/reference/block-kit/..., checked through
the stored copies; api.slack.com/reference/block-kit/... says the same):
- blocks: "up to 50 blocks in each message, and 100 blocks in modals or Home tabs" (blocks page);
- section: text 1..3000, fields <= 10 items of <= 2000 (section-block); header text <= 150
  (header-block); context elements <= 10 (context-block); actions elements <= 25 (actions-block);
  input label and hint <= 2000 (input-block); block_id <= 255 on every block;
- button: text <= 75, value <= 2000, url <= 3000, action_id <= 255 (button-element);
- option: text <= 75, value <= 150, description <= 75, url <= 3000 (option-object); a select
  has <= 100 options or <= 100 option_groups, a group label <= 75 and <= 100 options
  (option-group-object); placeholder <= 150 (Placeholdable in Slack's node types);
- confirm dialog: title <= 100, text <= 300, confirm and deny <= 30 (composition-objects);
- modal: title, submit and close <= 24, private_metadata <= 3000, callback_id <= 255,
  `submit` required when an input block is present (reference/views/modal-views);
- overflow <= 5 options, checkboxes and radio buttons <= 10 (element pages);
- image block: alt_text required, <= 2000; image_url <= 3000; title <= 2000; either image_url or
  slack_file (an object with `id` or `url`), not both (image-block, slack-file-object).
Input blocks: the older reference lists them for "Modals, Home tabs" only; the stand-in keeps to
that stricter rule for messages. Uniqueness: block_id must be unique per message or view; Slack's
newer text asks only that action_id be unique within its block, the stand-in asks it of the whole
message or view (stricter, so it can only catch more).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
KNOWN_BLOCKS = frozenset(
    {
        "actions",
        "context",
        "context_actions",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)
SELECTS_WITH_OPTIONS = frozenset({"static_select", "multi_static_select"})
OPTION_LIMITS = {"overflow": 5, "checkboxes": 10, "radio_buttons": 10}


@dataclass(frozen=True)
class Problem:
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} [json-pointer:{self.pointer}]"


def check_message_blocks(blocks: Any) -> list[Problem]:
    checker = _Checker("message")
    checker.blocks(blocks, "/blocks")
    return checker.problems


def check_view(view: Any) -> list[Problem]:
    """Problems of a `view` argument (modal or home), pointers rooted at /view."""
    if not isinstance(view, dict):
        return [Problem("/view", "must be an object")]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [Problem("/view/type", "must be one of modal, home")]
    checker = _Checker(kind)
    if view.get("blocks") is None:
        checker.add("/view/blocks", "missing required field")
    checker.blocks(view.get("blocks"), "/view/blocks")
    if kind == "modal":
        checker.text(view.get("title"), "/view/title", 24, plain=True, required=True)
        checker.text(view.get("submit"), "/view/submit", 24, plain=True)
        checker.text(view.get("close"), "/view/close", 24, plain=True)
        has_input = any(
            isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or []
        )
        if has_input and view.get("submit") is None:
            checker.add("/view/submit", "is required when the view has input blocks")
    checker.length(view.get("private_metadata"), "/view/private_metadata", 3000)
    checker.length(view.get("callback_id"), "/view/callback_id", 255)
    checker.length(view.get("external_id"), "/view/external_id", 255)
    return checker.problems


class _Checker:
    def __init__(self, surface: str) -> None:
        self.surface = surface
        self.problems: list[Problem] = []
        self.block_ids: set[str] = set()
        self.action_ids: set[str] = set()

    def add(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(pointer, message))

    # ---- generic ------------------------------------------------------------------------------
    def length(self, value: Any, pointer: str, limit: int, *, required: bool = False) -> None:
        if value is None:
            if required:
                self.add(pointer, "missing required field")
            return
        if not isinstance(value, str):
            self.add(pointer, "must be a string")
        elif len(value) > limit:
            self.add(pointer, f"must be less than {limit + 1} characters")

    def count(self, items: Any, pointer: str, limit: int, *, minimum: int = 0) -> list[Any]:
        if items is None and minimum == 0:
            return []
        if not isinstance(items, list):
            self.add(pointer, "must be an array")
            return []
        if len(items) > limit:
            self.add(pointer, f"must contain at most {limit} items")
        if len(items) < minimum:
            self.add(pointer, f"must contain at least {minimum} items")
        return items

    def text(
        self,
        obj: Any,
        pointer: str,
        limit: int,
        *,
        plain: bool = False,
        required: bool = False,
    ) -> None:
        if obj is None:
            if required:
                self.add(pointer, "missing required field")
            return
        if not isinstance(obj, dict):
            self.add(pointer, "must be a text object")
            return
        kinds = ("plain_text",) if plain else ("plain_text", "mrkdwn")
        if obj.get("type") not in kinds:
            self.add(f"{pointer}/type", f"must be one of {', '.join(kinds)}")
        value = obj.get("text")
        if not isinstance(value, str) or not value:
            self.add(f"{pointer}/text", "must be more than 0 characters")
        elif len(value) > limit:
            self.add(f"{pointer}/text", f"must be less than {limit + 1} characters")

    def unique_id(self, value: Any, pointer: str, seen: set[str], name: str) -> None:
        if value is None:
            return
        self.length(value, pointer, 255)
        if isinstance(value, str):
            if value in seen:
                self.add(pointer, f"{name} {value!r} is already used in this message or view")
            seen.add(value)

    # ---- blocks -------------------------------------------------------------------------------
    def blocks(self, blocks: Any, pointer: str) -> None:
        if blocks is None and self.surface == "message":
            return
        items = self.count(blocks, pointer, MAX_BLOCKS[self.surface])
        for index, block in enumerate(items):
            self.block(block, f"{pointer}/{index}")

    def block(self, block: Any, at: str) -> None:
        if not isinstance(block, dict):
            self.add(at, "must be an object")
            return
        kind = block.get("type")
        if kind not in KNOWN_BLOCKS:
            self.add(f"{at}/type", f"unsupported block type {kind!r}")
            return
        self.unique_id(block.get("block_id"), f"{at}/block_id", self.block_ids, "block_id")
        if kind == "section":
            if block.get("text") is None and block.get("fields") is None:
                self.add(at, "must have text or fields")
            self.text(block.get("text"), f"{at}/text", 3000)
            for i, item in enumerate(self.count(block.get("fields"), f"{at}/fields", 10)):
                self.text(item, f"{at}/fields/{i}", 2000)
            if block.get("accessory") is not None:
                self.element(block["accessory"], f"{at}/accessory")
        elif kind == "header":
            self.text(block.get("text"), f"{at}/text", 150, plain=True, required=True)
        elif kind == "context":
            elements = self.count(block.get("elements"), f"{at}/elements", 10, minimum=1)
            for i, element in enumerate(elements):
                if isinstance(element, dict) and element.get("type") in ("plain_text", "mrkdwn"):
                    self.text(element, f"{at}/elements/{i}", 3000)
        elif kind == "actions":
            elements = self.count(block.get("elements"), f"{at}/elements", 25, minimum=1)
            for i, element in enumerate(elements):
                self.element(element, f"{at}/elements/{i}")
        elif kind == "input":
            if self.surface == "message":
                self.add(f"{at}/type", "input blocks are only available in modals and Home tabs")
            self.text(block.get("label"), f"{at}/label", 2000, plain=True, required=True)
            self.text(block.get("hint"), f"{at}/hint", 2000, plain=True)
            if block.get("element") is None:
                self.add(f"{at}/element", "missing required field")
            else:
                self.element(block["element"], f"{at}/element")
        elif kind == "image":
            self.image(block, at)
            self.text(block.get("title"), f"{at}/title", 2000, plain=True)

    def image(self, block: dict[str, Any], at: str) -> None:
        """An image block or element: `alt_text` (required, <= 2000), and exactly one source:
        `image_url` (<= 3000) or `slack_file` ({"id": "F..."} or {"url": ...}, not both).
        Whether the file exists and the viewer may see it is checked against the uploads
        (`files.slack_file_problems`)."""
        self.length(block.get("alt_text"), f"{at}/alt_text", 2000, required=True)
        url, file = block.get("image_url"), block.get("slack_file")
        if (url is None) == (file is None):
            self.add(at, "must provide exactly one of image_url or slack_file")
        self.length(url, f"{at}/image_url", 3000)
        if file is not None:
            if not isinstance(file, dict) or (("id" in file) == ("url" in file)):
                self.add(f"{at}/slack_file", "must have exactly one of id or url")
            else:
                self.length(file.get("id"), f"{at}/slack_file/id", 255)
                self.length(file.get("url"), f"{at}/slack_file/url", 3000)

    # ---- elements and composition objects -----------------------------------------------------
    def element(self, element: Any, at: str) -> None:
        if not isinstance(element, dict) or not isinstance(element.get("type"), str):
            self.add(at, "must be a block element with a type")
            return
        kind = element["type"]
        self.unique_id(element.get("action_id"), f"{at}/action_id", self.action_ids, "action_id")
        self.text(element.get("placeholder"), f"{at}/placeholder", 150, plain=True)
        if element.get("confirm") is not None:
            self.confirm(element["confirm"], f"{at}/confirm")
        if kind == "button":
            self.text(element.get("text"), f"{at}/text", 75, plain=True, required=True)
            self.length(element.get("value"), f"{at}/value", 2000)
            self.length(element.get("url"), f"{at}/url", 3000)
        elif kind in SELECTS_WITH_OPTIONS:
            options, groups = element.get("options"), element.get("option_groups")
            if options is None and groups is None:
                self.add(at, "must have options or option_groups")
            self.options(options, f"{at}/options", 100)
            for i, group in enumerate(self.count(groups, f"{at}/option_groups", 100)):
                group_at = f"{at}/option_groups/{i}"
                if not isinstance(group, dict):
                    self.add(group_at, "must be an object")
                    continue
                self.text(group.get("label"), f"{group_at}/label", 75, plain=True, required=True)
                self.options(group.get("options"), f"{group_at}/options", 100, minimum=1)
        elif kind in OPTION_LIMITS:
            self.options(element.get("options"), f"{at}/options", OPTION_LIMITS[kind], minimum=1)

    def options(self, options: Any, at: str, limit: int, *, minimum: int = 0) -> None:
        for i, option in enumerate(self.count(options, at, limit, minimum=minimum)):
            option_at = f"{at}/{i}"
            if not isinstance(option, dict):
                self.add(option_at, "must be an object")
                continue
            self.text(option.get("text"), f"{option_at}/text", 75, required=True)
            self.length(option.get("value"), f"{option_at}/value", 150)
            self.text(option.get("description"), f"{option_at}/description", 75)
            self.length(option.get("url"), f"{option_at}/url", 3000)

    def confirm(self, confirm: Any, at: str) -> None:
        if not isinstance(confirm, dict):
            self.add(at, "must be an object")
            return
        self.text(confirm.get("title"), f"{at}/title", 100, plain=True, required=True)
        self.text(confirm.get("text"), f"{at}/text", 300, required=True)
        self.text(confirm.get("confirm"), f"{at}/confirm", 30, plain=True, required=True)
        self.text(confirm.get("deny"), f"{at}/deny", 30, plain=True, required=True)
