// Package desired holds the desired state: one entry per room a Mapping
// wants, with its stable key, kind, rendered names, owners, members and
// lifetime. It is what plan.Compute compares with what a target observed.
//
// A State holds account keys (which are personal data) and must therefore
// never be logged or written to a status; Counts, Memberships and Hash are
// the parts meant for status and metrics.
package desired
