# about: 'FIELD-NOTES trap: the publication date-time is ill-typed (month 13, day 45) and a statement
#   is dated 2020-06-11. The datatype violation is reported; NotAfterPublication must not fire (rdflib
#   compares an ill-typed xsd:dateTime as true unless re-cast).'
# covers:
# - ArticleShape/publication date-time/or
# expect:
# - severity: Violation
#   focus: article:microsoft-face-recognition-police
#   path: schema:datePublished
#   shape: publication date-time
#   constraint: OrConstraintComponent
# absent:
# - shape: article facts
#   constraint: SPARQLConstraintComponent
#   message: after its article

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

DELETE { article:microsoft-face-recognition-police schema:datePublished ?old }
INSERT { article:microsoft-face-recognition-police schema:datePublished "2023-13-45"^^xsd:dateTime }
WHERE { article:microsoft-face-recognition-police schema:datePublished ?old }
