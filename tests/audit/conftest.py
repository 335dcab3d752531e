from tests.cases.conftest import advance, category, street_unit, submit  # noqa: F401
