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
type person struct {
	key     string // account key; "" when left out
	reason  uint8  // placed, or why not
	student bool   // an enrolment that counts today
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
}

func newPersons(s *roster.Snapshot, g *gate, w window) persons {
	t := persons{at: make(map[string]int32, len(s.Persons)), all: make([]person, len(s.Persons)),
		enrolled: map[string][]int32{}}
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
			t.all[i] = person{key: key, reason: reason, student: student}
		}
	}
	return t
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

// add appends p's account key to dst, or counts p as left out.
func add(dst []string, p *person) []string {
	if p.reason == placed {
		return append(dst, p.key)
	}
	p.counted = true
	return dst
}
