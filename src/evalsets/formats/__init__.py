"""File formats for import and export: JSON Lines, CSV and Parquet, all streaming."""
