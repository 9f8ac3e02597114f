"""The migrations build exactly the models' schema from empty, and go down and up again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from webapp.extensions import db


def test_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


@pytest.mark.committed  # migrations run on connections of their own
def test_downgrade_to_empty_and_upgrade_again(app, content_bundle):
    from webapp.bundle import load_content

    with app.app_context():
        downgrade(revision="base")
        tables = set(db.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        load_content(content_bundle)
        assert "users" in db.inspect(db.engine).get_table_names()
