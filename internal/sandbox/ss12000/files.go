package ss12000

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	wire "github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// A register on disk is one file per endpoint, named after it
// (organisations.json, persons.json, ...), each holding the endpoint's list
// envelope {"data": [...]} (SS 12000 v2.1, every list response) sorted by id.
// `elevsynk gen` writes it and `elevsynk sandbox --from` serves it.

// WriteDir writes st into dir.
func WriteDir(dir string, st *wire.State) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	files := []struct {
		name string
		data any
	}{
		{"organisations", sortedValues(st.Organisations)},
		{"persons", sortedValues(st.Persons)},
		{"groups", sortedValues(st.Groups)},
		{"duties", sortedValues(st.Duties)},
		{"activities", sortedValues(st.Activities)},
		{"syllabuses", sortedValues(st.Syllabuses)},
	}
	for _, f := range files {
		data, err := json.MarshalIndent(map[string]any{"data": f.data}, "", "  ")
		if err != nil {
			return err
		}
		// 0600: the files hold (generated) personal data.
		if err := os.WriteFile(filepath.Join(dir, f.name+".json"), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// ReadDir reads a register WriteDir wrote.
func ReadDir(dir string) (*wire.State, error) {
	st := &wire.State{}
	var err error
	if st.Organisations, err = readList(dir, "organisations", func(o wire.Organisation) string { return o.ID }); err != nil {
		return nil, err
	}
	if st.Persons, err = readList(dir, "persons", func(p wire.Person) string { return p.ID }); err != nil {
		return nil, err
	}
	if st.Groups, err = readList(dir, "groups", func(g wire.Group) string { return g.ID }); err != nil {
		return nil, err
	}
	if st.Duties, err = readList(dir, "duties", func(d wire.Duty) string { return d.ID }); err != nil {
		return nil, err
	}
	if st.Activities, err = readList(dir, "activities", func(a wire.Activity) string { return a.ID }); err != nil {
		return nil, err
	}
	if st.Syllabuses, err = readList(dir, "syllabuses", func(s wire.Syllabus) string { return s.ID }); err != nil {
		return nil, err
	}
	return st, nil
}

func sortedValues[T any](m map[string]T) []T {
	out := make([]T, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

func readList[T any](dir, name string, id func(T) string) (map[string]T, error) {
	path := filepath.Join(dir, name+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var env struct {
		Data []T `json:"data"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		// The JSON error gives an offset, never the content around it.
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := make(map[string]T, len(env.Data))
	for _, x := range env.Data {
		m[id(x)] = x
	}
	return m, nil
}
