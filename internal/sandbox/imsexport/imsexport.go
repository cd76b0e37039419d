// Package imsexport writes a register as an IMS Enterprise export in
// Tieto's Organization API v12 style, the way internal/source/imsxml reads
// one: school units and organisations as Unit and Organization groups,
// activities as Subject groups that are members of their groups, duties,
// enrolments and mentors as member roles. The SFTP sandbox serves what it
// writes, and the reader's round-trip test checks against it.
package imsexport

import (
	"bufio"
	"encoding/xml"
	"io"
	"slices"
	"strconv"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// Write writes s as a Complete export. It holds civic numbers and names:
// it is for generated registers.
func Write(w io.Writer, s *roster.Snapshot) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	x := &xmlw{w: bw}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(`<enterprise xmlns="http://open.tieto.com/edu/organization/v12">` + "\n")
	x.raw("<properties><schooltype>GR</schooltype><datasource>rostergen</datasource><type>CompleteOrganization</type>" +
		"<timeframe><start>2026-08-17T00:00:00</start></timeframe><datetime>2026-09-14T06:00:00</datetime></properties>\n")

	for i := range s.Persons {
		x.person(&s.Persons[i])
	}
	for i := range s.Organisations {
		x.organisation(&s.Organisations[i])
	}
	syllabuses := map[string]*roster.Syllabus{}
	for i := range s.Syllabuses {
		syllabuses[s.Syllabuses[i].ID] = &s.Syllabuses[i]
	}
	for i := range s.Groups {
		x.group(&s.Groups[i])
	}
	for i := range s.Activities {
		x.activity(&s.Activities[i], syllabuses[s.Activities[i].SyllabusID])
	}

	// Memberships: each unit's groups, staff and pupils; each group's
	// pupils, mentors and subjects; each subject's teachers.
	type member struct {
		id, idtype, role, subrole string
		begin, end                roster.Date
		placement                 *roster.Enrolment
	}
	members := map[string][]member{}
	for _, g := range s.Groups {
		role := "EducationGroup"
		if g.Type == roster.GroupKlass {
			role = "Class"
		}
		members[g.SchoolUnitID] = append(members[g.SchoolUnitID], member{id: g.ID, idtype: "Group", role: role})
		for _, m := range g.Memberships {
			members[g.ID] = append(members[g.ID], member{id: m.PersonID, idtype: "Person", role: "Student", begin: m.StartDate, end: m.EndDate})
		}
	}
	duties := map[string]*roster.Duty{}
	for i, d := range s.Duties {
		duties[d.ID] = &s.Duties[i]
		role := "Staff"
		if d.DutyRole == roster.DutyRektor {
			role = "Principal"
		}
		members[d.SchoolUnitID] = append(members[d.SchoolUnitID], member{id: d.PersonID, idtype: "Person", role: role,
			subrole: string(d.DutyRole), begin: d.StartDate, end: d.EndDate})
		for _, a := range d.AssignmentRoles {
			members[a.GroupID] = append(members[a.GroupID], member{id: d.PersonID, idtype: "Person", role: string(a.Role), begin: a.StartDate, end: a.EndDate})
		}
	}
	for _, p := range s.Persons {
		for i, e := range p.Enrolments {
			members[e.SchoolUnitID] = append(members[e.SchoolUnitID], member{id: p.ID, idtype: "Person", role: "Student", placement: &p.Enrolments[i]})
		}
	}
	for _, a := range s.Activities {
		for _, g := range a.GroupIDs {
			members[g] = append(members[g], member{id: a.ID, idtype: "Group", role: "Subject"})
		}
		for _, t := range a.Teachers {
			members[a.ID] = append(members[a.ID], member{id: duties[t.DutyID].PersonID, idtype: "Person", role: "Instructor", begin: t.StartDate, end: t.EndDate})
		}
	}
	ids := make([]string, 0, len(members))
	for id := range members {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, g := range ids {
		x.raw("<membership><sourcedid><source/><id>")
		x.text(g)
		x.raw("</id></sourcedid>")
		for _, m := range members[g] {
			x.raw("<member><sourcedid><source/><id>")
			x.text(m.id)
			x.raw("</id></sourcedid><idtype>" + m.idtype + `</idtype><role roletype="` + m.role + `">`)
			if m.subrole != "" {
				x.el("subrole", m.subrole)
			}
			x.raw("<status>Active</status>")
			x.timeframe(m.begin, m.end)
			if e := m.placement; e != nil {
				x.raw("<extension><placement>")
				x.el("schoolyear", strconv.Itoa(e.SchoolYear))
				x.el("schooltype", string(e.SchoolType))
				x.el("programcode", e.ProgrammeCode)
				x.el("begin", date(e.StartDate))
				x.el("end", date(e.EndDate))
				x.raw("</placement></extension>")
			}
			x.raw("</role></member>\n")
		}
		x.raw("</membership>\n")
	}
	x.raw("</enterprise>\n")
	if x.err != nil {
		return x.err
	}
	return bw.Flush()
}

type xmlw struct {
	w   *bufio.Writer
	err error
}

func (x *xmlw) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *xmlw) text(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

func (x *xmlw) el(name, v string) {
	x.raw("<" + name + ">")
	x.text(v)
	x.raw("</" + name + ">")
}

func date(d roster.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func (x *xmlw) timeframe(begin, end roster.Date) {
	if begin.IsZero() && end.IsZero() {
		return
	}
	x.raw("<timeframe>")
	x.el("begin", date(begin))
	x.el("end", date(end))
	x.raw("</timeframe>")
}

func (x *xmlw) sourcedid(id string) {
	x.raw("<sourcedid><source/><id>")
	x.text(id)
	x.raw("</id></sourcedid>")
}

func (x *xmlw) person(p *roster.Person) {
	x.raw("<person>")
	x.sourcedid("{" + p.ID + "}")
	if p.CivicNo != "" {
		x.raw(`<userid useridtype="PID">`)
		x.text(p.CivicNo.Reveal())
		x.raw("</userid>")
	}
	for _, l := range p.EduPersonPrincipalNames {
		x.raw(`<userid useridtype="EPPN">`)
		x.text(l)
		x.raw("</userid>")
	}
	x.raw("<name><fn>")
	x.text(p.GivenName + " " + p.FamilyName)
	x.raw("</fn><n>")
	x.el("family", p.FamilyName)
	x.el("given", p.GivenName)
	x.raw("</n></name>")
	for _, e := range p.Emails {
		if e.Type == roster.EmailPrivat {
			x.el("emailhome", e.Value)
		} else {
			x.el("email", e.Value)
		}
	}
	x.raw("<extension>")
	switch p.SecurityMarking {
	case roster.SecuritySekretessmarkering:
		x.raw(`<privacy level="1">true</privacy>`)
	case roster.SecuritySkyddadFolkbokforing:
		x.raw(`<privacy level="2">true</privacy>`)
	default:
		x.raw("<privacy>false</privacy>")
	}
	switch p.PersonStatus {
	case roster.PersonAvliden:
		x.raw("<status>Deceased</status>")
	case roster.PersonUtvandrad:
		x.raw("<status>Emigrated</status>")
	default:
		x.raw("<status>Normal</status>")
	}
	x.raw("</extension></person>\n")
}

func (x *xmlw) groupHead(id, typ, name string, begin, end roster.Date) {
	x.raw("<group>")
	x.sourcedid(id)
	x.raw(`<grouptype><typevalue level="1">` + typ + "</typevalue></grouptype><description>")
	x.el("short", name)
	x.raw("</description>")
	x.timeframe(begin, end)
}

func (x *xmlw) organisation(o *roster.Organisation) {
	typ := "Organization"
	if o.Type == roster.OrganisationSkolenhet {
		typ = "Unit"
	}
	x.groupHead(o.ID, typ, o.DisplayName, o.StartDate, o.EndDate)
	if o.ParentID != "" {
		x.raw(`<relationship relation="1"><sourcedid><source/><id>`)
		x.text(o.ParentID)
		x.raw("</id></sourcedid><label>parent</label></relationship>")
	}
	x.raw("<extension>")
	x.el("id", o.OrganisationCode)
	if o.SchoolUnitCode != "" {
		x.el("schoolunitcode", o.SchoolUnitCode)
	}
	x.el("municipalitycode", o.MunicipalityCode)
	x.el("organizationnumber", o.OrganisationNumber)
	if typ == "Organization" {
		x.el("organizationtypename", string(o.Type))
	}
	for _, t := range o.SchoolTypes {
		x.el("schooltype", string(t))
	}
	x.raw("</extension></group>\n")
}

var imsGroupType = map[roster.GroupType]string{
	roster.GroupKlass: "Class", roster.GroupUndervisning: "EducationGroup", roster.GroupMentor: "MentorGroup",
	roster.GroupSchema: "ScheduleGroup", roster.GroupProvgrupp: "ExamGroup", roster.GroupAvdelning: "DepartmentGroup",
	roster.GroupPersonalgrupp: "StaffGroup", roster.GroupOvrigt: "OtherGroup",
}

func (x *xmlw) group(g *roster.Group) {
	x.groupHead(g.ID, imsGroupType[g.Type], g.DisplayName, g.StartDate, g.EndDate)
	if g.SchoolType != "" {
		x.raw("<extension>")
		x.el("schooltype", string(g.SchoolType))
		x.raw("</extension>")
	}
	x.raw("</group>\n")
}

func (x *xmlw) activity(a *roster.Activity, y *roster.Syllabus) {
	x.groupHead(a.ID, "Subject", a.DisplayName, a.StartDate, a.EndDate)
	x.raw("<extension>")
	if y != nil {
		x.el("schooltype", string(y.SchoolType))
		x.el("subjectcode", y.SubjectCode)
		x.el("subjectname", y.SubjectName)
		x.el("coursecode", y.CourseCode)
	}
	x.raw("</extension></group>\n")
}
