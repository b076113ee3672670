"""Reading and validation: YAML, schemas, expressions, the typed rule set, settings, scenarios and datasets."""
