# about: 'a negative start, well typed as xsd:integer (and not the exact text)'
# covers:
# - TextPositionSelectorShape/start/minInclusive
# - ArticleFactsShape/sparql/the article text at offsets {?start}–{?end} is not the evidence text “{?exact}”
# expect:
# - severity: Violation
#   focus: <evidence/microsoft/position>
#   path: oa:start
#   shape: start
#   constraint: MinInclusiveConstraintComponent
# - severity: Violation
#   focus: article:microsoft-face-recognition-police
#   path: null
#   shape: article facts
#   constraint: SPARQLConstraintComponent
#   message: offsets -1–696 is not the evidence text

PREFIX rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
PREFIX owl:    <http://www.w3.org/2002/07/owl#>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX org:    <http://www.w3.org/ns/org#>
PREFIX prov:   <http://www.w3.org/ns/prov#>
PREFIX oa:     <http://www.w3.org/ns/oa#>
PREFIX nkg:    <https://w3id.org/newskg/ns#>
PREFIX wd:     <http://www.wikidata.org/entity/>
PREFIX article:      <https://w3id.org/newskg/id/article/>
PREFIX organization: <https://w3id.org/newskg/id/organization/>
PREFIX person:       <https://w3id.org/newskg/id/person/>
PREFIX place:        <https://w3id.org/newskg/id/place/>
PREFIX topic:        <https://w3id.org/newskg/id/topic/>
# Facts, evidence spans, dates and the build of the bundled article, relative to it:
BASE <https://w3id.org/newskg/id/article/microsoft-face-recognition-police/>

DELETE { <evidence/microsoft/position> oa:start ?old }
INSERT { <evidence/microsoft/position> oa:start "-1"^^xsd:integer }
WHERE { <evidence/microsoft/position> oa:start ?old }
