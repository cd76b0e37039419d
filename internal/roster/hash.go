package roster

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"reflect"
	"slices"
	"sync"
)

// hashVersion is written first, so a change to the canonical encoding shows
// up as a hash change everywhere at once rather than as a silent collision.
const hashVersion = "elevsynk-roster-v2\n"

// Hash returns a stable content hash of s ("sha256:" + hex), equal for equal
// content whatever the input order (entity lists and unordered nested lists
// are sorted as Sort does, on copies; s is not modified).
//
// The hash covers exactly what the JSON form of the snapshot holds, in a
// binary form of its own (see canon). The civic number is not serialised
// and so not hashed: a register change that only touches civic numbers
// yields the same hash. That is deliberate: the hash is shown in status and
// compared with cached snapshots, nothing downstream of the mapping reads
// civic numbers, and a hash that moved on a civic number would be a (weak)
// signal about one.
func (s *Snapshot) Hash() string {
	c := canon{h: sha256.New()}
	c.buf = append(c.buf, hashVersion...)
	// Each section is its name and its number of entities, so no
	// entity's bytes can be read as the next section's.
	section := func(name string, n int) {
		c.str(name)
		c.buf = binary.AppendUvarint(c.buf, uint64(n))
	}

	section("organisations", len(s.Organisations))
	for _, o := range sortedByID(s.Organisations, func(o *Organisation) string { return o.ID }) {
		x := *o
		x.SchoolTypes = sortedCopy(o.SchoolTypes, cmp.Compare[SchoolType])
		c.value(&x)
	}
	section("persons", len(s.Persons))
	for _, p := range sortedByID(s.Persons, func(p *Person) string { return p.ID }) {
		x := *p
		x.ExternalIdentifiers = sortedCopy(p.ExternalIdentifiers, compareIdentifier)
		x.Enrolments = sortedCopy(p.Enrolments, compareEnrolment)
		c.value(&x)
	}
	section("groups", len(s.Groups))
	for _, g := range sortedByID(s.Groups, func(g *Group) string { return g.ID }) {
		x := *g
		x.Memberships = sortedCopy(g.Memberships, compareMembership)
		c.value(&x)
	}
	section("duties", len(s.Duties))
	for _, d := range sortedByID(s.Duties, func(d *Duty) string { return d.ID }) {
		x := *d
		x.AssignmentRoles = sortedCopy(d.AssignmentRoles, compareAssignmentRole)
		c.value(&x)
	}
	section("syllabuses", len(s.Syllabuses))
	for _, y := range sortedByID(s.Syllabuses, func(y *Syllabus) string { return y.ID }) {
		c.value(y)
	}
	section("activities", len(s.Activities))
	for _, a := range sortedByID(s.Activities, func(a *Activity) string { return a.ID }) {
		x := *a
		x.GroupIDs = sortedCopy(a.GroupIDs, cmp.Compare[string])
		x.Teachers = sortedCopy(a.Teachers, compareActivityTeacher)
		c.value(&x)
	}
	c.flush()
	return "sha256:" + hex.EncodeToString(c.h.Sum(nil))
}

// canon writes values to a hash in an unambiguous binary form: strings and
// lists with their length first, integers as varints, a pointer as a
// presence byte and its value, a struct as its JSON fields in order, a
// Date as its number yyyymmdd. Through encoding/json the hash had been a
// second per 120 000 pupils, most of it escaping strings and writing field
// names.
type canon struct {
	h   hash.Hash
	buf []byte
}

func (c *canon) str(s string) {
	c.buf = binary.AppendUvarint(c.buf, uint64(len(s)))
	c.buf = append(c.buf, s...)
}

func (c *canon) value(x any) {
	c.walk(reflect.ValueOf(x))
	if len(c.buf) > 32<<10 {
		c.flush()
	}
}

func (c *canon) flush() {
	c.h.Write(c.buf)
	c.buf = c.buf[:0]
}

var dateType = reflect.TypeFor[Date]()

func (c *canon) walk(v reflect.Value) {
	if v.Type() == dateType {
		c.buf = binary.AppendVarint(c.buf, v.Field(0).Int()) // ymd, read without boxing the Date
		return
	}
	switch v.Kind() {
	case reflect.String:
		c.str(v.String())
	case reflect.Bool:
		b := byte(0)
		if v.Bool() {
			b = 1
		}
		c.buf = append(c.buf, b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.buf = binary.AppendVarint(c.buf, v.Int())
	case reflect.Pointer:
		if v.IsNil() {
			c.buf = append(c.buf, 0)
			return
		}
		c.buf = append(c.buf, 1)
		c.walk(v.Elem())
	case reflect.Slice:
		c.buf = binary.AppendUvarint(c.buf, uint64(v.Len()))
		for i := range v.Len() {
			c.walk(v.Index(i))
		}
	case reflect.Struct:
		for _, i := range jsonFields(v.Type()) {
			c.walk(v.Field(i))
		}
	default:
		// The register's types hold none; a new one needs a form here.
		panic("roster: Hash cannot encode a " + v.Type().String())
	}
}

// jsonFields is the indexes of t's fields that its JSON form holds: the
// exported ones not tagged "-".
var jsonFields = func() func(reflect.Type) []int {
	var cache sync.Map // reflect.Type -> []int
	return func(t reflect.Type) []int {
		if fs, ok := cache.Load(t); ok {
			return fs.([]int)
		}
		var fs []int
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
				fs = append(fs, i)
			}
		}
		cache.Store(t, fs)
		return fs
	}
}()

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
