# about: 'a start as a string: neither xsd:nonNegativeInteger nor xsd:integer, and not comparable with 0'
# covers:
# - TextPositionSelectorShape/start/or
# expect:
# - severity: Violation
#   focus: <evidence/microsoft/position>
#   path: oa:start
#   shape: start
#   constraint: OrConstraintComponent
# - severity: Violation
#   focus: <evidence/microsoft/position>
#   path: oa:start
#   shape: start
#   constraint: MinInclusiveConstraintComponent

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
INSERT { <evidence/microsoft/position> oa:start ?text }
WHERE { <evidence/microsoft/position> oa:start ?old BIND (STR(?old) AS ?text) }
