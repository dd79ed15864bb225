"""Fuzz every route in the OpenAPI description with schemathesis: whatever the parameters, the app
answers 2xx/3xx/4xx, never a server error, and JSON answers match their documented schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a test extra: pip install '.[test]'")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from footage.web.app import create_app  # noqa: E402
from footage.web.context import ServeOptions  # noqa: E402
from support.web import copy_index  # noqa: E402


@pytest.fixture(scope="module")
def fuzz_schema(front_door_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    folder = tmp_path_factory.mktemp("fuzz")
    db = copy_index(front_door_index, folder)
    roots = folder / "allowed"
    roots.mkdir()
    app = create_app(ServeOptions(db, index_roots=(roots,)))
    # the app answers only requests naming a loopback host (no token is set): name one
    yield schemathesis.openapi.from_asgi("/openapi.json", app, headers={"Host": "127.0.0.1"})


#: how long one answer may take: creating a share link encodes a redacted clip and checks every
#: frame for faces (several seconds of CPU, more on a busy 2-core machine); the check here is for
#: server errors, not speed (benchmarks/export_speed.py measures that)
ANSWER_TIMEOUT_S = 180.0


def test_no_request_makes_a_server_error(fuzz_schema: schemathesis.BaseSchema) -> None:
    """Each operation in turn gets generated requests (schemathesis' strategies driven by
    hypothesis directly, so this does not depend on its pytest plugin)."""
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) >= 15, "every page, API route and media route is in the description"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: schemathesis.Case) -> None:
            response = case.call(base_url="http://127.0.0.1", timeout=ANSWER_TIMEOUT_S)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        check()
