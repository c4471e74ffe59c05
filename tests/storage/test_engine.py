"""The engine never puts statement parameters (what people typed) into error messages."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError


def test_database_errors_do_not_carry_the_parameters(engine: Engine) -> None:
    with pytest.raises(DBAPIError) as error, engine.connect() as connection:
        connection.execute(
            text("SELECT * FROM no_such_table WHERE title = :title"), {"title": "private plans"}
        )
    assert "private plans" not in str(error.value)
    assert "hidden due to hide_parameters" in str(error.value)
