package plan

import (
	"errors"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/intstr"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// FuzzGuard feeds maxDeletions strings as a Target file could hold them:
// Guard must not panic, must refuse with ErrMaxDeletions alone, and an
// accepted percentage must stay within the rooms it is a share of.
func FuzzGuard(f *testing.F) {
	for _, s := range []string{"25", "5%", "0%", "100%", "101%", "-1", "", "%", "1e3", "99999999999999999999", "٣%"} {
		f.Add(s, int32(200))
	}
	f.Fuzz(func(t *testing.T, s string, rooms int32) {
		if rooms < 0 {
			t.Skip("inventory counts are not negative")
		}
		p := Plan{Inventory: elevsynkv1.Inventory{Managed: rooms}}
		limit, _, err := Guard(p, &elevsynkv1.DeletionGuard{MaxDeletions: intstr.FromString(s)})
		switch {
		case err != nil && !errors.Is(err, ErrMaxDeletions):
			t.Fatalf("unexpected error %v", err)
		case err == nil && limit < 0:
			t.Fatalf("limit %d", limit)
		case err == nil && len(s) > 0 && s[len(s)-1] == '%' && limit > int(rooms):
			t.Fatalf("%q of %d rooms gave %d", s, rooms, limit)
		}
	})
}

// FuzzFoldCmp checks the allocation-free comparison of account keys, which
// come from the register and the target, against its definition: the
// order of strings.ToLower, and keyCmp's tie-break on the spelling.
func FuzzFoldCmp(f *testing.F) {
	for _, p := range [][2]string{{"Anna@x", "anna@X"}, {"åsa@x", "ÅSA@x"}, {"a\u212a", "ak"}, {"b", "a\xc3"},
		{"\xc3\xa5", "\xc3\x85x"}, {"Z", "_"}, {"", "a"}, {"İ", "i"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		want := strings.Compare(strings.ToLower(a), strings.ToLower(b))
		if got := foldCmp(a, b); sign(got) != want {
			t.Fatalf("foldCmp(%q, %q) = %d, want sign %d", a, b, got, want)
		}
		if want == 0 {
			want = strings.Compare(a, b)
		}
		if got := keyCmp(a, b); sign(got) != want {
			t.Fatalf("keyCmp(%q, %q) = %d, want sign %d", a, b, got, want)
		}
	})
}

func sign(n int) int { return min(max(n, -1), 1) }
