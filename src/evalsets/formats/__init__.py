"""Datapoint formats: files for import and export (JSON Lines, CSV and Parquet, all streaming)
and vendors' datapoint shapes shared by their dialect and the SDK (Humanloop)."""
