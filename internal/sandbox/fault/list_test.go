package fault

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestListMatch: which of ten requests each fault hits, and that a fault
// further down only counts the requests the earlier ones let through.
func TestListMatch(t *testing.T) {
	type f struct {
		name, route string
		skip, times int
	}
	for _, tc := range []struct {
		name   string
		faults []f
		routes []string
		want   []string // the name of the fault hit, "" for none
	}{
		{"none", nil, []string{"a", "b"}, []string{"", ""}},
		{"every request", []f{{"all", "", 0, 0}}, []string{"a", "b", "a"}, []string{"all", "all", "all"}},
		{"skip then times", []f{{"x", "a", 1, 2}}, []string{"a", "a", "b", "a", "a", "a"}, []string{"", "x", "", "x", "", ""}},
		{"times only", []f{{"x", "a", 0, 1}}, []string{"a", "a"}, []string{"x", ""}},
		{"first applying wins", []f{{"x", "a", 0, 1}, {"all", "", 0, 0}}, []string{"a", "a", "b"}, []string{"x", "all", "all"}},
		{"skipped requests fall through", []f{{"x", "a", 1, 0}, {"y", "a", 0, 1}, {"all", "", 0, 0}}, []string{"a", "a", "b"}, []string{"y", "x", "all"}},
		{"a hit is not counted further down", []f{{"x", "a", 0, 1}, {"y", "a", 1, 1}}, []string{"a", "a", "a", "a"}, []string{"x", "", "y", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l List[f]
			for _, x := range tc.faults {
				l.Add(x, x.skip, x.times)
			}
			var got []string
			for _, r := range tc.routes {
				x, _ := l.Match(func(x f) bool { return x.route == "" || x.route == r })
				got = append(got, x.name)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("hits (-want +got):\n%s", d)
			}
		})
	}
}

func TestListClear(t *testing.T) {
	var l List[int]
	l.Add(1, 0, 0)
	l.Clear()
	if _, ok := l.Match(func(int) bool { return true }); ok {
		t.Error("a cleared list still hits")
	}
}
