package validate

import (
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/mapping"
)

func TestRulePath(t *testing.T) {
	tests := []struct {
		p    mapping.Problem
		want string
	}{
		{mapping.Problem{Rule: "klasser", Field: "filter"}, "spec.rules[klasser].filter"},
		{mapping.Problem{Rule: "klasser", Field: "owners[0].role"}, "spec.rules[klasser].owners[0].role"},
		{mapping.Problem{Rule: "klasser"}, "spec.rules[klasser]"},
		{mapping.Problem{Field: "rules[2].name"}, "spec.rules[2].name"},
		{mapping.Problem{Field: "accountKey.context"}, "spec.accountKey.context"},
	}
	for _, tt := range tests {
		if got := rulePath(tt.p); got != tt.want {
			t.Errorf("rulePath(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestByRuleName(t *testing.T) {
	rules := []elevsynkv1.Rule{{Name: "klasser"}, {Name: ""}}
	tests := []struct{ path, want string }{
		{"spec.rules[0].room.kind", "spec.rules[klasser].room.kind"},
		{"spec.rules[0]", "spec.rules[klasser]"},
		{"spec.rules[1].name", "spec.rules[1].name"}, // no name to use
		{"spec.rules[7]", "spec.rules[7]"},           // out of range
		{"spec.rules", "spec.rules"},
		{"spec.sourceRefs[0].name", "spec.sourceRefs[0].name"},
		{"spec.rules[99999999999999999999]", "spec.rules[99999999999999999999]"},
	}
	for _, tt := range tests {
		if got := byRuleName(tt.path, rules); got != tt.want {
			t.Errorf("byRuleName(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestCoveredBy(t *testing.T) {
	tests := []struct {
		path   string
		schema []string
		want   bool
	}{
		{"spec.rules[a].room.kind", []string{"spec.rules[a].room.kind"}, true},          // same field
		{"spec.membershipWindow", []string{"spec.membershipWindow.daysAfterEnd"}, true}, // schema more precise
		{"spec.rules[a].name", []string{"spec.rules[a]"}, true},                         // duplicate rule
		{"spec.rules[a].filter", []string{"spec.rules[a]"}, false},                      // only compiling checks a filter
		{"spec.rules[a].room.name", []string{"spec.rules[a]"}, false},
		{"spec.rules[a].room.name", []string{"spec.rules[a].room.name"}, true},
		{"spec.rules[ab].name", []string{"spec.rules[a]"}, false}, // another rule
		{"spec.rules[a].name", []string{"spec", ""}, false},       // about the whole spec or object
		{"spec.joinKey", nil, false},
	}
	for _, tt := range tests {
		if got := coveredBy(tt.path, tt.schema); got != tt.want {
			t.Errorf("coveredBy(%q, %q) = %v, want %v", tt.path, tt.schema, got, tt.want)
		}
	}
}
