package plan

import (
	"errors"
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
