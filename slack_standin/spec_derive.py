"""Derive `web_api_args.json` from Slack's OpenAPI spec (the generator; see spec.py).

python -m slack_standin.spec_derive ../shared/slack-api-specs/slack_web_openapi_v2.json
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from slack_standin.spec import DATA_FILE, SPEC_METHODS


def derive(spec: Mapping[str, Any], methods: Iterable[str] = SPEC_METHODS) -> dict[str, Any]:
    """Allowed and required argument names per method: formData and query parameters.

    `token` is left out: every method takes it, as a header or an argument.
    """
    derived: dict[str, Any] = {}
    for method in sorted(methods):
        operations = spec["paths"][f"/{method}"]
        allowed: set[str] = set()
        required: set[str] = set()
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] not in ("formData", "query") or parameter["name"] == "token":
                    continue
                allowed.add(parameter["name"])
                if parameter.get("required", False):
                    required.add(parameter["name"])
        derived[method] = {"allowed": sorted(allowed), "required": sorted(required)}
    return derived


def data_file_content(spec: Mapping[str, Any], licence: str) -> dict[str, Any]:
    return {
        "_source": (
            "Derived by slack_standin/spec.py from slackapi/slack-api-specs, "
            "web-api/slack_web_openapi_v2.json (commit bc08db49625630e3585bf2f1322128ea04f2a7f3, "
            "September 2021): formData and query parameters per method, token left out."
        ),
        "_licence": licence.strip().splitlines(),
        "methods": derive(spec),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m slack_standin.spec_derive PATH/TO/slack_web_openapi_v2.json")
        return 2
    spec_path = Path(argv[0])
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    licence = (spec_path.parent / "LICENSE").read_text(encoding="utf-8")
    target = Path(__file__).with_name(DATA_FILE)
    content = json.dumps(data_file_content(spec, licence), indent=2) + "\n"
    target.write_text(content, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
