"""Compliance checks over the lineage graph."""
