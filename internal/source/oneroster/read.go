package oneroster

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"strings"
	"time"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// State is what a bundle said, kept so that the next delta bundle can
// apply on top of it. It is never modified after Read returns it.
type State struct {
	version string
	tables  map[string]*table // by file kind, e.g. "users"
	snap    *roster.Snapshot
}

// Snapshot is the register the bundles read so far describe, sorted. It is
// shared by every caller: do not modify it.
func (s *State) Snapshot() *roster.Snapshot { return s.snap }

// Version is the bundle's oneroster.version, "1.1" or "1.2".
func (s *State) Version() string { return s.version }

// table is one kind's records in the order they were first read, with an
// index by sourcedId. Records are held by value in fixed-size blocks and
// walked in order: at a municipality's million enrolments, a map of
// pointers walked in sorted id order spends its time on cache misses, and
// one growing slice on copying itself.
type table struct {
	index  map[string]int
	blocks [][]record
	n      int
	chunk  []string // where the next records' values go
}

const blockSize = 4096

// record is one row of a bundle file: its kept values, where it was read
// (for errors about it), and whether it is a tombstone.
type record struct {
	id       string
	kind     *kind
	line     int
	deleted  bool
	modified time.Time
	values   []string // parallel to kind.kept
}

// at is the record at position i.
func (t *table) at(i int) *record { return &t.blocks[i/blockSize][i%blockSize] }

// add appends r and returns its position.
func (t *table) add(r record) int {
	if t.n%blockSize == 0 {
		t.blocks = append(t.blocks, make([]record, 0, blockSize))
	}
	b := &t.blocks[len(t.blocks)-1]
	*b = append(*b, r)
	t.n++
	return t.n - 1
}

// clone is a copy of t that a delta can change without changing t; the
// records' values are shared, since a change replaces a record whole.
func (t *table) clone() *table {
	c := &table{index: maps.Clone(t.index), n: t.n}
	for _, b := range t.blocks {
		c.blocks = append(c.blocks, append(make([]record, 0, blockSize), b...))
	}
	return c
}

// values is room for one record's n values, cut from a shared chunk so
// that a row costs no allocation of its own. Chunks grow with the table,
// so a small delta does not hold a large one.
func (t *table) values(n int) []string {
	if cap(t.chunk)-len(t.chunk) < n {
		t.chunk = make([]string, 0, min(max(t.n, 16), blockSize)*n)
	}
	v := t.chunk[len(t.chunk) : len(t.chunk)+n : len(t.chunk)+n]
	t.chunk = t.chunk[:len(t.chunk)+n]
	return v
}

func (r *record) get(h string) string {
	for i, k := range r.kind.kept {
		if k == h {
			return r.values[i]
		}
	}
	return ""
}

// errAt is an error about field h of r.
func (r *record) errAt(h, msg string) error {
	return &export.Error{File: r.kind.name + ".csv", Line: r.line, Field: h, Msg: msg}
}

// kind is a bundle file read, with the columns it must have (in a delta
// also status) and the ones whose values are kept.
type kind struct {
	name     string
	required []string
	kept     []string
}

var kinds = []*kind{
	{"orgs", []string{"sourcedId", "name", "type"}, []string{"name", "type", "identifier", "parentSourcedId"}},
	{"academicSessions", []string{"sourcedId", "startDate", "endDate"}, []string{"startDate", "endDate"}},
	{"courses", []string{"sourcedId", "title"}, []string{"title", "courseCode", "grades", "subjects", "subjectCodes"}},
	{"users", []string{"sourcedId", "givenName", "familyName"}, []string{"role", "orgSourcedIds", "username", "givenName", "familyName", "email", "grades"}},
	{"roles", []string{"sourcedId", "userSourcedId", "role", "orgSourcedId"}, []string{"userSourcedId", "role", "orgSourcedId", "beginDate", "endDate"}},
	{"classes", []string{"sourcedId", "title", "classType", "schoolSourcedId"}, []string{"title", "grades", "courseSourcedId", "classType", "schoolSourcedId", "termSourcedIds"}},
	{"enrollments", []string{"sourcedId", "classSourcedId", "userSourcedId", "role"}, []string{"classSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate"}},
}

// The processing modes of manifest.csv's file.<kind> entries.
const (
	bulk   = "bulk"
	delta  = "delta"
	absent = "absent"
)

// ErrNoPrevious is a delta bundle read with no bulk read before it.
var ErrNoPrevious = errors.New("manifest.csv: the bundle has delta files but there is no previous bulk read to apply them to")

// Read reads the bundle in fsys, its text in encoding (export.Text). prev
// is the State of the previous read, or nil; a delta file applies on top
// of prev's records of its kind, a bulk file replaces them. A file the
// manifest says is absent leaves prev's records as they were when the
// bundle has delta files, and means none when the whole bundle is bulk.
func Read(fsys fs.FS, encoding string, prev *State) (*State, error) {
	version, modes, err := readManifest(fsys, encoding)
	if err != nil {
		return nil, err
	}
	hasDelta := false
	for _, m := range modes {
		hasDelta = hasDelta || m == delta
	}
	if hasDelta && prev == nil {
		return nil, ErrNoPrevious
	}
	st := &State{version: version, tables: map[string]*table{}}
	for _, k := range kinds {
		mode := modes[k.name]
		base := &table{}
		if prev != nil && (mode == delta || (mode == absent && hasDelta)) {
			base = prev.tables[k.name]
		}
		if mode == absent {
			st.tables[k.name] = base
			continue
		}
		t := base.clone()
		required := k.required
		if mode == delta {
			required = append(required[:len(required):len(required)], "status")
		}
		if err := readFile(fsys, encoding, k, required, t); err != nil {
			return nil, err
		}
		st.tables[k.name] = t
	}
	if st.snap, err = build(st); err != nil {
		return nil, err
	}
	return st, nil
}

// readManifest reads manifest.csv: the version and each file's mode.
func readManifest(fsys fs.FS, encoding string) (string, map[string]string, error) {
	const file = "manifest.csv"
	t, err := export.OpenTable(fsys, file, encoding, ',')
	if err != nil {
		return "", nil, err
	}
	defer t.Close()
	if err := t.Require("propertyName", "value"); err != nil {
		return "", nil, err
	}
	name, value := t.Column("propertyName"), t.Column("value")
	version := ""
	modes := map[string]string{}
	err = t.Each(func(row export.Row) error {
		prop, v := row.Get(name), row.Get(value)
		switch {
		case prop == "oneroster.version":
			if v != "1.1" && v != "1.2" {
				return row.Err(value, "oneroster.version must be 1.1 or 1.2")
			}
			version = v
		case strings.HasPrefix(prop, "file."):
			switch v {
			case bulk, delta, absent:
			case "": // seen in the wild for files the exporter does not know
				v = absent
			default:
				return row.Err(value, "the mode of "+prop+" must be bulk, delta or absent")
			}
			modes[strings.TrimPrefix(prop, "file.")] = v
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	if version == "" {
		return "", nil, &export.Error{File: file, Field: "oneroster.version", Msg: "the manifest does not say which OneRoster version the bundle is"}
	}
	for _, k := range kinds {
		if modes[k.name] == "" {
			modes[k.name] = absent
		}
	}
	return version, modes, nil
}

// readFile applies the rows of k's bundle file to t.
func readFile(fsys fs.FS, encoding string, k *kind, required []string, t *table) error {
	file := k.name + ".csv"
	tb, err := export.OpenTable(fsys, file, encoding, ',')
	if errors.Is(err, fs.ErrNotExist) {
		return &export.Error{File: file, Msg: "the manifest lists the file but the bundle does not have it"}
	}
	if err != nil {
		return err
	}
	defer tb.Close()
	if err := tb.Require(required...); err != nil {
		return err
	}
	id, status, modified := tb.Column("sourcedId"), tb.Column("status"), tb.Column("dateLastModified")
	cols := make([]export.Column, len(k.kept))
	for i, h := range k.kept {
		cols[i] = tb.Column(h)
	}
	// Into an empty table (a bulk file), rows are appended and indexed
	// once at the end, in a map made to size: inserting a million
	// enrolments one by one spends most of the read on map growth.
	bulk := t.n == 0
	err = tb.Each(func(row export.Row) error {
		r := record{id: row.Get(id), kind: k, line: row.Line}
		if r.id == "" {
			return row.Err(id, "empty sourcedId")
		}
		switch row.Get(status) {
		case "", "active":
		case "tobedeleted":
			r.deleted = true
		default:
			return row.Err(status, "status must be active or tobedeleted")
		}
		var err error
		if r.modified, err = parseModified(row.Get(modified)); err != nil {
			return row.Err(modified, err.Error())
		}
		r.values = t.values(len(cols))
		for i, c := range cols {
			r.values[i] = row.Get(c)
		}
		if bulk {
			t.add(r)
		} else {
			t.put(r)
		}
		return nil
	})
	if err != nil || !bulk {
		return err
	}
	t.compactIDs()
	t.index = make(map[string]int, t.n)
	dups := 0
	for i := range t.n {
		r := t.at(i)
		j, held := t.index[r.id]
		if !held {
			t.index[r.id] = i
			continue
		}
		if old := t.at(j); r.modified.IsZero() || !old.modified.After(r.modified) {
			*old = *r
		}
		r.id, dups = "", dups+1
	}
	if dups > 0 {
		old := *t
		*t = table{index: map[string]int{}, chunk: old.chunk}
		for i := range old.n {
			if r := old.at(i); r.id != "" {
				t.put(*r)
			}
		}
	}
	return nil
}

// compactIDs copies the records' ids into one string, in order: the
// index's keys are then close together instead of spread over every
// row's text, and the lookups that join a million enrolments to their
// users and classes mostly find them in the cache.
func (t *table) compactIDs() {
	size := 0
	for i := range t.n {
		size += len(t.at(i).id)
	}
	var all strings.Builder
	all.Grow(size)
	for i := range t.n {
		all.WriteString(t.at(i).id)
	}
	ids := all.String()
	for i := range t.n {
		r := t.at(i)
		r.id, ids = ids[:len(r.id)], ids[len(r.id):]
	}
}

// put adds r to t, or replaces the record with its sourcedId in its place;
// unless r is older (dateLastModified) than that one: a late delivery
// must not undo a newer change.
func (t *table) put(r record) {
	i, held := t.index[r.id]
	switch {
	case !held:
		t.index[r.id] = t.add(r)
	case r.modified.IsZero() || !t.at(i).modified.After(r.modified):
		*t.at(i) = r
	}
}

// parseModified reads dateLastModified: an ISO 8601 date-time (with or
// without fraction and zone, "T" or a space between) or a date.
func parseModified(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO 8601 date-time")
}
