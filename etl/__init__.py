"""ETL: reported figures in ``data/raw/`` → validated, normalised Parquet snapshots."""

SCHEMA_VERSION = 1
