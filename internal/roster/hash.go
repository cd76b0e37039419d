package roster

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
)

// hashVersion is written first, so a change to the canonical encoding shows
// up as a hash change everywhere at once rather than as a silent collision.
const hashVersion = "elevsynk-roster-v1\n"

// Hash returns a stable content hash of s ("sha256:" + hex), equal for equal
// content whatever the input order (entity lists and unordered nested lists
// are sorted as Sort does, on copies; s is not modified).
//
// The hash covers exactly what the JSON form of the snapshot holds. The civic
// number is not serialised and so not hashed: a register change that only
// touches civic numbers yields the same hash. That is deliberate: the hash is
// shown in status and compared with cached snapshots, nothing downstream of
// the mapping reads civic numbers, and a hash that moved on a civic number
// would be a (weak) signal about one.
func (s *Snapshot) Hash() string {
	h := sha256.New()
	h.Write([]byte(hashVersion))
	// One JSON value per line (strings escape newlines). Neither the hash
	// writer nor these types can make Encode fail, so errors are not checked.
	enc := json.NewEncoder(h)

	section := func(name string) { enc.Encode(name) }

	section("organisations")
	for _, o := range sortedByID(s.Organisations, func(o *Organisation) string { return o.ID }) {
		c := *o
		c.SchoolTypes = sortedCopy(o.SchoolTypes, cmp.Compare[SchoolType])
		enc.Encode(&c)
	}
	section("persons")
	for _, p := range sortedByID(s.Persons, func(p *Person) string { return p.ID }) {
		c := *p
		c.ExternalIdentifiers = slices.Clone(p.ExternalIdentifiers)
		c.Enrolments = slices.Clone(p.Enrolments)
		sortPersonLists(&c)
		enc.Encode(&c)
	}
	section("groups")
	for _, g := range sortedByID(s.Groups, func(g *Group) string { return g.ID }) {
		c := *g
		c.Memberships = sortedCopy(g.Memberships, compareMembership)
		enc.Encode(&c)
	}
	section("duties")
	for _, d := range sortedByID(s.Duties, func(d *Duty) string { return d.ID }) {
		c := *d
		c.AssignmentRoles = sortedCopy(d.AssignmentRoles, compareAssignmentRole)
		enc.Encode(&c)
	}
	section("syllabuses")
	for _, y := range sortedByID(s.Syllabuses, func(y *Syllabus) string { return y.ID }) {
		enc.Encode(y)
	}
	section("activities")
	for _, a := range sortedByID(s.Activities, func(a *Activity) string { return a.ID }) {
		c := *a
		c.GroupIDs = sortedCopy(a.GroupIDs, cmp.Compare[string])
		c.Teachers = sortedCopy(a.Teachers, compareActivityTeacher)
		enc.Encode(&c)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// sortedByID returns pointers to items in id order, leaving items alone.
func sortedByID[T any](items []T, id func(*T) string) []*T {
	ps := make([]*T, len(items))
	for i := range items {
		ps[i] = &items[i]
	}
	byID := func(a, b *T) int { return cmp.Compare(id(a), id(b)) }
	if !slices.IsSortedFunc(ps, byID) { // sources hand over sorted snapshots
		slices.SortStableFunc(ps, byID)
	}
	return ps
}

func sortedCopy[T any](s []T, f func(a, b T) int) []T {
	if slices.IsSortedFunc(s, f) {
		return s
	}
	c := slices.Clone(s)
	slices.SortFunc(c, f)
	return c
}
