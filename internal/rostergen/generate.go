package rostergen

import (
	"math/rand/v2"
	"time"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// PCG stream numbers: one stream per purpose, so that, say, a different
// fault rate does not reshuffle every name and id.
const (
	streamIDs     = 1
	streamContent = 2
	streamFaults  = 3
)

// Generate builds the municipality described by cfg and reports the faults
// it injected. The snapshot is sorted (roster.Snapshot.Sort).
func Generate(cfg Config) (*roster.Snapshot, Report) {
	cfg = cfg.withDefaults()
	b := newBuilder(cfg)
	b.organisations()
	b.syllabuses()
	for i := range b.schools {
		b.school(&b.schools[i], b.schoolIDs[i])
	}
	b.injectFaults()
	b.accounts()
	b.s.Sort()
	b.rep.sort()
	return b.s, b.rep
}

type builder struct {
	cfg     Config
	cal     calendar
	ids     uuidGen
	r       *rand.Rand // content
	f       *rand.Rand // faults
	s       *roster.Snapshot
	rep     Report
	schools []schoolPlan

	schoolIDs   []string
	syllabusIDs map[string]string // "GR:MA", "GY:MATMAT01c" → syllabus id; lookup only
	civicNos    map[string]struct{}

	// Per person, parallel to s.Persons.
	staff []bool
	noKey []bool
	// Per school, the range of s.Persons holding its pupils.
	pupilRange [][2]int
	// Teaching groups with their (single) activity, by index.
	teaching []teachingGroup
}

type teachingGroup struct{ group, activity int }

func newBuilder(cfg Config) *builder {
	seed := uint64(cfg.Seed)
	b := &builder{
		cfg: cfg,
		cal: newCalendar(cfg.Reference),
		ids: uuidGen{rand.New(rand.NewPCG(seed, streamIDs))},
		r:   rand.New(rand.NewPCG(seed, streamContent)),
		f:   rand.New(rand.NewPCG(seed, streamFaults)),
	}
	b.schools = plan(cfg, b.cal, b.r)

	var persons, groups, duties int
	for _, sp := range b.schools {
		for _, st := range sp.staff {
			persons += st.count
			duties += st.count
		}
		for _, c := range sp.classes {
			groups += 1 + len(c.subjects)
		}
	}
	persons += cfg.Pupils
	b.s = &roster.Snapshot{
		Organisations: make([]roster.Organisation, 0, 2+len(b.schools)),
		Persons:       make([]roster.Person, 0, persons),
		Groups:        make([]roster.Group, 0, groups),
		Duties:        make([]roster.Duty, 0, duties),
		Activities:    make([]roster.Activity, 0, groups),
	}
	b.staff = make([]bool, 0, persons)
	b.noKey = make([]bool, persons)
	b.civicNos = make(map[string]struct{}, persons)
	b.teaching = make([]teachingGroup, 0, groups)
	return b
}

// organisations: huvudman → utbildningsförvaltning → school units, the
// shape of a municipal register.
func (b *builder) organisations() {
	hm := roster.Organisation{
		ID: b.ids.next(), DisplayName: b.cfg.MunicipalityName + "s kommun", Type: roster.OrganisationHuvudman,
		MunicipalityCode: b.cfg.MunicipalityCode, OrganisationCode: "HM",
	}
	forv := roster.Organisation{
		ID: b.ids.next(), DisplayName: "Utbildningsförvaltningen", Type: roster.OrganisationForvaltning,
		ParentID: hm.ID, MunicipalityCode: b.cfg.MunicipalityCode, OrganisationCode: "UBF",
	}
	b.s.Organisations = append(b.s.Organisations, hm, forv)
	codes := make(map[int]struct{}, len(b.schools))
	for i, sp := range b.schools {
		code := 10000000 + b.r.IntN(90000000)
		for _, dup := codes[code]; dup; _, dup = codes[code] {
			code = 10000000 + b.r.IntN(90000000)
		}
		codes[code] = struct{}{}
		types := []roster.SchoolType{roster.SchoolTypeFKLASS, roster.SchoolTypeGR}
		if sp.upper {
			types = []roster.SchoolType{roster.SchoolTypeGY}
		}
		o := roster.Organisation{
			ID: b.ids.next(), DisplayName: sp.name, Type: roster.OrganisationSkolenhet, ParentID: forv.ID,
			SchoolUnitCode: itoa8(code), OrganisationCode: "SK" + itoa8(i + 1)[5:],
			MunicipalityCode: b.cfg.MunicipalityCode, SchoolTypes: types,
		}
		b.s.Organisations = append(b.s.Organisations, o)
		b.schoolIDs = append(b.schoolIDs, o.ID)
	}
}

func (b *builder) syllabuses() {
	keys, tmpl := syllabusTemplates()
	b.syllabusIDs = make(map[string]string, len(keys))
	b.s.Syllabuses = make([]roster.Syllabus, len(tmpl))
	for i := range tmpl {
		tmpl[i].ID = b.ids.next()
		b.s.Syllabuses[i] = tmpl[i]
		b.syllabusIDs[keys[i]] = tmpl[i].ID
	}
}

func (b *builder) school(sp *schoolPlan, unitID string) {
	var teachers []int // indices into s.Duties
	for _, st := range sp.staff {
		for range st.count {
			d := b.staffDuty(unitID, st)
			if st.role == roster.DutyLarare {
				teachers = append(teachers, d)
			}
		}
	}
	first := len(b.s.Persons)
	for ci, c := range sp.classes {
		b.class(sp, c, unitID, teachers, teachers[ci%len(teachers)])
	}
	b.pupilRange = append(b.pupilRange, [2]int{first, len(b.s.Persons)})
}

func (b *builder) staffDuty(unitID string, st staffPlan) int {
	p := b.person(b.cal.year-25-b.r.IntN(40), b.r.IntN(2) == 0, true)
	person := &b.s.Persons[p]
	b.s.Duties = append(b.s.Duties, roster.Duty{
		ID: b.ids.next(), PersonID: person.ID, SchoolUnitID: unitID, DutyRole: st.role,
		Description: st.description, Signature: signature(person),
		StartDate: htStart(b.cal.year - b.r.IntN(15)),
	})
	return len(b.s.Duties) - 1
}

// class creates a class's pupils, its Klass group with a mentor, and one
// teaching group plus activity per subject or course.
func (b *builder) class(sp *schoolPlan, c classPlan, unitID string, teachers []int, mentor int) {
	schoolType, enrolStart, enrolEnd := b.enrolmentTerms(sp, c)
	members := make([]roster.Membership, c.pupils)
	for i := range members {
		birthYear := b.cal.year - 6 - c.year // F-klass pupils turn six in the autumn they start
		if sp.upper {
			birthYear = b.cal.year - 15 - c.year
		}
		p := b.person(birthYear, b.r.IntN(2) == 0, false)
		person := &b.s.Persons[p]
		e := roster.Enrolment{SchoolUnitID: unitID, SchoolYear: c.year, SchoolType: schoolType,
			StartDate: enrolStart, EndDate: enrolEnd}
		if c.prog != nil {
			e.ProgrammeCode = c.prog.code
		}
		person.Enrolments = []roster.Enrolment{e}
		members[i] = roster.Membership{PersonID: person.ID}
	}

	classStart, classEnd := b.cal.htStart, b.cal.vtEnd
	if sp.upper { // a GY class lives for its three years
		classStart, classEnd = htStart(c.startYear), vtEnd(c.startYear+3)
	}
	class := roster.Group{ID: b.ids.next(), DisplayName: c.name, Type: roster.GroupKlass, SchoolUnitID: unitID,
		SchoolType: schoolType, StartDate: classStart, EndDate: classEnd, Memberships: members}
	b.s.Groups = append(b.s.Groups, class)
	d := &b.s.Duties[mentor]
	d.AssignmentRoles = append(d.AssignmentRoles, roster.AssignmentRole{GroupID: class.ID,
		Role: roster.AssignmentMentor, StartDate: b.cal.htStart, EndDate: b.cal.vtEnd})

	for _, key := range c.subjects {
		b.teachingGroup(c, key, unitID, schoolType, members, b.s.Duties[teachers[b.r.IntN(len(teachers))]].ID)
	}
}

func (b *builder) enrolmentTerms(sp *schoolPlan, c classPlan) (roster.SchoolType, roster.Date, roster.Date) {
	switch {
	case sp.upper:
		return roster.SchoolTypeGY, htStart(c.startYear), vtEnd(c.startYear + 3)
	case c.year == 0:
		return roster.SchoolTypeFKLASS, b.cal.htStart, b.cal.vtEnd
	default: // GR enrolment from year 1 until the expected end of year 9
		return roster.SchoolTypeGR, htStart(b.cal.year - c.year + 1), vtEnd(b.cal.year + 1 + 9 - c.year)
	}
}

func (b *builder) teachingGroup(c classPlan, key, unitID string, st roster.SchoolType, members []roster.Membership, dutyID string) {
	name := c.name + " " + subjectLabel(key)
	g := roster.Group{ID: b.ids.next(), DisplayName: name, Type: roster.GroupUndervisning, SchoolUnitID: unitID,
		SchoolType: st, StartDate: b.cal.htStart, EndDate: b.cal.vtEnd,
		Memberships: append([]roster.Membership(nil), members...)}
	b.s.Groups = append(b.s.Groups, g)
	b.s.Activities = append(b.s.Activities, roster.Activity{
		ID: b.ids.next(), DisplayName: name, Type: roster.ActivityUndervisning, SchoolUnitID: unitID,
		GroupIDs: []string{g.ID}, Teachers: []roster.ActivityTeacher{{DutyID: dutyID}},
		SyllabusID: b.syllabusIDs[key], StartDate: g.StartDate, EndDate: g.EndDate,
	})
	b.teaching = append(b.teaching, teachingGroup{len(b.s.Groups) - 1, len(b.s.Activities) - 1})
}

// subjectLabel is "Matematik" for a GR subject, the course code for GY
// (which is how gymnasium schedules name their groups).
func subjectLabel(key string) string {
	if key[:3] == "GR:" {
		return grSubjects[key[3:]].name
	}
	return key[3:]
}

// person appends a person born in birthYear and returns its index. Account
// keys come later (accounts), once fault injection has settled names.
func (b *builder) person(birthYear int, girl, staff bool) int {
	given := boyNames[b.r.IntN(len(boyNames))]
	birthNo := 1 + 2*b.r.IntN(500) // odd: man
	if girl {
		given = girlNames[b.r.IntN(len(girlNames))]
		birthNo = 2 + 2*b.r.IntN(499) // even: woman
	}
	family := familyNames[b.r.IntN(len(familyNames))]
	birth := roster.NewDate(birthYear, time.January, 1).AddDays(b.r.IntN(365))
	civic := civicNo(birth, birthNo)
	for _, dup := b.civicNos[civic]; dup; _, dup = b.civicNos[civic] {
		civic = civicNo(birth, (birthNo+2)%1000)
		birthNo = (birthNo + 2) % 1000
	}
	b.civicNos[civic] = struct{}{}
	b.s.Persons = append(b.s.Persons, roster.Person{
		ID: b.ids.next(), GivenName: given, FamilyName: family, CivicNo: roster.CivicNo(civic),
		SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv,
	})
	b.staff = append(b.staff, staff)
	return len(b.s.Persons) - 1
}

// signature is the staff short name schedules use, e.g. "KALI".
func signature(p *roster.Person) string {
	g, f := accountFold(p.GivenName), accountFold(p.FamilyName)
	return upper(g[:min(2, len(g))] + f[:min(2, len(f))])
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func itoa8(n int) string {
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[:])
}
