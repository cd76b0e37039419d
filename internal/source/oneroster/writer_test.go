package oneroster

import (
	"bytes"
	"encoding/csv"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// writerRoles is how the test writer says a duty's role in OneRoster 1.2;
// the reader maps it back through staffRoles, which is lossy for roles
// OneRoster has no word for.
var writerRoles = map[roster.DutyRole]string{
	roster.DutyRektor:                  "principal",
	roster.DutyLarare:                  "teacher",
	roster.DutyAnnanPersonal:           "proctor",
	roster.DutyKurator:                 "counselor",
	roster.DutySkolskoterska:           "proctor",
	roster.DutyStudieOchYrkesvagledare: "counselor",
	roster.DutySkoladministrator:       "siteAdministrator",
	roster.DutyFritidspedagog:          "aide",
}

var writerOrgTypes = map[roster.OrganisationType]string{
	roster.OrganisationHuvudman:    "district",
	roster.OrganisationForvaltning: "local",
	roster.OrganisationSkolenhet:   "school",
}

// gradeCode is the inverse of grade for the forms a generated register has.
func gradeCode(t roster.SchoolType, year int) string {
	switch t {
	case roster.SchoolTypeFKLASS:
		return "KG"
	case roster.SchoolTypeGR:
		return "0" + strconv.Itoa(year)
	case roster.SchoolTypeGY:
		return strconv.Itoa(year + 9)
	}
	return ""
}

type csvFile struct {
	buf bytes.Buffer
	w   *csv.Writer
}

func newCSV(header ...string) *csvFile {
	f := &csvFile{}
	f.w = csv.NewWriter(&f.buf)
	f.w.Write(header)
	return f
}

func (f *csvFile) row(fields ...string) { f.w.Write(fields) }

func (f *csvFile) bytes() []byte { f.w.Flush(); return f.buf.Bytes() }

// writeBundle writes s as a OneRoster 1.2 bulk bundle, the way a register
// would export it, leaving out people with a protected identity as the
// customer must (OneRoster has no marking for them).
func writeBundle(s *roster.Snapshot) fstest.MapFS {
	const t0 = "2026-09-01T06:00:00Z"
	skip := map[string]bool{}
	for _, p := range s.Persons {
		if p.SecurityMarking != roster.SecurityNone {
			skip[p.ID] = true
		}
	}
	district := ""
	orgs := newCSV("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId")
	for _, o := range s.Organisations {
		if o.Type == roster.OrganisationHuvudman {
			district = o.ID
		}
		orgs.row(o.ID, "active", t0, o.DisplayName, writerOrgTypes[o.Type], o.SchoolUnitCode, o.ParentID)
	}

	sessions := newCSV("sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear")
	termOf := func(g roster.Group) string { return "term-" + g.StartDate.String() + "-" + g.EndDate.String() }
	seen := map[string]bool{}
	for _, g := range s.Groups {
		if id := termOf(g); !seen[id] {
			seen[id] = true
			sessions.row(id, "active", t0, id, "schoolYear", g.StartDate.String(), g.EndDate.String(), "", strconv.Itoa(g.EndDate.Year()))
		}
	}

	courses := newCSV("sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes")
	for _, y := range s.Syllabuses {
		title := y.SubjectName
		if y.CourseName != "" {
			title = y.CourseName
		}
		var grades []string
		if y.StartSchoolYear != nil {
			for n := *y.StartSchoolYear; n <= *y.EndSchoolYear; n++ {
				grades = append(grades, gradeCode(y.SchoolType, n))
			}
		}
		courses.row(y.ID, "active", t0, "", title, y.CourseCode, strings.Join(grades, ","), district, y.SubjectName, y.SubjectCode)
	}

	yearOf := map[string]roster.Enrolment{}
	users := newCSV("sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password", "primaryOrgSourcedId")
	roles := newCSV("sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "orgSourcedId", "userProfileSourcedId", "beginDate", "endDate")
	for _, p := range s.Persons {
		if skip[p.ID] {
			continue
		}
		username, email, grades, org := "", "", "", ""
		if len(p.EduPersonPrincipalNames) > 0 {
			username = p.EduPersonPrincipalNames[0]
		}
		if len(p.Emails) > 0 {
			email = p.Emails[0].Value
		}
		for i, e := range p.Enrolments {
			yearOf[p.ID] = e
			grades, org = gradeCode(e.SchoolType, e.SchoolYear), e.SchoolUnitID
			roles.row("role-"+p.ID+"-"+strconv.Itoa(i), "active", t0, p.ID, "primary", "student", e.SchoolUnitID, "", e.StartDate.String(), e.EndDate.String())
		}
		users.row(p.ID, "active", t0, "true", username, "", p.GivenName, p.FamilyName, "", "", email, "", "", "", grades, "", org)
	}
	dutyOf := map[string]roster.Duty{}
	for _, d := range s.Duties {
		dutyOf[d.ID] = d
		if !skip[d.PersonID] {
			roles.row("role-"+d.ID, "active", t0, d.PersonID, "primary", writerRoles[d.DutyRole], d.SchoolUnitID, "", d.StartDate.String(), d.EndDate.String())
		}
	}

	syllabusOf := map[string]string{}
	for _, a := range s.Activities {
		syllabusOf[a.GroupIDs[0]] = a.SyllabusID
	}
	classes := newCSV("sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods")
	enrollments := newCSV("sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate")
	for _, g := range s.Groups {
		classType := "scheduled"
		if g.Type == roster.GroupKlass {
			classType = "homeroom"
		}
		grades := ""
		for _, m := range g.Memberships {
			if e, ok := yearOf[m.PersonID]; ok {
				grades = gradeCode(e.SchoolType, e.SchoolYear)
				break
			}
		}
		classes.row(g.ID, "active", t0, g.DisplayName, grades, syllabusOf[g.ID], "", classType, "", g.SchoolUnitID, termOf(g), "", "", "")
		for _, m := range g.Memberships {
			if !skip[m.PersonID] {
				enrollments.row("enr-"+g.ID+"-"+m.PersonID, "active", t0, g.ID, g.SchoolUnitID, m.PersonID, "student", "false", m.StartDate.String(), m.EndDate.String())
			}
		}
	}
	for _, a := range s.Activities {
		for _, t := range a.Teachers {
			if d := dutyOf[t.DutyID]; !skip[d.PersonID] {
				enrollments.row("enr-"+a.ID+"-"+d.ID, "active", t0, a.GroupIDs[0], a.SchoolUnitID, d.PersonID, "teacher", "true", t.StartDate.String(), t.EndDate.String())
			}
		}
	}
	for _, d := range s.Duties {
		for _, ar := range d.AssignmentRoles {
			if ar.Role == roster.AssignmentMentor && !skip[d.PersonID] {
				enrollments.row("enr-mentor-"+ar.GroupID+"-"+d.ID, "active", t0, ar.GroupID, d.SchoolUnitID, d.PersonID, "teacher", "true", ar.StartDate.String(), ar.EndDate.String())
			}
		}
	}
	manifest := newCSV("propertyName", "value")
	manifest.row("manifest.version", "1.0")
	manifest.row("oneroster.version", "1.2")
	files := map[string]*csvFile{"orgs": orgs, "academicSessions": sessions, "courses": courses, "users": users,
		"roles": roles, "classes": classes, "enrollments": enrollments}
	fsys := fstest.MapFS{}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		manifest.row("file."+name, "bulk")
		fsys[name+".csv"] = &fstest.MapFile{Data: files[name].bytes()}
	}
	manifest.row("file.demographics", "absent")
	fsys["manifest.csv"] = &fstest.MapFile{Data: manifest.bytes()}
	return fsys
}

// expected is what a OneRoster reader can give back of s, with exactly
// these substitutions (each a thing OneRoster cannot carry):
//   - people with a protected identity are left out (the customer's
//     export must not have them), with their duties, memberships, and the
//     activity teachers and mentor roles those duties held;
//   - organisations lose OrganisationCode and MunicipalityCode;
//   - enrolments lose ProgrammeCode; persons lose CivicNo;
//   - duties get export.DutyID(person, unit) as id (activity teachers
//     follow), their role goes through writerRoles and staffRoles, and
//     they lose Description and Signature;
//   - activities get export.ActivityID(group) as id;
//   - syllabuses lose SubjectDesignation, and their SchoolType when they
//     have no school-year range (OneRoster says a course's form only by
//     its grades).
func expected(s *roster.Snapshot, dutyID func(person, unit string) string, activityID func(group string) string) *roster.Snapshot {
	skip := map[string]bool{}
	out := &roster.Snapshot{}
	for _, p := range s.Persons {
		if p.SecurityMarking != roster.SecurityNone {
			skip[p.ID] = true
			continue
		}
		p.CivicNo = ""
		p.Enrolments = slices.Clone(p.Enrolments)
		for i := range p.Enrolments {
			p.Enrolments[i].ProgrammeCode = ""
		}
		out.Persons = append(out.Persons, p)
	}
	for _, o := range s.Organisations {
		o.OrganisationCode, o.MunicipalityCode = "", ""
		out.Organisations = append(out.Organisations, o)
	}
	newDuty := map[string]string{}
	for _, d := range s.Duties {
		if skip[d.PersonID] {
			continue
		}
		newDuty[d.ID] = dutyID(d.PersonID, d.SchoolUnitID)
		d.ID = newDuty[d.ID]
		d.DutyRole = staffRoles[writerRoles[d.DutyRole]]
		d.Description, d.Signature = "", ""
		out.Duties = append(out.Duties, d)
	}
	for _, g := range s.Groups {
		g.Memberships = slices.DeleteFunc(slices.Clone(g.Memberships), func(m roster.Membership) bool { return skip[m.PersonID] })
		out.Groups = append(out.Groups, g)
	}
	for _, a := range s.Activities {
		a.ID = activityID(a.GroupIDs[0])
		var teachers []roster.ActivityTeacher
		for _, t := range a.Teachers {
			if id, ok := newDuty[t.DutyID]; ok {
				t.DutyID = id
				teachers = append(teachers, t)
			}
		}
		a.Teachers = teachers
		out.Activities = append(out.Activities, a)
	}
	for _, y := range s.Syllabuses {
		y.SubjectDesignation = ""
		if y.StartSchoolYear == nil {
			y.SchoolType = ""
		}
		out.Syllabuses = append(out.Syllabuses, y)
	}
	out.Sort()
	return out
}
