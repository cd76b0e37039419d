package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
)

func generated(t *testing.T) (*roster.Snapshot, rostergen.Report) {
	t.Helper()
	// Enough pupils that every injected fault occurs.
	return rostergen.Generate(rostergen.Config{Seed: 7, Pupils: 3000})
}

// accountKeysOf returns every account address of the given person ids.
func accountKeysOf(snap *roster.Snapshot, ids []string) map[string]string {
	out := map[string]string{}
	for i := range snap.Persons {
		p := &snap.Persons[i]
		if slices.Contains(ids, p.ID) {
			for _, k := range p.AccountKeys() {
				out[k] = p.ID
			}
		}
	}
	return out
}

func TestProtectedPupilsNeverInARoom(t *testing.T) {
	snap, rep := generated(t)
	if len(rep.Protected) == 0 {
		t.Fatal("rostergen injected no protected identities; raise Pupils")
	}
	protected := accountKeysOf(snap, rep.Protected)
	st, report := evaluate(t, sampleSpec(t), Options{}, snap, refDay)
	for _, r := range st.Rooms {
		for _, k := range slices.Concat(r.Owners, r.Members) {
			if id, bad := protected[k]; bad {
				t.Errorf("protected person %s in room %s", id, r.Key)
			}
		}
	}
	var n int32
	for _, rc := range report.ExcludedPeople {
		if rc.Reason == ReasonSecurityMarking {
			n = rc.Count
		}
	}
	if n == 0 || int(n) > len(rep.Protected) {
		t.Errorf("SecurityMarking exclusions = %d, want 1..%d", n, len(rep.Protected))
	}
}

func TestRostergenFaults(t *testing.T) {
	snap, rep := generated(t)
	st, report := evaluate(t, sampleSpec(t), Options{}, snap, refDay)

	// People without account key: dropped and counted.
	var noKey int32
	for _, rc := range report.ExcludedPeople {
		if rc.Reason == ReasonNoAccountKey {
			noKey = rc.Count
		}
	}
	if len(rep.NoAccountKey) == 0 || noKey == 0 || int(noKey) > len(rep.NoAccountKey) {
		t.Errorf("NoAccountKey = %d, injected %d", noKey, len(rep.NoAccountKey))
	}
	for _, r := range st.Rooms {
		if slices.Contains(r.Owners, "") || slices.Contains(r.Members, "") {
			t.Fatalf("room %s lists an empty account key", r.Key)
		}
	}

	// Groups without teacher: their activity's room exists, without owners, and is a finding.
	if len(rep.ActivitiesWithoutTeacher) == 0 {
		t.Fatal("no teacherless activities injected")
	}
	for _, id := range rep.ActivitiesWithoutTeacher {
		r := roomByKey(t, st, "undervisning:activity:"+id)
		if len(r.Owners) != 0 || len(r.Members) == 0 {
			t.Errorf("teacherless %s: %d owners, %d members", r.Key, len(r.Owners), len(r.Members))
		}
	}
	var without int32
	for _, f := range report.Findings {
		if f.Reason == FindingRoomWithoutOwners {
			without = f.Count
		}
	}
	if int(without) < len(rep.ActivitiesWithoutTeacher) {
		t.Errorf("RoomWithoutOwners = %d, want at least %d", without, len(rep.ActivitiesWithoutTeacher))
	}

	// Ended groups: not desired once past end + window.
	if len(rep.EndedGroups) == 0 {
		t.Fatal("no ended groups injected")
	}
	keys := map[string]bool{}
	for _, r := range st.Rooms {
		keys[r.Key] = true
	}
	for _, gid := range rep.EndedGroups {
		g := findGroup(snap, gid)
		for _, a := range snap.Activities {
			if slices.Contains(a.GroupIDs, gid) && keys["undervisning:activity:"+a.ID] {
				t.Errorf("activity of ended group %s (ended %s) still desired on %s", gid, g.EndDate, refDay)
			}
		}
	}
	// Within end + window it is still desired. One group is enough for the
	// window edge; each evaluation is a whole municipality.
	gid := rep.EndedGroups[0]
	within := findGroup(snap, gid).EndDate.AddDays(14)
	st2, _ := evaluate(t, sampleSpec(t), Options{}, snap, within)
	found := false
	for _, r := range st2.Rooms {
		found = found || r.Rule == "undervisning" && strings.HasSuffix(r.Key, activityOf(snap, gid))
	}
	if !found {
		t.Errorf("ended group %s not desired on %s, within the 14-day window", gid, within)
	}
}

func findGroup(s *roster.Snapshot, id string) *roster.Group {
	for i := range s.Groups {
		if s.Groups[i].ID == id {
			return &s.Groups[i]
		}
	}
	return nil
}

func activityOf(s *roster.Snapshot, groupID string) string {
	for _, a := range s.Activities {
		if slices.Contains(a.GroupIDs, groupID) {
			return a.ID
		}
	}
	return "none"
}

func TestDeterministic(t *testing.T) {
	snap, _ := generated(t)
	p := mustCompile(t, sampleSpec(t), Options{})
	a, ra, err := p.Evaluate(snap, nil, refDay)
	if err != nil {
		t.Fatal(err)
	}
	b, rb, err := p.Evaluate(snap, nil, refDay)
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) || ra.DesiredHash != rb.DesiredHash || ra.DesiredHash != a.Hash() {
		t.Error("two evaluations differ")
	}
	if diff := cmp.Diff(ra, rb); diff != "" {
		t.Errorf("reports differ:\n%s", diff)
	}
	if dups := a.DuplicateKeys(); len(dups) > 0 {
		t.Errorf("duplicate room keys: %v", dups[:min(5, len(dups))])
	}
	// The sample presets produce every kind they name, and names are rendered.
	for _, r := range a.Rooms {
		if strings.Contains(r.Name, "<no value>") || r.Name == "" {
			t.Fatalf("room %s has name %q", r.Key, r.Name)
		}
		if desired.NeedsMailNickname(r.Kind) != (r.MailNickname != "") {
			t.Fatalf("room %s (%s) nickname %q", r.Key, r.Kind, r.MailNickname)
		}
	}
}

// The report and errors carry no personal data.
func TestReportHasNoPersonalData(t *testing.T) {
	snap := fixture()
	spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Room: elevsynkv1.RoomTemplate{Name: "{{ index .Group.SchoolTypes 0 }}"},
		Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleGroupMembers}}})
	_, rep, err := mustCompile(t, spec, Options{}).Evaluate(snap, nil, roster.MustParseDate("2026-06-01"))
	if err == nil {
		t.Fatal("want an evaluation error on g-old")
	}
	b, _ := json.Marshal(rep)
	text := string(b) + " " + err.Error()
	for _, p := range snap.Persons {
		for _, k := range p.AccountKeys() {
			if strings.Contains(text, k) {
				t.Errorf("report or error contains %s", k)
			}
		}
	}
}

func TestFilterRuntimeErrorsQuoteNoRegisterData(t *testing.T) {
	tests := []struct{ name, filter, kind string }{
		{"missing map key", `{"x": true}[group.displayName]`, "a missing map key"},
		{"failed conversion", `int(group.displayName) > 0`, "a runtime error"},
		{"division by zero", `size(group.displayName) / (size(group.id) - size(group.id)) > 0`, "a division by zero"},
	}
	snap := fixture()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := oneRule(elevsynkv1.Rule{Name: "r", From: elevsynkv1.RegisterGroup, Filter: tt.filter})
			_, _, err := mustCompile(t, spec, Options{}).Evaluate(snap, nil, fixDay)
			var ee *EvaluationError
			if !errors.As(err, &ee) || len(ee.Errors) == 0 {
				t.Fatalf("err = %v, want EvalErrors", err)
			}
			for _, e := range ee.Errors {
				if e.Field != "filter" || !strings.Contains(e.Message, tt.kind) {
					t.Errorf("EvalError = %+v, want the filter failing with %s", e, tt.kind)
				}
				for _, g := range snap.Groups {
					if strings.Contains(e.Message, g.DisplayName) {
						t.Errorf("message %q quotes a group's name", e.Message)
					}
				}
			}
		})
	}
}

func TestEvaluationErrorNamesRuleAndObject(t *testing.T) {
	// g-old has no school type, so index 0 fails on it alone (and only
	// when it is desired: on a day inside its dates).
	spec := oneRule(elevsynkv1.Rule{Name: "klass", From: elevsynkv1.RegisterGroup, Room: elevsynkv1.RoomTemplate{Name: "{{ index .Group.SchoolTypes 0 }} {{ .Group.DisplayName }}"}})
	st, rep, err := mustCompile(t, spec, Options{}).Evaluate(fixture(), nil, roster.MustParseDate("2026-06-01"))
	var ee *EvaluationError
	if !errors.As(err, &ee) || len(ee.Errors) != 1 {
		t.Fatalf("err = %v, want one EvalError", err)
	}
	e := ee.Errors[0]
	if e.Rule != "klass" || e.Field != "room.name" || e.Object != "g-old" || !strings.Contains(e.Message, "1:4: at <index .Group.SchoolTypes 0>: the template failed") ||
		strings.Contains(e.Message, "out of range") {
		t.Errorf("EvalError = %+v", e)
	}
	if len(rep.RuleErrors) != 1 || rep.RuleErrors[0].Rule != "klass" || rep.DesiredHash != "" {
		t.Errorf("report = %+v", rep)
	}
	if len(st.Rooms) != 0 { // g-7a etc. start later; the state is partial anyway
		t.Logf("partial state with %d rooms", len(st.Rooms))
	}
}

func TestMergeSupplements(t *testing.T) {
	snap := fixture()
	for i := range snap.Persons {
		if snap.Persons[i].ID == "p-s1" {
			snap.Persons[i].CivicNo = "201101012383"
		}
	}
	persons := int32(len(snap.Persons))
	entry := func(v string, emails ...string) roster.DirectoryEntry {
		e := roster.DirectoryEntry{JoinValue: roster.JoinValue(v)}
		for _, m := range emails {
			e.Emails = append(e.Emails, roster.Email{Value: m})
		}
		return e
	}
	tests := []struct {
		name    string
		joinKey elevsynkv1.JoinKey // the Mapping's
		sup     Supplement
		want    elevsynkv1.JoinCounts
	}{
		{"by person id", elevsynkv1.JoinKeyPersonID,
			Supplement{People: []roster.DirectoryEntry{{JoinValue: "p-nokey", EduPersonPrincipalNames: []string{"nokey@x"}}}},
			elevsynkv1.JoinCounts{Matched: 1, PeopleWithoutEntry: persons - 1}},
		{"by eppn, case-insensitive", elevsynkv1.JoinKeyEduPersonPrincipalName,
			Supplement{People: []roster.DirectoryEntry{entry("S1@X", "s1.mail@x"), entry("nobody@x")}},
			elevsynkv1.JoinCounts{Matched: 1, PeopleWithoutEntry: persons - 1, EntriesWithoutPerson: 1}},
		{"by civic number, the supplement's own key", elevsynkv1.JoinKeyPersonID,
			Supplement{JoinKey: elevsynkv1.JoinKeyCivicNo, People: []roster.DirectoryEntry{entry("201101012383", "s1.mail@x")}},
			elevsynkv1.JoinCounts{Matched: 1, PeopleWithoutEntry: persons - 1}},
		{"a value on two entries adds nothing", elevsynkv1.JoinKeyEduPersonPrincipalName,
			Supplement{People: []roster.DirectoryEntry{entry("s1@x", "a@x"), entry("S1@x", "b@x"), entry("s2@x", "s2.mail@x")}},
			elevsynkv1.JoinCounts{Matched: 1, PeopleWithDuplicates: 1, PeopleWithoutEntry: persons - 2, DuplicateKeys: 1}},
		{"an entry without a value joins nobody", elevsynkv1.JoinKeyPersonID,
			Supplement{People: []roster.DirectoryEntry{entry("", "x@x")}},
			elevsynkv1.JoinCounts{PeopleWithoutEntry: persons, EntriesWithoutPerson: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snap.Hash()
			tt.sup.Source, tt.want.Source = "ad", "ad"
			m, err := Merge(snap, []Supplement{tt.sup}, tt.joinKey)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]elevsynkv1.JoinCounts{tt.want}, m.Joins); diff != "" {
				t.Errorf("join counts (-want +got):\n%s", diff)
			}
			if snap.Hash() != before {
				t.Error("Merge modified the primary snapshot")
			}
		})
	}
	// A joined key makes the keyless pupil a member.
	spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: `group.id == "g-7a"`, Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStudents}}})
	st, rep, err := mustCompile(t, spec, Options{}).Evaluate(snap, []Supplement{{Source: "ad", People: tests[0].sup.People}}, fixDay)
	if err != nil || !slices.Contains(roomByKey(t, st, "r:group:g-7a").Members, "nokey@x") {
		t.Errorf("supplemented key not used: %v", err)
	}
	wantFindings := []elevsynkv1.ReasonCount{{Reason: FindingSupplementMissing, Count: persons - 1}}
	if diff := cmp.Diff(wantFindings, rep.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	// Email as account key, picked by type.
	spec.AccountKey = &elevsynkv1.AccountKey{Attribute: elevsynkv1.JoinKeyEmail, EmailType: "Skola elev"}
	sup := []Supplement{{Source: "ad", People: []roster.DirectoryEntry{{JoinValue: "p-s1", Emails: []roster.Email{{Value: "priv@x", Type: roster.EmailPrivat}, {Value: "s1.school@x", Type: roster.EmailSkolaElev}}}}}}
	st, _, _ = mustCompile(t, spec, Options{}).Evaluate(snap, sup, fixDay)
	if diff := cmp.Diff([]string{"s1.school@x"}, roomByKey(t, st, "r:group:g-7a").Members); diff != "" {
		t.Errorf("email account keys (-want +got):\n%s", diff)
	}
	// Ambiguous values add nothing.
	snap.Persons[1].EduPersonPrincipalNames = append(snap.Persons[1].EduPersonPrincipalNames, "t1@x")
	m, _ := Merge(snap, []Supplement{{People: []roster.DirectoryEntry{entry("t1@x", "z@x")}}}, elevsynkv1.JoinKeyEduPersonPrincipalName)
	if want := (elevsynkv1.JoinCounts{PeopleAmbiguous: 2, PeopleWithoutEntry: persons - 2}); len(m.Joins) != 1 || m.Joins[0] != want {
		t.Errorf("ambiguous join: %+v, want %+v", m.Joins, want)
	}
}

// With precedence Directory, the directory's address is the account key;
// without, the register's stays first.
func TestSupplementPrecedence(t *testing.T) {
	spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: `group.id == "g-7a"`, Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStudents}}})
	spec.AccountKey = &elevsynkv1.AccountKey{Attribute: elevsynkv1.JoinKeyEduPersonPrincipalName}
	people := []roster.DirectoryEntry{{JoinValue: "s1@x", EduPersonPrincipalNames: []string{"anna@ad.x"}}}
	tests := []struct {
		first bool
		want  string
	}{{false, "s1@x"}, {true, "anna@ad.x"}}
	for _, tt := range tests {
		sup := []Supplement{{Source: "ad", JoinKey: elevsynkv1.JoinKeyEduPersonPrincipalName, First: tt.first, People: people}}
		st, _, err := mustCompile(t, spec, Options{}).Evaluate(fixture(), sup, fixDay)
		if err != nil {
			t.Fatal(err)
		}
		if got := roomByKey(t, st, "r:group:g-7a").Members; !slices.Contains(got, tt.want) {
			t.Errorf("first %v: members %v, want %s among them", tt.first, got, tt.want)
		}
	}
}

func TestManualGroups(t *testing.T) {
	spec := oneRule(elevsynkv1.Rule{Name: "manuella", From: elevsynkv1.RegisterGroup, Filter: "group.manual",
		Room:        elevsynkv1.RoomTemplate{Name: "{{ .School.Abbreviation }} {{ .Group.DisplayName }}"},
		ExtraOwners: []string{"it@x"}})
	spec.Exclusions.AccountKeys = []string{"blocked@ext"}
	sup := []Supplement{{Source: "hand", Groups: []elevsynkv1.ManualGroup{{ID: "arbetslag-7", DisplayName: "Arbetslag 7", SchoolUnitCode: "11111111",
		Owners: []string{"M@x"}, Members: []string{"s1@x", "prot@x", "external@ext", "blocked@ext", "m@x"}}}}}
	st, _, err := mustCompile(t, spec, Options{}).Evaluate(fixture(), sup, fixDay)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rooms) != 1 {
		t.Fatalf("rooms = %d, want the manual group only", len(st.Rooms))
	}
	r := st.Rooms[0]
	want := desired.Room{Key: "manuella:manual:hand:arbetslag-7", Kind: elevsynkv1.RoomTeam, Rule: "manuella", Name: "NOS Arbetslag 7",
		MailNickname: "manuella-manual-hand-arbetslag-7", Owners: []string{"it@x", "m@x"}, Members: []string{"external@ext", "s1@x"}, School: "Norra skolan"}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("manual room (-want +got):\n%s", diff)
	}
	if _, err := Merge(fixture(), []Supplement{{Source: "hand", Groups: []elevsynkv1.ManualGroup{{ID: "x"}, {ID: "x"}}}}, elevsynkv1.JoinKeyPersonID); err == nil {
		t.Error("duplicate manual ids accepted")
	}
}

// A rule's Teams template goes with each room it makes, so a staff team
// is created from the staff template.
func TestTeamTemplateGoesWithTheRoom(t *testing.T) {
	r := elevsynkv1.Rule{From: elevsynkv1.RegisterSchool,
		Room: elevsynkv1.RoomTemplate{Kind: elevsynkv1.RoomTeam, Name: "{{ .School.DisplayName }} personal", TeamTemplate: "educationStaff"}}
	st, _ := evaluate(t, oneRule(r), Options{}, fixture(), fixDay)
	if len(st.Rooms) == 0 {
		t.Fatal("no rooms")
	}
	for _, room := range st.Rooms {
		if room.Template != "educationStaff" {
			t.Errorf("room %s has template %q", room.Key, room.Template)
		}
	}
}

func TestBySchool(t *testing.T) {
	units := []string{"b", "a", "b", "c", "a", "b"}
	got := bySchool(units, func(u *string) string { return *u })
	if diff := cmp.Diff([]int32{0, 2, 5, 1, 4, 3}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}
