package plan

import (
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
