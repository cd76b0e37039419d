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
	tables  map[string]records // by file kind, e.g. "users"
	snap    *roster.Snapshot
}

// Snapshot is the register the bundles read so far describe, sorted. It is
// shared by every caller: do not modify it.
func (s *State) Snapshot() *roster.Snapshot { return s.snap }

// Version is the bundle's oneroster.version, "1.1" or "1.2".
func (s *State) Version() string { return s.version }

// record is one row of a bundle file: its values by header, where it was
// read (for errors about it), and whether it is a tombstone.
type record struct {
	file     string
	line     int
	deleted  bool
	modified time.Time
	headers  []string // the kind's kept headers, shared
	values   []string // parallel to headers
}

type records map[string]*record

func (r *record) get(h string) string {
	for i, k := range r.headers {
		if k == h {
			return r.values[i]
		}
	}
	return ""
}

// errAt is an error about field h of r.
func (r *record) errAt(h, msg string) error {
	return &export.Error{File: r.file, Line: r.line, Field: h, Msg: msg}
}

// kinds are the bundle files read, with the columns each must have (in a
// delta also status) and the ones whose values are kept.
var kinds = []struct {
	name     string
	required []string
	kept     []string
}{
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
	st := &State{version: version, tables: map[string]records{}}
	for _, k := range kinds {
		mode := modes[k.name]
		var base records
		if prev != nil && (mode == delta || (mode == absent && hasDelta)) {
			base = prev.tables[k.name]
		}
		if mode == absent {
			st.tables[k.name] = base
			continue
		}
		recs := maps.Clone(base)
		if recs == nil {
			recs = records{}
		}
		required := k.required
		if mode == delta {
			required = append(required[:len(required):len(required)], "status")
		}
		if err := readFile(fsys, k.name+".csv", encoding, required, k.kept, recs); err != nil {
			return nil, err
		}
		st.tables[k.name] = recs
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

// readFile applies the rows of one bundle file to recs.
func readFile(fsys fs.FS, file, encoding string, required, kept []string, recs records) error {
	t, err := export.OpenTable(fsys, file, encoding, ',')
	if errors.Is(err, fs.ErrNotExist) {
		return &export.Error{File: file, Msg: "the manifest lists the file but the bundle does not have it"}
	}
	if err != nil {
		return err
	}
	defer t.Close()
	if err := t.Require(required...); err != nil {
		return err
	}
	id, status, modified := t.Column("sourcedId"), t.Column("status"), t.Column("dateLastModified")
	cols := make([]export.Column, len(kept))
	for i, h := range kept {
		cols[i] = t.Column(h)
	}
	return t.Each(func(row export.Row) error {
		r := &record{file: file, line: row.Line, headers: kept, values: make([]string, len(cols))}
		key := row.Get(id)
		if key == "" {
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
		for i, c := range cols {
			r.values[i] = row.Get(c)
		}
		// A delta row older than what is held is a late delivery: it must
		// not undo a newer change.
		if old, ok := recs[key]; !ok || r.modified.IsZero() || !old.modified.After(r.modified) {
			recs[key] = r
		}
		return nil
	})
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
