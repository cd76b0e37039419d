// Package ss12000 is an in-process SS 12000 v2.1 server for tests: the
// subset elevsynk reads (organisations, persons, groups with memberships,
// duties, activities, syllabuses, deletedEntities), an OAuth2 client
// credentials token endpoint, API-key and mutual-TLS modes, spec paging,
// meta.*.after filters, mutations that bump meta.modified on an injectable
// clock, and deterministic fault injection with request counters.
//
// It serves the wire types of internal/source/ss12000, so the JSON it
// writes is what the client reads; the client's tests pin those types to
// the spec independently (golden documents written from the spec).
//
// Spec references are to openapi_ss12000_version2_1_0.yaml ("the spec").
package ss12000
