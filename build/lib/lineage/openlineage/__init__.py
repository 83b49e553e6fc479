"""OpenLineage in and out: events validated against the official 2-0-2 schema, mapped onto
the store (dataset -> entity, job -> operation, run -> activity, producer -> software
agent), and the store written back as events."""
