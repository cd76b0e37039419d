package mapping

import (
	"bytes"
	"text/template"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// Report is what an evaluation found, for Mapping status. It holds counts,
// rule names, field names and register ids only, never who.
type Report struct {
	Rooms       []elevsynkv1.KindCount
	TotalRooms  int32
	Memberships int64
	DesiredHash string
	// ExcludedPeople counts people a selector picked but who were left out,
	// each person once, by reason (SecurityMarking, PersonStatus, Listed,
	// NoAccountKey).
	ExcludedPeople []elevsynkv1.ReasonCount
	// Findings count data-quality problems the rooms show: RoomWithoutOwners
	// (a rule with owner selectors found none, e.g. a group without
	// teacher; the room is still made), and the joins' totals over all
	// supplements: SupplementMissing (register people without an entry),
	// SupplementUnmatched (entries without a register person),
	// SupplementDuplicate (join values on several entries) and
	// SupplementAmbiguous (register people sharing a join value).
	Findings []elevsynkv1.ReasonCount
	// Joins counts how each supplement with people joined, for status.
	Joins      []elevsynkv1.JoinCounts
	RuleErrors []elevsynkv1.RuleError
	// LeftOut names the people ExcludedPeople counts, by register id, for
	// the report; in memory only, never in status. People with a protected
	// identity are never named, only counted.
	LeftOut []LeftOut
}

// LeftOut is one person a selector picked but who was left out, and why.
type LeftOut struct {
	PersonID string
	Reason   string
}

// Findings reasons.
const (
	FindingRoomWithoutOwners   = "RoomWithoutOwners"
	FindingSupplementMissing   = "SupplementMissing"
	FindingSupplementUnmatched = "SupplementUnmatched"
	FindingSupplementDuplicate = "SupplementDuplicate"
	FindingSupplementAmbiguous = "SupplementAmbiguous"
)

// Evaluate computes the rooms the Mapping wants on day on, from the primary
// snapshot joined with the supplements (see Merge). snap is not modified.
//
// A rule that fails on an object (a template that cannot render it, a
// filter error) does not stop the others, but Evaluate then returns an
// *EvaluationError with every failure by rule and object id, and the State
// is incomplete: callers keep their last good one.
func (p *Program) Evaluate(snap *roster.Snapshot, supplements []Supplement, on roster.Date) (desired.State, Report, error) {
	merged, err := Merge(snap, supplements, p.spec.JoinKey)
	if err != nil {
		return desired.State{}, Report{}, err
	}
	e := newEvaluator(p, merged, on)
	var errs EvaluationError
	for i := range p.rules {
		e.rule(&p.rules[i], &errs)
	}
	st := desired.State{Rooms: e.rooms}
	st.Sort()
	rep := Report{
		Rooms: st.Counts(), TotalRooms: int32(len(st.Rooms)), Memberships: st.Memberships(),
		ExcludedPeople: e.people.counts(), LeftOut: e.people.leftOut(e.snap), Joins: merged.Joins,
	}
	var total elevsynkv1.JoinCounts
	for _, j := range merged.Joins {
		total.PeopleWithoutEntry += j.PeopleWithoutEntry
		total.EntriesWithoutPerson += j.EntriesWithoutPerson
		total.DuplicateKeys += j.DuplicateKeys
		total.PeopleAmbiguous += j.PeopleAmbiguous
	}
	for _, f := range []struct {
		reason string
		n      int32
	}{
		{FindingRoomWithoutOwners, int32(e.withoutOwners)},
		{FindingSupplementMissing, total.PeopleWithoutEntry},
		{FindingSupplementUnmatched, total.EntriesWithoutPerson},
		{FindingSupplementDuplicate, total.DuplicateKeys},
		{FindingSupplementAmbiguous, total.PeopleAmbiguous},
	} {
		if f.n > 0 {
			rep.Findings = append(rep.Findings, elevsynkv1.ReasonCount{Reason: f.reason, Count: f.n})
		}
	}
	if len(errs.Errors) > 0 {
		rep.RuleErrors = errs.RuleErrors()
		return st, rep, &errs
	}
	rep.DesiredHash = st.Hash()
	return st, rep, nil
}

// evaluator is the state of one Evaluate.
type evaluator struct {
	p      *Program
	snap   *roster.Snapshot
	manual []ManualGroup
	x      *roster.Index
	w      window
	on     roster.Date
	gate   *gate
	people persons

	schools map[string]*School // by organisation id
	orgs    map[string]*Organisation
	roots   map[string]*Organisation // school unit id → its huvudman
	byKey   map[string]string        // lower-cased account address → person id, for manual groups

	ref   roster.Date // the reference date templates see; set per object
	funcs template.FuncMap
	buf   bytes.Buffer
	act   activation
	// Scratch lists of key ranks reused for every room; each room gets
	// exact-size lists of the keys.
	owners, members []int32
	// resolved caches membersOf by group; groupsAt is the groups that
	// count today by school unit, for it.
	resolved map[*roster.Group][]int32
	groupsAt map[string][]*roster.Group
	// activityOrder and groupOrder are the orders Activity and Group rules
	// take the objects in (bySchool), worked out for the first such rule.
	activityOrder, groupOrder []int32

	rooms         []desired.Room
	withoutOwners int
}

func newEvaluator(p *Program, m Merged, on roster.Date) *evaluator {
	e := &evaluator{p: p, snap: m.Snapshot, manual: m.Manual, x: roster.NewIndex(m.Snapshot), on: on,
		w: newWindow(on, p.spec.MembershipWindow), gate: newGate(p.spec, p.opts), resolved: make(map[*roster.Group][]int32, len(m.Snapshot.Groups))}
	// Every key a room may hold but a register person's. Listed and empty
	// ones are ranked too, harmlessly: only the keys placed are looked up.
	var extra []string
	for _, r := range p.rules {
		extra = append(extra, r.extraOwners...)
	}
	for _, g := range m.Manual {
		extra = append(append(extra, g.Owners...), g.Members...)
	}
	e.people = newPersons(m.Snapshot, e.gate, e.w, extra)
	e.funcs = funcMap(p.cal, &e.ref)
	e.organisations()
	n := 0
	for _, r := range p.rules {
		switch r.from {
		case elevsynkv1.RegisterActivity:
			n += len(e.snap.Activities)
		case elevsynkv1.RegisterGroup:
			n += len(e.snap.Groups) + len(e.manual)
		default:
			n += len(e.schools) + 1
		}
	}
	e.rooms = make([]desired.Room, 0, n)
	return e
}

// rule makes the rooms of one rule.
func (e *evaluator) rule(r *compiledRule, errs *EvaluationError) {
	ts, err := e.parse(r)
	if err != nil { // Compile parsed the same text with the same functions
		errs.add(EvalError{Rule: r.name, Field: "room", Object: "-", Message: err.Error()})
		return
	}
	e.act.name = r.varName
	switch r.from {
	case elevsynkv1.RegisterActivity:
		if e.activityOrder == nil {
			e.activityOrder = bySchool(e.snap.Activities, func(a *roster.Activity) string { return a.SchoolUnitID })
		}
		for _, i := range e.activityOrder {
			a := &e.snap.Activities[i]
			if !e.w.active(a.StartDate, a.EndDate) {
				continue
			}
			d := &Data{Activity: e.activityData(a), School: e.schools[a.SchoolUnitID], Organisation: e.roots[a.SchoolUnitID]}
			e.object(r, ts, errs, d, d.Activity, "activity:"+a.ID, a.ID,
				scope{activity: a, units: []string{a.SchoolUnitID}}, a.StartDate, a.EndDate)
		}
	case elevsynkv1.RegisterGroup:
		if e.groupOrder == nil {
			e.groupOrder = bySchool(e.snap.Groups, func(g *roster.Group) string { return g.SchoolUnitID })
		}
		for _, i := range e.groupOrder {
			g := &e.snap.Groups[i]
			if !e.w.active(g.StartDate, g.EndDate) {
				continue
			}
			d := &Data{Group: groupData(g, e.schools[g.SchoolUnitID]), School: e.schools[g.SchoolUnitID], Organisation: e.roots[g.SchoolUnitID]}
			e.object(r, ts, errs, d, d.Group, "group:"+g.ID, g.ID,
				scope{group: g, units: []string{g.SchoolUnitID}}, g.StartDate, g.EndDate)
		}
		for i := range e.manual {
			e.manualGroup(r, ts, errs, &e.manual[i])
		}
	case elevsynkv1.RegisterSchool:
		for i := range e.snap.Organisations {
			o := &e.snap.Organisations[i]
			if o.Type != roster.OrganisationSkolenhet || !e.w.active(o.StartDate, o.EndDate) {
				continue
			}
			s := e.schools[o.ID]
			d := &Data{School: s, Organisation: e.roots[o.ID]}
			e.object(r, ts, errs, d, s, "school:"+schoolKey(o), o.ID, scope{units: []string{o.ID}}, o.StartDate, o.EndDate)
		}
	case elevsynkv1.RegisterOrganisation:
		for i := range e.snap.Organisations {
			o := &e.snap.Organisations[i]
			if o.Type != roster.OrganisationHuvudman || !e.w.active(o.StartDate, o.EndDate) {
				continue
			}
			d := &Data{Organisation: e.orgs[o.ID]}
			e.object(r, ts, errs, d, d.Organisation, "organisation:"+o.ID, o.ID,
				scope{units: e.unitsUnder(o.ID)}, o.StartDate, o.EndDate)
		}
	}
}

// bySchool is the indexes of items, school unit by school unit (in the
// order each first appears), each school's in register order. A register
// lists its objects by id, that is in no order of school; taken so, every
// room read a different school's groups, duties and people, and a
// municipality's are too many for the CPU's caches. The rooms are sorted
// afterwards, so only the order of evaluation errors follows it.
func bySchool[T any](items []T, unit func(*T) string) []int32 {
	at := map[string]int{}
	var buckets [][]int32
	for i := range items {
		u := unit(&items[i])
		b, ok := at[u]
		if !ok {
			b = len(buckets)
			at[u] = b
			buckets = append(buckets, nil)
		}
		buckets[b] = append(buckets[b], int32(i))
	}
	out := make([]int32, 0, len(items))
	for _, b := range buckets {
		out = append(out, b...)
	}
	return out
}

func schoolKey(o *roster.Organisation) string {
	if o.SchoolUnitCode != "" {
		return o.SchoolUnitCode
	}
	return "id:" + o.ID
}

// object filters, renders and populates one room. celVal is the object the
// filter sees; id is the register id errors name.
func (e *evaluator) object(r *compiledRule, ts roomTemplates, errs *EvaluationError, d *Data, celVal any,
	key, id string, sc scope, start, end roster.Date) {
	e.act.val = celVal
	ok, err := r.filter.match(&e.act)
	if err != nil {
		errs.add(EvalError{Rule: r.name, Field: "filter", Object: id, Message: filterFailure(err)})
		return
	}
	if !ok {
		return
	}
	room, ok := e.render(r, ts, errs, d, key, id, start, end)
	if !ok {
		return
	}
	e.owners, e.members = e.owners[:0], e.members[:0]
	for _, s := range r.owners {
		e.owners = e.collect(e.owners, s, sc)
	}
	for _, s := range r.members {
		e.members = e.collect(e.members, s, sc)
	}
	e.finish(r, room)
}

// render makes the room with its names and lifetime, or reports why not.
func (e *evaluator) render(r *compiledRule, ts roomTemplates, errs *EvaluationError, d *Data, key, id string, start, end roster.Date) (*desired.Room, bool) {
	key = r.name + ":" + key
	e.ref = start
	if e.ref.IsZero() {
		e.ref = e.on
	}
	d.Rule, d.Key, d.SchoolYear, d.Term = r.name, key, e.p.cal.schoolYear(e.ref), e.p.cal.term(e.ref)
	room := &desired.Room{Key: key, Kind: r.kind, Rule: r.name, Template: r.teamTemplate,
		Lifetime: desired.Lifetime{Start: start, End: end}}
	if !end.IsZero() {
		room.Lifetime.ArchiveAfter = end.AddDays(e.p.opts.archiveAfterDays())
	}
	if d.School != nil {
		room.School = d.School.DisplayName
	}
	var err error
	fail := func(field string) bool {
		pr := runtimeTemplateProblem(r.name, field, err)
		errs.add(EvalError{Rule: r.name, Field: field, Object: id, Message: pr.RuleError().Message})
		return false
	}
	if room.Name, err = render(ts.name, d, &e.buf); err != nil {
		return nil, fail(fieldName)
	}
	if room.Name == "" {
		errs.add(EvalError{Rule: r.name, Field: fieldName, Object: id, Message: "the name template gave an empty name"})
		return nil, false
	}
	if room.Description, err = render(ts.description, d, &e.buf); err != nil {
		return nil, fail(fieldDescription)
	}
	if desired.NeedsMailNickname(r.kind) {
		nick, err2 := render(ts.mailNickname, d, &e.buf)
		if err = err2; err != nil {
			return nil, fail(fieldMailNickname)
		}
		// A template that renders nothing usable falls back to the key, so
		// one odd name does not fail the whole evaluation.
		if room.MailNickname = Slug(nick); room.MailNickname == "" {
			room.MailNickname = nicknameFromKey(key)
		}
	}
	return room, true
}

// finish sets the collected people on room and keeps it.
func (e *evaluator) finish(r *compiledRule, room *desired.Room) {
	for _, k := range r.extraOwners {
		if !e.gate.listed[k] {
			e.owners = append(e.owners, e.people.extra[k])
		}
	}
	owners, members := desired.People(e.owners, e.members)
	room.Owners, room.Members = e.people.keysOf(owners), e.people.keysOf(members)
	if len(room.Owners) == 0 && (len(r.owners) > 0 || len(r.extraOwners) > 0) {
		e.withoutOwners++
	}
	e.rooms = append(e.rooms, *room)
}

func (e *evaluator) parse(r *compiledRule) (roomTemplates, error) {
	var ts roomTemplates
	var err error
	if ts.name, err = parseTemplate(fieldName, r.nameTmpl, e.funcs); err != nil {
		return ts, err
	}
	if ts.description, err = parseTemplate(fieldDescription, r.descTmpl, e.funcs); err != nil {
		return ts, err
	}
	ts.mailNickname, err = parseTemplate(fieldMailNickname, r.nickTmpl, e.funcs)
	return ts, err
}
