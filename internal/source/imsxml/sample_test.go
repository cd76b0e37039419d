package imsxml

import (
	"os"
	"testing"

	"github.com/elevsynk/elevsynk/internal/roster"
)

func readFile(t testing.TB, name string, prev *State) *State {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := Read(f, name, "", prev)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPeekSample(t *testing.T) {
	s := readFile(t, "tieto-organization-gr.xml", nil).Snapshot()
	t.Logf("%+v", s.Organisations)
	for _, p := range s.Persons {
		t.Logf("%s %s %s %q %v %v", p.ID, p.GivenName, p.CivicNo.Reveal(), p.SecurityMarking, p.Emails, p.Enrolments)
	}
	for _, g := range s.Groups {
		t.Logf("%+v", g)
	}
	for _, a := range s.Activities {
		t.Logf("%+v", a)
	}
	for _, d := range s.Duties {
		t.Logf("%+v", d)
	}
	t.Logf("%+v", s.Syllabuses)
	t.Log(roster.Validate(s).Summary())
}
