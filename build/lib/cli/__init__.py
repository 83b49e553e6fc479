"""The `lineage` command line: thin click commands over the public `lineage` API."""
