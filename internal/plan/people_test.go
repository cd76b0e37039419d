package plan

import (
	"hash/maphash"
	"slices"
	"testing"
)

// KeysNotIn compares account keys as plans do: case-insensitively, each
// key once.
func TestKeysNotIn(t *testing.T) {
	for _, tc := range []struct{ a, b, want []string }{
		{[]string{"b@x", "Anna@x"}, []string{"anna@x"}, []string{"b@x"}},
		{[]string{"c@x", "a@x", "A@x"}, nil, []string{"A@x", "c@x"}},
		{nil, []string{"a@x"}, nil},
	} {
		if got := KeysNotIn(tc.a, tc.b); !slices.Equal(got, tc.want) {
			t.Errorf("KeysNotIn(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

// sameKeys holds for lists of the same keys as often in any order, and
// for nothing else a seed can tell apart.
func TestSameKeys(t *testing.T) {
	for _, tc := range []struct {
		want, have []string
		same       bool
	}{
		{nil, nil, true},
		{[]string{"a@x", "b@x", "c@x"}, []string{"a@x", "b@x", "c@x"}, true},
		{[]string{"a@x", "b@x", "c@x"}, []string{"c@x", "a@x", "b@x"}, true},
		{[]string{"a@x", "b@x"}, []string{"a@x"}, false},
		{[]string{"a@x", "b@x"}, []string{"a@x", "c@x"}, false},
		{[]string{"a@x", "b@x"}, []string{"b@x", "b@x"}, false},
		{[]string{"a@x", "a@x", "b@x"}, []string{"a@x", "b@x", "b@x"}, false},
		// Case folding is for the full comparison, which runs when this fails.
		{[]string{"anna@x"}, []string{"Anna@x"}, false},
	} {
		for range 20 { // seeds
			b := builder{seed: maphash.MakeSeed()}
			if got := b.sameKeys(tc.want, tc.have); got != tc.same {
				t.Fatalf("sameKeys(%q, %q) = %v, want %v", tc.want, tc.have, got, tc.same)
			}
		}
	}
}
