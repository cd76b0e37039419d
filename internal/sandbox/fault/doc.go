// Package fault holds what the sandbox emulators share to misbehave on
// purpose: a list of injected faults that hit requests deterministically,
// a seeded draw for random throttling, request tallies, and a server that
// never answers.
package fault
