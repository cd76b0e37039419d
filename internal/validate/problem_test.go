package validate

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.yaml", Doc: 2, Kind: "Target", Namespace: "skola", Name: "m365", Field: "spec.mode", Message: "bad"},
			"a.yaml:2: Target skola/m365: spec.mode: bad"},
		{Problem{File: "a.yaml", Doc: 1, Kind: "Tenant", Namespace: "skola", Name: "b", Message: "two"},
			"a.yaml:1: Tenant skola/b: two"},
		{Problem{File: "a.yaml", Doc: 1, Message: "yaml: line 3: oops"},
			"a.yaml:1: yaml: line 3: oops"},
		{Problem{File: "a.yaml", Doc: 3, Kind: "Target", Namespace: "skola", Name: "g", Field: "spec.x", Message: "maybe", Warning: true},
			"warning: a.yaml:3: Target skola/g: spec.x: maybe"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
}

func TestSortProblems(t *testing.T) {
	ps := []Problem{
		{File: "b.yaml", Doc: 1, Message: "w", Warning: true},
		{File: "b.yaml", Doc: 2, Message: "e3"},
		{File: "a.yaml", Doc: 1, Message: "w", Warning: true},
		{File: "b.yaml", Doc: 1, Message: "e1"},
		{File: "b.yaml", Doc: 1, Message: "e2"},
		{File: "a.yaml", Doc: 2, Message: "e0"},
	}
	sortProblems(ps)
	want := []Problem{
		{File: "a.yaml", Doc: 2, Message: "e0"},
		{File: "b.yaml", Doc: 1, Message: "e1"},
		{File: "b.yaml", Doc: 1, Message: "e2"}, // found order kept
		{File: "b.yaml", Doc: 2, Message: "e3"},
		{File: "a.yaml", Doc: 1, Message: "w", Warning: true},
		{File: "b.yaml", Doc: 1, Message: "w", Warning: true},
	}
	if diff := cmp.Diff(want, ps); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := (Report{Problems: ps}).Errors(); got != 4 {
		t.Errorf("Errors() = %d, want 4", got)
	}
}
