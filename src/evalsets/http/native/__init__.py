"""The native API at ``/api/v1``."""
