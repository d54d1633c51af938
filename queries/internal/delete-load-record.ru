# The load record of one graph removed from the metadata graph (a SPARQL 1.1 Update; a remote store runs it).
# param: g iri — the loaded graph whose record goes
# param: meta iri — the metadata graph
DELETE { GRAPH ?meta { ?s ?p ?o } }
WHERE {
  GRAPH ?meta { ?s ?p ?o }
  FILTER(?s = ?g || STRSTARTS(STR(?s), CONCAT(STR(?g), "#")))
}
