"""Graph queries: closure in SQL, analysis in networkx."""
