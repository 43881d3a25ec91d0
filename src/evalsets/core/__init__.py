"""The domain of evalsets: models, versioning rules, diff and errors (no HTTP, no SQL)."""
