// Package file is a target that keeps rooms in a JSON file: for review, for
// another system to pick up, or for a school that wants to see what
// elevsynk would do before it connects a real target. The file is the
// target's whole state, so ownership needs no marker: every room in it is
// ours.
package file

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/atomicfile"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Target keeps the rooms of one elevsynk Target in <dir>/<name>.json.
type Target struct {
	path   string
	export Exporter
	mu     sync.Mutex // one Apply at a time: each rewrites the file
	stats  target.Counter
}

// Exporter writes the rooms an Apply arrived at somewhere else (a roster
// CSV set, an upload) before the file records them. When it fails the
// file keeps the rooms as they were, so the next plan tries again.
type Exporter func(ctx context.Context, rooms []target.Room) error

// New returns the target for the file name.json in dir.
func New(dir, name string) *Target {
	return &Target{path: filepath.Join(dir, name+".json")}
}

// WithExport returns the target for name.json in dir that hands every
// Apply's rooms to export first: the file is then the record of what was
// exported, which is what Observe reads.
func WithExport(dir, name string, export Exporter) *Target {
	t := New(dir, name)
	t.export = export
	return t
}

// document is the file's content. Fields are only ever added.
type document struct {
	Rooms []room `json:"rooms"`
}

type room struct {
	Kind         elevsynkv1.RoomKind `json:"kind"`
	Key          string              `json:"key"`
	Name         string              `json:"name"`
	Description  string              `json:"description,omitempty"`
	MailNickname string              `json:"mailNickname,omitempty"`
	Owners       []string            `json:"owners"`
	Members      []string            `json:"members"`
	Archived     bool                `json:"archived,omitempty"`
}

// Observe reads the file; a file that does not exist yet holds no rooms.
func (t *Target) Observe(ctx context.Context) ([]target.Room, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rooms, err := t.read()
	if err != nil {
		return nil, err
	}
	out := make([]target.Room, 0, len(rooms))
	for _, r := range rooms {
		out = append(out, r.target())
	}
	return out, nil
}

func (r *room) target() target.Room {
	return target.Room{Key: r.Key, Kind: r.Kind, ID: r.Key, Name: r.Name, Description: r.Description,
		MailNickname: r.MailNickname, Owners: r.Owners, Members: r.Members, Archived: r.Archived}
}

// Apply carries out the actions on the file's rooms and writes the file
// once, atomically (a temporary file renamed over it), so a crash leaves
// either the old file or the new one, never half of either.
func (t *Target) Apply(ctx context.Context, actions []target.Action) target.Result {
	t.mu.Lock()
	defer t.mu.Unlock()
	fail := func(err error) target.Result {
		res := target.Result{Skipped: len(actions)}
		if len(actions) > 0 {
			a := actions[0]
			res.Failures = []target.Failure{{Op: a.Op, Kind: a.Kind, Key: a.Key, Message: err.Error()}}
			res.Skipped--
		}
		return res
	}
	rooms, err := t.read()
	if err != nil {
		return fail(err)
	}
	byKey := make(map[string]*room, len(rooms))
	for i := range rooms {
		byKey[id(rooms[i].Kind, rooms[i].Key)] = &rooms[i]
	}
	for _, a := range actions {
		apply(byKey, a)
	}
	if err := ctx.Err(); err != nil {
		return target.Result{Skipped: len(actions)}
	}
	doc := sorted(byKey)
	if t.export != nil {
		out := make([]target.Room, len(doc.Rooms))
		for i := range doc.Rooms {
			out[i] = doc.Rooms[i].target()
		}
		if err := t.export(ctx, out); err != nil {
			return fail(err)
		}
	}
	if err := t.write(doc); err != nil {
		return fail(err)
	}
	return target.Result{Applied: len(actions)}
}

// Stats counts file reads and writes as requests.
func (t *Target) Stats() target.Stats { return t.stats.Load() }

func id(kind elevsynkv1.RoomKind, key string) string { return string(kind) + "/" + key }

// apply changes the rooms by one action. Every action is idempotent: a
// create of an existing room updates it, adds and removes are set
// operations.
func apply(rooms map[string]*room, a target.Action) {
	k := id(a.Kind, a.Key)
	r := rooms[k]
	if a.Op == target.OpCreate {
		if r == nil {
			r = &room{Kind: a.Kind, Key: a.Key, Owners: []string{}, Members: []string{}}
			rooms[k] = r
		}
		r.Name, r.Description, r.MailNickname = a.Name, a.Description, a.MailNickname
		r.Owners = union(r.Owners, a.People)
		return
	}
	if r == nil {
		return // a later action on a room deleted or never made: nothing to do
	}
	switch a.Op {
	case target.OpRename:
		r.Name = a.Name
	case target.OpSetDescription:
		r.Description = a.Description
	case target.OpAddOwners:
		r.Owners = union(r.Owners, a.People)
		r.Members = minus(r.Members, a.People)
	case target.OpAddMembers:
		r.Members = minus(union(r.Members, a.People), r.Owners)
	case target.OpRemoveMembers:
		r.Members = minus(r.Members, a.People)
	case target.OpRemoveOwners:
		r.Owners = minus(r.Owners, a.People)
	case target.OpArchive:
		r.Archived = true
	case target.OpUnarchive:
		r.Archived = false
	case target.OpDelete:
		delete(rooms, k)
	}
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, s) }) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func minus(a, b []string) []string {
	return slices.DeleteFunc(slices.Clone(a), func(x string) bool {
		return slices.ContainsFunc(b, func(s string) bool { return strings.EqualFold(x, s) })
	})
}

// read decodes the file strictly; an unknown field or a malformed file is
// an error naming the file, and nothing is written over it.
func (t *Target) read() ([]room, error) {
	t.stats.Request(false)
	data, err := os.ReadFile(t.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rooms, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.path, err)
	}
	return rooms, nil
}

func decode(data []byte) ([]room, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not a rooms file: %w", err)
	}
	seen := map[string]bool{}
	for _, r := range doc.Rooms {
		if r.Key == "" || r.Kind == "" {
			return nil, errors.New("a room has no kind or key")
		}
		if seen[id(r.Kind, r.Key)] {
			return nil, fmt.Errorf("room %s %s appears twice", r.Kind, r.Key)
		}
		seen[id(r.Kind, r.Key)] = true
	}
	return doc.Rooms, nil
}

func sorted(rooms map[string]*room) document {
	doc := document{Rooms: make([]room, 0, len(rooms))}
	for _, r := range rooms {
		doc.Rooms = append(doc.Rooms, *r)
	}
	slices.SortFunc(doc.Rooms, func(a, b room) int { return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key)) })
	return doc
}

func (t *Target) write(doc document) error {
	t.stats.Request(true)
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(t.path, 0o600, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}
