// Package fault holds what the sandbox emulators share to misbehave on
// purpose: a list of injected faults that hit requests deterministically,
// a seeded draw for random throttling, and request tallies.
package fault
