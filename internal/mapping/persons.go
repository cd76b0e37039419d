package mapping

import (
	"slices"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// person is what selectors need to know about one person, worked out once
// per evaluation: a municipality's million memberships then cost one map
// lookup each, instead of a lookup, an exclusion check and an enrolment
// scan.
//
// It is 8 bytes, so that a municipality's table stays in the CPU's caches
// while its groups' members are read in it.
type person struct {
	rank    int32 // of the account key (persons.keys); -1 when left out
	reason  uint8 // placed, or why not
	student bool  // an enrolment that counts today
	// counted: a selector picked this person while left out, so the report
	// counts them (once, however many rooms they were picked for).
	counted bool
}

// persons is the person table of one evaluation, by register id; with a
// duplicated id the first person wins, as in roster.Index.
type persons struct {
	at  map[string]int32
	all []person
	// enrolled is the table indexes of the people with an enrolment that
	// counts today, by school unit, in register order. A school's Enrolled
	// rooms read it in sequence; reading each pupil's enrolments there
	// instead, scattered over a municipality's heap, grew 30x for 10x the
	// pupils.
	enrolled map[string][]int32
	// keys is every account key a room may hold, by rank (rankKeys);
	// extra ranks the keys that are not a register person's.
	keys  []string
	extra map[string]int32
}

// newPersons builds the table of s's people; extra are the other keys
// rooms may hold (extra owners, manual groups' keys), which share the
// ranking.
func newPersons(s *roster.Snapshot, g *gate, w window, extra []string) persons {
	t := persons{at: make(map[string]int32, len(s.Persons)), all: make([]person, len(s.Persons)),
		enrolled: map[string][]int32{}}
	keys := make([]string, 0, len(s.Persons)+len(extra))
	placedAt := make([]int32, 0, len(s.Persons)) // the person of each of keys
	for i := range s.Persons {
		p := &s.Persons[i]
		// A second person with an id enrols the first, as roster.Index's
		// StudentsAt and an id lookup did.
		at, dup := t.at[p.ID]
		if !dup {
			at = int32(i)
			t.at[p.ID] = at
		}
		student := false
		for j, e := range p.Enrolments {
			if !w.counts(e) {
				continue
			}
			student = true
			if !slices.ContainsFunc(p.Enrolments[:j], func(d roster.Enrolment) bool {
				return d.SchoolUnitID == e.SchoolUnitID && w.counts(d)
			}) {
				t.enrolled[e.SchoolUnitID] = append(t.enrolled[e.SchoolUnitID], at)
			}
		}
		if !dup {
			key, reason := g.classify(p)
			t.all[i] = person{rank: -1, reason: reason, student: student}
			if reason == placed {
				keys, placedAt = append(keys, key), append(placedAt, int32(i))
			}
		}
	}
	keys = append(keys, extra...)
	var ranks []int32
	t.keys, ranks = rankKeys(keys)
	for n, i := range placedAt {
		t.all[i].rank = ranks[n]
	}
	t.extra = make(map[string]int32, len(extra))
	for n, k := range extra {
		t.extra[k] = ranks[len(placedAt)+n]
	}
	return t
}

// keysOf is the account keys of ranks, in an exact-size list.
func (t *persons) keysOf(ranks []int32) []string {
	out := make([]string, len(ranks))
	for i, r := range ranks {
		out[i] = t.keys[r]
	}
	return out
}

// enrolledAt maps the ids of the people enrolled at unit today to their
// table indexes: one school's people, few enough for the CPU's caches.
func (t *persons) enrolledAt(s *roster.Snapshot, unit string) map[string]int32 {
	in := t.enrolled[unit]
	m := make(map[string]int32, len(in))
	for _, i := range in {
		m[s.Persons[i].ID] = i
	}
	return m
}

// lookup returns the table entry of the person with id, or nil.
func (t *persons) lookup(id string) *person {
	if i, ok := t.at[id]; ok {
		return &t.all[i]
	}
	return nil
}

// counts is the left-out people per reason, in precedence order.
func (t *persons) counts() []elevsynkv1.ReasonCount {
	var n [len(reasonNames)]int32
	for i := range t.all {
		if t.all[i].counted {
			n[t.all[i].reason]++
		}
	}
	var out []elevsynkv1.ReasonCount
	for r := 1; r < len(n); r++ {
		if n[r] > 0 {
			out = append(out, elevsynkv1.ReasonCount{Reason: reasonNames[r], Count: n[r]})
		}
	}
	return out
}

// leftOut names the counted people of every reason but a protected
// identity, in register order.
func (t *persons) leftOut(s *roster.Snapshot) []LeftOut {
	var out []LeftOut
	for i := range t.all {
		if p := &t.all[i]; p.counted && p.reason != outSecurityMarking {
			out = append(out, LeftOut{PersonID: s.Persons[i].ID, Reason: reasonNames[p.reason]})
		}
	}
	return out
}

// add appends the rank of p's account key to dst, or counts p as left out.
func add(dst []int32, p *person) []int32 {
	if p.reason == placed {
		return append(dst, p.rank)
	}
	p.counted = true
	return dst
}
