"""Persistence of the core's model: SQLAlchemy tables, migrations, SQLite and PostgreSQL."""
