// Package roster is the normalised school model: every register source
// (SS 12000 API, IMS XML, OneRoster CSV, ...) produces a Snapshot, and every
// mapping reads one, so the rest of elevsynk never sees a wire format.
//
// Field names and enum values follow SS 12000:2020/korr 1:2022 (OpenAPI
// info.version 2.1.0); where a field is a reference to another entity it is
// flattened to that entity's id (e.g. Group.organisation → Group.SchoolUnitID).
//
// The model holds children's personal data. Findings, errors and String
// methods in this package carry entity ids (register UUIDs) and counts only,
// never names, civic numbers or e-mail addresses; keep it that way.
package roster
