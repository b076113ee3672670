"""Ingestion: published crime files (police.uk, ONS) turned into datasets the rule files can use."""
