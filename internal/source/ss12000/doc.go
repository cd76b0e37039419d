// Package ss12000 reads a school organiser's register over the SS 12000
// REST API (SS 12000:2020/korr 1:2022, OpenAPI info.version 2.1.0).
//
// It covers the subset elevsynk needs: organisations, persons, groups with
// their memberships, duties, activities, syllabuses and deletedEntities.
// Fetching returns a State: the complete wire-level register, which
// Normalize turns into a roster.Snapshot. FetchChanges applies the entities
// modified since a point in time, and the deletions, onto a previous State,
// so a caller can poll cheaply and run a full pass now and then.
//
// Errors never carry response bodies, names, civic numbers or e-mail
// addresses: the register holds children's personal data. They name the
// endpoint, the page number and, for bad JSON, the byte offset.
//
// Spec references in comments are to the OpenAPI document
// openapi_ss12000_version2_1_0.yaml ("the spec"), by path and schema.
package ss12000
