package ss12000

import (
	"maps"
	"reflect"
	"slices"
	"time"
)

// State is the complete wire-level register as last read, keyed by id. It
// is what FetchChanges applies changes onto, so a caller keeps the last
// State between polls (in memory: it holds personal data).
type State struct {
	Organisations map[string]Organisation
	Persons       map[string]Person
	Groups        map[string]Group
	Duties        map[string]Duty
	Activities    map[string]Activity
	Syllabuses    map[string]Syllabus

	// Unsupported lists, sorted, the optional endpoints the server
	// answered 404 or 501; their maps stay empty.
	Unsupported []Endpoint

	// Info describes the fetch that produced this State.
	Info FetchInfo
}

// FetchInfo is about the fetch, not the register: counts only.
type FetchInfo struct {
	// Full is true for a full pass, including an incremental fetch that
	// had to fall back to one.
	Full bool
	// FallbackReason says why an incremental fetch read everything.
	FallbackReason string
	// Started is the client clock when the fetch began. The next
	// FetchChanges should pass it (less a margin for clock skew between
	// us and the server) as since.
	Started time.Time
	// Upserted and Deleted count the entities an incremental fetch read
	// and removed. Changed counts those that differ from the previous
	// state: an entity read again as it was (the since margin re-reads
	// the last minutes) is not a change. Changed is 0 when the register
	// is as it was, and the State then shares the previous one's maps.
	Upserted, Deleted, Changed int
	// Duplicates counts entities that came more than once in a full fetch
	// (the last copy wins); MissingID counts entities without an id, which
	// are dropped.
	Duplicates, MissingID int
}

func newState() *State {
	return &State{
		Organisations: map[string]Organisation{},
		Persons:       map[string]Person{},
		Groups:        map[string]Group{},
		Duties:        map[string]Duty{},
		Activities:    map[string]Activity{},
		Syllabuses:    map[string]Syllabus{},
	}
}

// Len is the number of entities of all types.
func (s *State) Len() int {
	return len(s.Organisations) + len(s.Persons) + len(s.Groups) + len(s.Duties) + len(s.Activities) + len(s.Syllabuses)
}

// clone copies the maps (not the entities' slices, which are never
// mutated in place) so that applying changes leaves prev untouched.
func (s *State) clone() *State {
	return &State{
		Organisations: maps.Clone(s.Organisations),
		Persons:       maps.Clone(s.Persons),
		Groups:        maps.Clone(s.Groups),
		Duties:        maps.Clone(s.Duties),
		Activities:    maps.Clone(s.Activities),
		Syllabuses:    maps.Clone(s.Syllabuses),
		Unsupported:   slices.Clone(s.Unsupported),
	}
}

// clear empties the map of ep (used when an endpoint turns out unsupported).
func (s *State) clear(ep Endpoint) {
	switch ep {
	case Organisations:
		clear(s.Organisations)
	case Persons:
		clear(s.Persons)
	case Groups:
		clear(s.Groups)
	case Duties:
		clear(s.Duties)
	case Activities:
		clear(s.Activities)
	case Syllabuses:
		clear(s.Syllabuses)
	}
}

func (s *State) markUnsupported(ep Endpoint) {
	if !slices.Contains(s.Unsupported, ep) {
		s.Unsupported = append(s.Unsupported, ep)
		slices.Sort(s.Unsupported)
	}
	s.clear(ep)
}

// delete removes the ids in d.
func (s *State) delete(d *Deletions) {
	del(s.Organisations, d.Organisations)
	del(s.Persons, d.Persons)
	del(s.Groups, d.Groups)
	del(s.Duties, d.Duties)
	del(s.Syllabuses, d.Syllabuses)
	del(s.Activities, d.Activities())
}

func del[T any](m map[string]T, ids []string) {
	for _, id := range ids {
		delete(m, id)
	}
}

// held counts the ids of d that s holds: the deletions that change it.
func (s *State) held(d *Deletions) int {
	return countHeld(s.Organisations, d.Organisations) + countHeld(s.Persons, d.Persons) + countHeld(s.Groups, d.Groups) +
		countHeld(s.Duties, d.Duties) + countHeld(s.Syllabuses, d.Syllabuses) + countHeld(s.Activities, d.Activities())
}

// upsert copies every entity of delta into s.
func (s *State) upsert(delta *State) {
	maps.Copy(s.Organisations, delta.Organisations)
	maps.Copy(s.Persons, delta.Persons)
	maps.Copy(s.Groups, delta.Groups)
	maps.Copy(s.Duties, delta.Duties)
	maps.Copy(s.Activities, delta.Activities)
	maps.Copy(s.Syllabuses, delta.Syllabuses)
}

// changedBy counts the entities of delta that differ from s.
func (s *State) changedBy(delta *State) int {
	return countChanged(s.Organisations, delta.Organisations) + countChanged(s.Persons, delta.Persons) +
		countChanged(s.Groups, delta.Groups) + countChanged(s.Duties, delta.Duties) +
		countChanged(s.Activities, delta.Activities) + countChanged(s.Syllabuses, delta.Syllabuses)
}

func countChanged[T any](have, read map[string]T) int {
	n := 0
	for id, v := range read {
		if old, ok := have[id]; !ok || !reflect.DeepEqual(old, v) {
			n++
		}
	}
	return n
}

func countHeld[T any](m map[string]T, ids []string) int {
	n := 0
	for _, id := range ids {
		if _, ok := m[id]; ok {
			n++
		}
	}
	return n
}

func put[T any](m map[string]T, id string, v T, info *FetchInfo) {
	if id == "" {
		info.MissingID++
		return
	}
	if _, dup := m[id]; dup && info.Full {
		info.Duplicates++
	}
	m[id] = v
}
