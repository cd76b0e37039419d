package mapping

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRankKeys(t *testing.T) {
	tests := []struct {
		name      string
		keys      []string
		wantTable []string
		wantRanks []int32
	}{
		{"none", nil, []string{}, []int32{}},
		{"equal keys share a rank", []string{"b@x", "a@x", "b@x"}, []string{"a@x", "b@x"}, []int32{1, 0, 1}},
		{"empty key first", []string{"a", ""}, []string{"", "a"}, []int32{1, 0}},
		// Keys equal in their first 16 bytes are ordered by the rest.
		{"long shared prefix", []string{"anna.svensson10@skola.se", "anna.svensson1@skola.se", "anna.svensson10@skola.se"},
			[]string{"anna.svensson10@skola.se", "anna.svensson1@skola.se"}, []int32{0, 1, 0}},
		// Zero padding must not put a short key after a longer one.
		{"prefix of another", []string{"ab\x00c", "ab", "ab\x00"}, []string{"ab", "ab\x00", "ab\x00c"}, []int32{2, 0, 1}},
		{"bytes above 0x7f", []string{"ö@x", "z@x", "å@x"}, []string{"z@x", "å@x", "ö@x"}, []int32{2, 0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table, ranks := rankKeys(tt.keys)
			if diff := cmp.Diff(tt.wantTable, table); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRanks, ranks); diff != "" {
				t.Errorf("ranks (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRankKeysOrder checks ranks against a plain string sort, on keys
// drawn from a few letters so that long shared prefixes and repeats are
// common.
func TestRankKeysOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		keys := make([]string, rng.IntN(40))
		for i := range keys {
			b := make([]byte, rng.IntN(24))
			for j := range b {
				b[j] = "a.\x00ö"[rng.IntN(4)]
			}
			keys[i] = string(b)
		}
		table, ranks := rankKeys(keys)
		want := slices.Compact(slices.Sorted(slices.Values(keys)))
		if want == nil {
			want = []string{}
		}
		if diff := cmp.Diff(want, table); diff != "" {
			t.Fatalf("table of %q (-want +got):\n%s", keys, diff)
		}
		for i, k := range keys {
			if table[ranks[i]] != k {
				t.Fatalf("key %q has rank %d, which is %q", k, ranks[i], table[ranks[i]])
			}
		}
	}
}
