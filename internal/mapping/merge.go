package mapping

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// Supplement is what a supplementary RegisterSource contributes: attributes
// for people of the primary register (an LDAP directory's mail and
// userPrincipalName, say), and groups written by hand. The Mapping
// controller makes one per source in Mapping.spec.sourceRefs after the
// first (SupplementOf).
type Supplement struct {
	// Source is the RegisterSource's name; manual room keys include it.
	Source string
	// JoinKey is the register attribute People are joined on; empty takes
	// the Mapping's spec.joinKey.
	JoinKey elevsynkv1.JoinKey
	// First puts People's attributes before the register's own, so the
	// account key is the directory's (LDAP precedence Directory).
	First  bool
	People []roster.DirectoryEntry
	Groups []elevsynkv1.ManualGroup
}

// ManualGroup is a manual group with the source it came from.
type ManualGroup struct {
	Source string
	elevsynkv1.ManualGroup
}

// Merged is the primary register with the supplements applied.
type Merged struct {
	Snapshot *roster.Snapshot
	Manual   []ManualGroup
	// Joins has one entry per supplement with people, in supplement order.
	Joins []elevsynkv1.JoinCounts
}

// joinValues yields the values of a join key attribute of a person.
// E-mail-like values compare case-insensitively, as mail systems do.
var joinValues = map[elevsynkv1.JoinKey]func(p *roster.Person, yield func(string)){
	elevsynkv1.JoinKeyPersonID: func(p *roster.Person, yield func(string)) { yield(p.ID) },
	elevsynkv1.JoinKeyCivicNo: func(p *roster.Person, yield func(string)) {
		if c := p.CivicNo.Reveal(); c != "" { // used as a map key only, never printed
			yield(c)
		}
	},
	elevsynkv1.JoinKeyEduPersonPrincipalName: func(p *roster.Person, yield func(string)) {
		for _, e := range p.EduPersonPrincipalNames {
			yield(strings.ToLower(e))
		}
	},
	elevsynkv1.JoinKeyEmail: func(p *roster.Person, yield func(string)) {
		for _, e := range p.Emails {
			yield(strings.ToLower(e.Value))
		}
	},
	elevsynkv1.JoinKeyExternalIdentifier: func(p *roster.Person, yield func(string)) {
		for _, x := range p.ExternalIdentifiers {
			yield(x.Value)
		}
	},
}

// Merge joins supplements onto primary, each by its JoinKey or else by
// joinKey. primary is not modified: with supplement people, the result
// holds a copy of the person list in which joined people have their own
// attribute lists. Attributes are added after the register's own (which
// stay first, so the register's primary eppn stays the account key), or
// before them for a supplement marked First, without duplicates.
//
// An entry adds its attributes only to a person it names alone: a join
// value on several entries (which is the person's?) or shared by several
// register people (which is the entry's?) adds nothing, and is counted.
func Merge(primary *roster.Snapshot, supplements []Supplement, joinKey elevsynkv1.JoinKey) (Merged, error) {
	m := Merged{Snapshot: primary}
	people := 0
	for _, s := range supplements {
		if _, ok := joinValues[cmp.Or(s.JoinKey, joinKey)]; !ok {
			return m, fmt.Errorf("mapping: join key %q is not PersonID, CivicNo, EduPersonPrincipalName, Email or ExternalIdentifier", cmp.Or(s.JoinKey, joinKey))
		}
		people += len(s.People)
		for _, g := range s.Groups {
			m.Manual = append(m.Manual, ManualGroup{Source: s.Source, ManualGroup: g})
		}
	}
	if err := checkManual(m.Manual); err != nil {
		return m, err
	}
	if people == 0 {
		return m, nil
	}
	snap := *primary
	snap.Persons = slices.Clone(primary.Persons)
	m.Snapshot = &snap
	copied := make(map[int]bool)
	indexes := map[elevsynkv1.JoinKey]map[string][]int{}
	for _, s := range supplements {
		if len(s.People) == 0 {
			continue
		}
		key := cmp.Or(s.JoinKey, joinKey)
		if indexes[key] == nil {
			indexes[key] = personsByValue(snap.Persons, joinValues[key])
		}
		m.Joins = append(m.Joins, join(&snap, s, key, indexes[key], copied))
	}
	return m, nil
}

// personsByValue lists, per join value, the people who have it (each once).
func personsByValue(persons []roster.Person, values func(*roster.Person, func(string))) map[string][]int {
	by := make(map[string][]int, len(persons))
	for i := range persons {
		values(&persons[i], func(v string) {
			if l := by[v]; len(l) == 0 || l[len(l)-1] != i {
				by[v] = append(l, i)
			}
		})
	}
	return by
}

// Person outcomes of one join, in the order a person is counted: a person
// with several join values counts once, under the first that applies.
const (
	withoutEntry = iota
	ambiguous
	withDuplicates
	matched
)

// join applies one supplement and counts how it joined.
func join(snap *roster.Snapshot, s Supplement, key elevsynkv1.JoinKey, byValue map[string][]int, copied map[int]bool) elevsynkv1.JoinCounts {
	c := elevsynkv1.JoinCounts{Source: s.Source}
	entries := make(map[string][]int, len(s.People))
	for i := range s.People {
		v := key.Fold(s.People[i].JoinValue.Reveal())
		if v == "" {
			c.EntriesWithoutPerson++
			continue
		}
		entries[v] = append(entries[v], i)
	}
	outcome := make(map[int]int, len(entries))
	mark := func(person, o int) { outcome[person] = max(outcome[person], o) }
	for v, es := range entries {
		ps := byValue[v]
		switch {
		case len(ps) == 0:
			c.EntriesWithoutPerson += int32(len(es))
			continue
		case len(es) > 1:
			c.DuplicateKeys++
			for _, p := range ps {
				mark(p, withDuplicates)
			}
			continue
		case len(ps) > 1:
			for _, p := range ps {
				mark(p, ambiguous)
			}
			continue
		}
		i := ps[0]
		mark(i, matched)
		p, e := &snap.Persons[i], &s.People[es[0]]
		if !copied[i] { // own lists before adding: never write into primary's arrays
			p.EduPersonPrincipalNames = slices.Clone(p.EduPersonPrincipalNames)
			p.Emails = slices.Clone(p.Emails)
			p.ExternalIdentifiers = slices.Clone(p.ExternalIdentifiers)
			copied[i] = true
		}
		p.EduPersonPrincipalNames = addNew(p.EduPersonPrincipalNames, e.EduPersonPrincipalNames, s.First)
		p.Emails = addNew(p.Emails, e.Emails, s.First)
		p.ExternalIdentifiers = addNew(p.ExternalIdentifiers, e.ExternalIdentifiers, s.First)
	}
	for i := range snap.Persons {
		switch outcome[i] {
		case matched:
			c.Matched++
		case withDuplicates:
			c.PeopleWithDuplicates++
		case ambiguous:
			c.PeopleAmbiguous++
		default:
			c.PeopleWithoutEntry++
		}
	}
	return c
}

// addNew adds the values of add that dst lacks, after dst's own or, with
// first, before them.
func addNew[T comparable](dst, add []T, first bool) []T {
	if !first {
		return appendNew(dst, add...)
	}
	out := appendNew(make([]T, 0, len(dst)+len(add)), add...)
	return appendNew(out, dst...)
}

func appendNew[T comparable](dst []T, add ...T) []T {
	var zero T
	for _, v := range add {
		if v != zero && !slices.Contains(dst, v) {
			dst = append(dst, v)
		}
	}
	return dst
}

// checkManual refuses two manual groups with one identity, which would
// make two rooms with one key.
func checkManual(groups []ManualGroup) error {
	seen := make(map[string]bool, len(groups))
	for _, g := range groups {
		k := g.Source + "/" + g.ID
		if g.ID == "" || seen[k] {
			return fmt.Errorf("mapping: manual source %q: group id %q is empty or used twice", g.Source, g.ID)
		}
		seen[k] = true
	}
	return nil
}
