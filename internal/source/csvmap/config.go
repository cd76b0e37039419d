// Package csvmap reads a tabular export nobody has written a reader for
// (Adela, Skolplatsen, a home-made extract) by a column mapping: which
// header holds which register field, and how the export's words translate
// into the register's. The fields are in docs/registers.md.
package csvmap

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// File maps one file's columns: Columns from register field to header,
// Values per field from the export's word to the register's.
type File struct {
	Name    string
	Columns map[string]string
	Values  map[string]map[string]string
}

// Config is a mapped source: Persons is required, the others optional.
type Config struct {
	Delimiter   rune   // 0 is ','
	Encoding    string // export.Text's names; "" is Auto
	Persons     File
	Schools     *File
	Groups      *File
	Memberships *File
	// Today gives a ten-digit civic number its century (export.CivicNo).
	Today roster.Date
}

// The fields each file knows, and which of them are required.
var fields = map[string]struct{ known, required []string }{
	"persons": {
		known:    []string{"id", "givenName", "familyName", "civicNo", "email", "eduPersonPrincipalName", "role", "school", "schoolType", "schoolYear", "class", "securityMarking", "protected"},
		required: []string{"id", "givenName", "familyName"},
	},
	"schools": {
		known:    []string{"id", "name", "schoolUnitCode", "schoolType"},
		required: []string{"id", "name"},
	},
	"groups": {
		known:    []string{"id", "name", "type", "school"},
		required: []string{"id", "name", "school"},
	},
	"memberships": {
		known:    []string{"group", "person", "role"},
		required: []string{"group", "person"},
	},
}

// ConfigError is a mistake in the configuration, at a path of the
// RegisterSource's spec (e.g. spec.csv.persons.columns.givenName).
type ConfigError struct{ Path, Msg string }

func (e *ConfigError) Error() string { return e.Path + ": " + e.Msg }

// Validate checks c: every field is one its file knows, required fields
// are mapped, memberships have groups to refer to.
func (c Config) Validate() error {
	if c.Delimiter == '"' || c.Delimiter == '\n' || c.Delimiter == '\r' {
		return &ConfigError{"spec.csv.delimiter", "must not be a quote or a line break"}
	}
	files := []struct {
		kind string
		f    *File
	}{{"persons", &c.Persons}, {"schools", c.Schools}, {"groups", c.Groups}, {"memberships", c.Memberships}}
	for _, x := range files {
		if x.f == nil {
			continue
		}
		path := "spec.csv." + x.kind
		if x.f.Name == "" {
			return &ConfigError{path + ".name", "is required"}
		}
		spec := fields[x.kind]
		for _, field := range slices.Sorted(maps.Keys(x.f.Columns)) {
			if !slices.Contains(spec.known, field) {
				return &ConfigError{path + ".columns." + field, fmt.Sprintf("unknown field; the %s file knows %s", x.kind, strings.Join(spec.known, ", "))}
			}
			if strings.TrimSpace(x.f.Columns[field]) == "" {
				return &ConfigError{path + ".columns." + field, "names no header"}
			}
		}
		for _, field := range spec.required {
			if _, ok := x.f.Columns[field]; !ok {
				return &ConfigError{path + ".columns", "the field " + field + " is required"}
			}
		}
		for _, field := range slices.Sorted(maps.Keys(x.f.Values)) {
			if _, ok := x.f.Columns[field]; !ok {
				return &ConfigError{path + ".values." + field, "translates a field the columns do not map"}
			}
		}
	}
	if c.Memberships != nil && c.Groups == nil {
		return &ConfigError{"spec.csv.memberships", "needs spec.csv.groups, the groups it refers to"}
	}
	return nil
}
