"""The layout rules of docs/architecture.md, checked on the source so they cannot drift:

- one door to the database: only coach/store/ builds SQL or touches a session's rows;
- thin listeners: every function in coach/slack/listeners/ is at most 25 lines, none reaches the
  database itself or opens a transaction, and none calls Slack's Web API before it acknowledges the request;
- the product package holds the bot only: nothing in coach/ imports the stand-in at import time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COACH = ROOT / "coach"
STORE = COACH / "store"
LISTENERS = COACH / "slack" / "listeners"

# What builds or runs SQL, or reads and writes rows through a session.
SQL_BUILDERS = {"select", "insert", "update", "delete", "func", "and_", "or_", "text", "exists"}
SESSION_CALLS = {"execute", "scalars", "scalar", "add", "add_all", "flush", "merge", "refresh"}
MAX_LISTENER_LINES = 25


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


OUTSIDE_STORE = [p for p in _modules(COACH) if STORE not in p.parents]


@pytest.mark.parametrize("path", OUTSIDE_STORE, ids=_name)
def test_only_the_store_builds_queries(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [f"imports {a.name}" for a in node.names if a.name in SQL_BUILDERS]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SESSION_CALLS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in {"session", "s", "db", "connection"}
        ):
            found.append(f"line {node.lineno}: session.{node.func.attr}()")
    assert not found, f"move to a coach/store/ module: {found}"


@pytest.mark.parametrize("path", _modules(LISTENERS), ids=_name)
def test_listeners_are_thin(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_LISTENER_LINES
    ]
    assert not long, f"longer than {MAX_LISTENER_LINES} lines: {long}"
    imports = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith(("sqlalchemy", "coach.store"))
    ]
    assert not imports, f"a listener calls a service, not the store: {imports}"
    transactions = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "unit_of_work"
    ]
    assert not transactions, f"the service owns the transaction (lines {transactions})"


def _calls_in_order(function: ast.FunctionDef) -> list[ast.Call]:
    calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)]
    return sorted(calls, key=lambda call: (call.lineno, call.col_offset))


def _uses_client(call: ast.Call) -> bool:
    """A Web API call (`client.x(...)`), or a helper handed the client to make one (a handler
    handed both `ack` and `client` is checked on its own)."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id == "client"
    names = {
        a.id for a in [*call.args, *(k.value for k in call.keywords)] if isinstance(a, ast.Name)
    }
    return "client" in names and "ack" not in names


def _acks(node: ast.AST) -> bool:
    """`ack(...)` or `ack_field_errors(ack, ...)`: the request is answered."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in {"ack", "ack_field_errors"}
    )


def _first_sure_ack(function: ast.FunctionDef) -> tuple[int, int]:
    """Where the function has surely acked: its first ack at the top level of its body (an ack
    in a branch answers only that branch, so calls after it may still come before the ack)."""
    for statement in function.body:
        if _acks(statement):
            return (statement.lineno, statement.col_offset)
    return (10**9, 0)


@pytest.mark.parametrize("path", _modules(LISTENERS), ids=_name)
def test_no_slack_call_before_the_ack(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    early = []
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        acked_at = _first_sure_ack(function)
        for call in _calls_in_order(function):
            if (call.lineno, call.col_offset) >= acked_at:
                break
            if "ack" in {a.arg for a in function.args.args} and _uses_client(call):
                early.append(f"{function.name}: {ast.unparse(call.func)} (line {call.lineno})")
    assert not early, f"Slack Web API called before ack(): {early}"


@pytest.mark.parametrize("path", _modules(COACH), ids=_name)
def test_the_bot_does_not_import_the_stand_in(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = [
        node
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any(
            name.startswith(("slack_standin", "coach_demo"))
            for name in (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
            )
        )
    ]
    assert not top_level, (
        "coach/ is the bot only: import the stand-in or the demo lazily, in coach/cli/"
    )


def _services_imported(tree: ast.Module) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("coach.services")
        for alias in node.names
    }


def _answers_with_result(function: ast.FunctionDef) -> bool:
    """The ack carries what the service said: field errors, or an ack with content."""
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "ack_field_errors":
                return True
            if node.func.id == "ack" and (node.args or node.keywords):
                return True
    return False


@pytest.mark.parametrize("path", _modules(LISTENERS), ids=_name)
def test_no_service_before_the_ack_unless_the_answer_needs_it(path: Path) -> None:
    """Work before the ack (a transaction) delays Slack's answer: only a listener whose answer
    is the service's outcome (a form's field errors, a command's reply) may call it first."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    services = _services_imported(tree)
    early = []
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        if "ack" not in {a.arg for a in function.args.args} or _answers_with_result(function):
            continue
        acked_at = _first_sure_ack(function)
        for call in _calls_in_order(function):
            if (call.lineno, call.col_offset) >= acked_at:
                break
            root = call.func
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in services:
                early.append(f"{function.name}: {ast.unparse(call.func)} (line {call.lineno})")
    assert not early, f"a service called before a bare ack(): ack first, then call it: {early}"


def test_serving_slack_does_not_load_matplotlib() -> None:
    """matplotlib takes about a second to import: it loads with the first picture drawn, not
    with every `coach run` or CLI command (a Home with unchanged pictures draws nothing)."""
    import subprocess
    import sys

    modules = "coach.lanes, coach.slack.app, coach.slack.http, coach.delivery.passes, coach.cli"
    check = f"import sys, {modules}; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", check], check=False).returncode == 0
