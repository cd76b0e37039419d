package mapping

import (
	"fmt"
	"slices"
	"strings"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// Supplement is what a supplementary RegisterSource contributes: attributes
// for people of the primary register (an LDAP directory's mail and
// userPrincipalName, say), and groups written by hand. The RegisterSource
// controller produces one per source in Mapping.spec.sourceRefs after the
// first.
type Supplement struct {
	// Source is the RegisterSource's name; manual room keys include it.
	Source string
	People []SupplementPerson
	Groups []elevsynkv1.ManualGroup
}

// SupplementPerson adds attributes to the primary person whose join key
// attribute (Mapping.spec.joinKey) equals JoinValue.
type SupplementPerson struct {
	JoinValue               string
	EduPersonPrincipalNames []string
	Emails                  []roster.Email
	ExternalIdentifiers     []roster.Identifier
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
	Stats    MergeStats
}

// MergeStats counts supplement people by outcome (counts only: the values
// are join keys, which may be civic numbers).
type MergeStats struct {
	Matched   int
	Unmatched int // no primary person has the value
	Ambiguous int // several primary people have it; nothing is added
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

func normaliseJoin(k elevsynkv1.JoinKey, v string) string {
	if k == elevsynkv1.JoinKeyEduPersonPrincipalName || k == elevsynkv1.JoinKeyEmail {
		return strings.ToLower(v)
	}
	return v
}

// Merge joins supplements onto primary by joinKey. primary is not
// modified: with supplement people, the result holds a copy of the person
// list in which joined people have their own attribute lists. Attributes
// are appended after the register's own (which stay first, so the
// register's primary eppn stays the account key), without duplicates.
func Merge(primary *roster.Snapshot, supplements []Supplement, joinKey elevsynkv1.JoinKey) (Merged, error) {
	m := Merged{Snapshot: primary}
	values, ok := joinValues[joinKey]
	if !ok {
		return m, fmt.Errorf("mapping: join key %q is not PersonID, CivicNo, EduPersonPrincipalName, Email or ExternalIdentifier", joinKey)
	}
	people := 0
	for _, s := range supplements {
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
	const ambiguous = -1
	byValue := make(map[string]int, len(snap.Persons))
	for i := range snap.Persons {
		values(&snap.Persons[i], func(v string) {
			if j, dup := byValue[v]; dup && j != i {
				byValue[v] = ambiguous
			} else {
				byValue[v] = i
			}
		})
	}
	copied := make(map[int]bool)
	for _, s := range supplements {
		for _, sp := range s.People {
			i, found := byValue[normaliseJoin(joinKey, sp.JoinValue)]
			switch {
			case !found || sp.JoinValue == "":
				m.Stats.Unmatched++
				continue
			case i == ambiguous:
				m.Stats.Ambiguous++
				continue
			}
			m.Stats.Matched++
			p := &snap.Persons[i]
			if !copied[i] { // own lists before appending: never write into primary's arrays
				p.EduPersonPrincipalNames = slices.Clone(p.EduPersonPrincipalNames)
				p.Emails = slices.Clone(p.Emails)
				p.ExternalIdentifiers = slices.Clone(p.ExternalIdentifiers)
				copied[i] = true
			}
			p.EduPersonPrincipalNames = appendNew(p.EduPersonPrincipalNames, sp.EduPersonPrincipalNames...)
			p.Emails = appendNew(p.Emails, sp.Emails...)
			p.ExternalIdentifiers = appendNew(p.ExternalIdentifiers, sp.ExternalIdentifiers...)
		}
	}
	return m, nil
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
