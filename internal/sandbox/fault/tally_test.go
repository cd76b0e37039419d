package fault

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTally(t *testing.T) {
	var c Tally[string]
	if d := cmp.Diff(map[string]int{}, c.Snapshot()); d != "" {
		t.Errorf("zero value (-want +got):\n%s", d)
	}
	c.Add("a")
	c.Add("b")
	c.Add("a")
	snap := c.Snapshot()
	c.Add("a")
	if d := cmp.Diff(map[string]int{"a": 2, "b": 1}, snap); d != "" {
		t.Errorf("snapshot is not a copy (-want +got):\n%s", d)
	}
	if c.Get("a") != 3 || c.Get("c") != 0 {
		t.Errorf("Get a=%d c=%d, want 3 and 0", c.Get("a"), c.Get("c"))
	}
	c.Reset()
	if d := cmp.Diff(map[string]int{}, c.Snapshot()); d != "" {
		t.Errorf("after Reset (-want +got):\n%s", d)
	}
}

// TestDraw: rate 0 leaves the sequence alone, rate 1 always hits, and a
// rate in between hits about its share.
func TestDraw(t *testing.T) {
	a, b := rand.New(rand.NewPCG(1, 2)), rand.New(rand.NewPCG(1, 2))
	if Draw(0, a) {
		t.Error("rate 0 hit")
	}
	if a.Float64() != b.Float64() {
		t.Error("rate 0 drew from the generator")
	}
	hits := 0
	for range 1000 {
		if !Draw(1, a) {
			t.Fatal("rate 1 missed")
		}
		if Draw(0.25, a) {
			hits++
		}
	}
	if hits < 200 || hits > 300 {
		t.Errorf("%d of 1000 hit at rate 0.25", hits)
	}
}
