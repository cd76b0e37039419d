package mapping

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// In the fixture s2's class membership starts 2026-09-20 and s3's ended
// 2026-09-10; the class runs 2026-08-17 to 2027-06-11.
func TestMembershipWindow(t *testing.T) {
	tests := []struct {
		name          string
		on            string
		before, after int32
		s2, s3        bool
	}{
		{"no window", "2026-09-14", 0, 0, false, false},
		{"before start, window one day short", "2026-09-14", 5, 0, false, false},
		{"before start, window reaches start (edge)", "2026-09-14", 6, 0, true, false},
		{"on start day", "2026-09-20", 0, 0, true, false},
		{"on end day", "2026-09-10", 0, 0, false, true},
		{"day after end", "2026-09-11", 0, 0, false, false},
		{"after end, window reaches end (edge)", "2026-09-14", 0, 4, false, true},
		{"after end, window one day short", "2026-09-14", 0, 3, false, false},
		{"both windows", "2026-09-14", 90, 90, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: `group.id == "g-7a"`,
				Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleGroupMembers}}})
			spec.MembershipWindow = elevsynkv1.MembershipWindow{DaysBeforeStart: tt.before, DaysAfterEnd: tt.after}
			st, _ := evaluate(t, spec, Options{}, fixture(), roster.MustParseDate(tt.on))
			m := roomByKey(t, st, "r:group:g-7a").Members
			if got := slices.Contains(m, "s2@x"); got != tt.s2 {
				t.Errorf("s2 (starts 09-20) in room = %v, want %v", got, tt.s2)
			}
			if got := slices.Contains(m, "s3@x"); got != tt.s3 {
				t.Errorf("s3 (ended 09-10) in room = %v, want %v", got, tt.s3)
			}
		})
	}
}

// Rooms follow their object's dates with the same window: the class 6A
// ended 2026-06-12.
func TestObjectWindowAndLifetime(t *testing.T) {
	tests := []struct {
		on    string
		after int32
		want  bool
	}{
		{"2026-06-12", 0, true},
		{"2026-06-13", 0, false},
		{"2026-06-20", 8, true},
		{"2026-06-21", 8, false},
	}
	for _, tt := range tests {
		spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: `group.id == "g-old"`})
		spec.MembershipWindow.DaysAfterEnd = tt.after
		st, _ := evaluate(t, spec, Options{}, fixture(), roster.MustParseDate(tt.on))
		if got := len(st.Rooms) == 1; got != tt.want {
			t.Errorf("on %s with %d days after end: room desired = %v, want %v", tt.on, tt.after, got, tt.want)
		}
	}
	days := 30
	st, _ := evaluate(t, oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterActivity}), Options{ArchiveAfterDays: &days}, fixture(), fixDay)
	want := roomByKey(t, st, "r:activity:a-ma").Lifetime
	if want.Start.String() != "2026-08-17" || want.End.String() != "2027-06-11" || want.ArchiveAfter.String() != "2027-07-11" {
		t.Errorf("lifetime = %+v", want)
	}
	st, _ = evaluate(t, oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterActivity}), Options{}, fixture(), fixDay)
	if got := roomByKey(t, st, "r:activity:a-ma").Lifetime.ArchiveAfter.String(); got != "2027-06-25" {
		t.Errorf("default ArchiveAfter = %s, want end + 14 days", got)
	}
}

func TestExclusions(t *testing.T) {
	all := []string{"guest@x", "listed@x", "prot@x", "s1@x", "sekr@x", "utv@x"}
	without := func(out ...string) []string {
		return slices.DeleteFunc(slices.Clone(all), func(s string) bool { return slices.Contains(out, s) })
	}
	reasons := func(kv ...any) []elevsynkv1.ReasonCount {
		var out []elevsynkv1.ReasonCount
		for i := 0; i < len(kv); i += 2 {
			out = append(out, elevsynkv1.ReasonCount{Reason: kv[i].(string), Count: int32(kv[i+1].(int))})
		}
		return out
	}
	tests := []struct {
		name         string
		exclusions   elevsynkv1.Exclusions
		tenant       []elevsynkv1.SecurityMarking
		want         []string
		wantExcluded []elevsynkv1.ReasonCount
	}{
		{"defaults: every marking but Ingen, Utvandrad and Avliden", elevsynkv1.Exclusions{}, nil,
			without("prot@x", "sekr@x", "utv@x"), reasons(ReasonSecurityMarking, 2, ReasonPersonStatus, 1, ReasonNoAccountKey, 1)},
		{"tenant excludes only Skyddad folkbokföring", elevsynkv1.Exclusions{}, []elevsynkv1.SecurityMarking{elevsynkv1.SecurityMarkingProtected},
			without("prot@x", "utv@x"), reasons(ReasonSecurityMarking, 1, ReasonPersonStatus, 1, ReasonNoAccountKey, 1)},
		{"a mapping adds a marking to the tenant's", elevsynkv1.Exclusions{SecurityMarkings: []elevsynkv1.SecurityMarking{elevsynkv1.SecurityMarkingProtected, elevsynkv1.SecurityMarkingConfidential}},
			[]elevsynkv1.SecurityMarking{elevsynkv1.SecurityMarkingProtected}, without("prot@x", "sekr@x", "utv@x"), reasons(ReasonSecurityMarking, 2, ReasonPersonStatus, 1, ReasonNoAccountKey, 1)},
		{"person status Avliden only", elevsynkv1.Exclusions{PersonStatuses: []string{"Avliden"}}, nil,
			without("prot@x", "sekr@x"), reasons(ReasonSecurityMarking, 2, ReasonNoAccountKey, 1)},
		{"listed account key", elevsynkv1.Exclusions{AccountKeys: []string{"listed@x"}}, nil,
			without("prot@x", "sekr@x", "utv@x", "listed@x"), reasons(ReasonSecurityMarking, 2, ReasonPersonStatus, 1, ReasonListed, 1, ReasonNoAccountKey, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := oneRule(elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: `group.id == "g-7a"`,
				Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleGroupMembers}}})
			spec.Exclusions = tt.exclusions
			spec.MembershipWindow.DaysAfterEnd = 0
			st, rep := evaluate(t, spec, Options{ExcludedSecurityMarkings: tt.tenant}, fixture(), fixDay)
			if diff := cmp.Diff(tt.want, roomByKey(t, st, "r:group:g-7a").Members); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantExcluded, rep.ExcludedPeople); diff != "" {
				t.Errorf("excluded (-want +got):\n%s", diff)
			}
		})
	}
}
