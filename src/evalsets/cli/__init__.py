"""The ``evalsets`` command line."""
