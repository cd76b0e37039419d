package imsxml

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/sandbox/imsexport"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// carried is the generated register as an IMS export carries it. The
// substitutions are all of what IMS has no place for:
//   - a duty's id is derived from its person and unit (export.DutyID), and
//     its description and signature are not carried;
//   - a syllabus's id is derived from its school type and codes (or name),
//     and its designation, course name, school years and official flag are
//     not carried; a syllabus no activity teaches is not carried;
//   - an activity teacher's grader flag and an enrolment's cancelled flag
//     are not carried.
func carried(s *roster.Snapshot) *roster.Snapshot {
	c := *s
	dutyID := map[string]string{}
	c.Duties = make([]roster.Duty, len(s.Duties))
	for i, d := range s.Duties {
		d.ID = export.DutyID(d.PersonID, d.SchoolUnitID)
		dutyID[s.Duties[i].ID] = d.ID
		d.Description, d.Signature = "", ""
		c.Duties[i] = d
	}
	syllabusIDs := map[string]string{}
	used := map[string]bool{}
	for _, a := range s.Activities {
		used[a.SyllabusID] = true
	}
	c.Syllabuses = nil
	for _, y := range s.Syllabuses {
		if !used[y.ID] {
			continue
		}
		id := syllabusID(y.SchoolType, y.SubjectCode, y.CourseCode, y.SubjectName)
		syllabusIDs[y.ID] = id
		c.Syllabuses = append(c.Syllabuses, roster.Syllabus{ID: id, SchoolType: y.SchoolType,
			SubjectCode: y.SubjectCode, SubjectName: y.SubjectName, CourseCode: y.CourseCode})
	}
	c.Activities = make([]roster.Activity, len(s.Activities))
	for i, a := range s.Activities {
		a.SyllabusID = syllabusIDs[a.SyllabusID]
		a.Teachers = append([]roster.ActivityTeacher(nil), a.Teachers...)
		for j := range a.Teachers {
			a.Teachers[j].DutyID = dutyID[a.Teachers[j].DutyID]
			a.Teachers[j].Grader = false
		}
		c.Activities[i] = a
	}
	c.Persons = make([]roster.Person, len(s.Persons))
	for i, p := range s.Persons {
		p.Enrolments = append([]roster.Enrolment(nil), p.Enrolments...)
		for j := range p.Enrolments {
			p.Enrolments[j].Cancelled = false
		}
		c.Persons[i] = p
	}
	c.Sort()
	return &c
}

func TestRoundTrip(t *testing.T) {
	for _, pupils := range []int{300, 3000} {
		gen, _ := rostergen.Generate(rostergen.Config{Seed: int64(pupils), Pupils: pupils})
		var buf bytes.Buffer
		if err := imsexport.Write(&buf, gen); err != nil {
			t.Fatal(err)
		}
		want := carried(gen)
		for _, enc := range []string{"UTF-8", "ISO-8859-1"} {
			in := buf.Bytes()
			if enc == "ISO-8859-1" {
				latin, err := charmap.ISO8859_1.NewEncoder().Bytes(bytes.Replace(in, []byte(`encoding="UTF-8"`), []byte(`encoding="ISO-8859-1"`), 1))
				if err != nil {
					t.Fatal(err)
				}
				in = latin
			}
			st, err := Read(bytes.NewReader(in), "export.xml", export.Auto, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := st.Snapshot()
			if got.Hash() != want.Hash() {
				t.Fatalf("%d pupils, %s: the snapshot read differs from the one written (-want +got):\n%s", pupils, enc,
					first(cmp.Diff(want, got, cmp.Comparer(func(a, b roster.CivicNo) bool { return a == b })), 3000))
			}
			for i := range got.Persons {
				if got.Persons[i].CivicNo != want.Persons[i].CivicNo {
					t.Fatalf("%d pupils, %s: person %s's civic number was not read", pupils, enc, got.Persons[i].ID)
				}
			}
		}
	}
}

func first(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
