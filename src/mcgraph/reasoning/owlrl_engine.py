"""The reference engine for materialisation: the ``owlrl`` package's OWL 2 RL closure over rdflib.

Slow on large graphs (it computes every OWL RL consequence, then we keep only the predicates the SPARQL rules
produce), which is why the SPARQL rules run by default; kept for comparison and as ``--engine owlrl``.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..queries import run_query
from ..store import GraphStore


def owlrl_closure(store: GraphStore) -> set[ox.Triple]:
    """OWL RL consequences whose predicate is one the rules target, less what is asserted."""
    import owlrl
    from rdflib import BNode, Graph, Literal, URIRef

    asserted = run_query(store, "reason-closure-input").triples
    data = ox.serialize(asserted, format=ox.RdfFormat.N_TRIPLES) or b""
    graph = Graph()
    graph.parse(data=data, format="nt")
    before = set(graph)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    targets = {p for p in run_query(store, "reason-target-predicates").values("predicate") if p}

    def term(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        assert isinstance(node, Literal)
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype))) if node.datatype else ox.Literal(str(node))

    out: set[ox.Triple] = set()
    for s, p, o in set(graph) - before:
        if str(p) in targets and not isinstance(s, Literal) and not isinstance(o, Literal) and s != o:
            out.add(ox.Triple(term(s), ox.NamedNode(str(p)), term(o)))  # type: ignore[arg-type]
    return out
