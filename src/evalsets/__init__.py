"""evalsets: versioned datasets for evaluating AI assistants."""

__version__ = "0.1.0"
