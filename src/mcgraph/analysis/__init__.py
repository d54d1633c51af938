"""Analyses on the graph: stacking paths, skill gaps, set cover (networkx projections of the store)."""
