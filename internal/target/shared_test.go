package target

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPerKey(t *testing.T) {
	var p PerKey[*int]
	made := 0
	mk := func() *int { made++; n := made; return &n }
	got := []int{*p.Get("a", mk), *p.Get("b", mk), *p.Get("a", mk)}
	if d := cmp.Diff([]int{1, 2, 1}, got); d != "" || made != 2 {
		t.Errorf("values (-want +got):\n%s; made %d, want 2", d, made)
	}
}
