package fault

import (
	"testing"
	"time"
)

func TestQuotaFloor(t *testing.T) {
	for _, tc := range []struct {
		q    Quota
		n    int
		want time.Duration
	}{
		{Quota{Limit: 3000, Window: 150 * time.Second}, 6000, 300 * time.Second},
		{Quota{Limit: 1200, Window: time.Minute}, 600, 30 * time.Second},
		{Quota{}, 100, 0},
	} {
		if got := tc.q.Floor(tc.n); got != tc.want {
			t.Errorf("%+v.Floor(%d) = %s, want %s", tc.q, tc.n, got, tc.want)
		}
	}
}

// Peek does not count; Take counts until the window is full, then says
// when its oldest request leaves; the zero Quota takes everything.
func TestWindow(t *testing.T) {
	q, t0 := Quota{Limit: 2, Window: time.Minute}, time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	var w Window
	for range 3 {
		if _, ok := w.Peek(q, t0); !ok {
			t.Fatal("Peek refused an empty window")
		}
	}
	for i, at := range []time.Duration{0, 10 * time.Second} {
		if _, ok := w.Take(q, t0.Add(at)); !ok {
			t.Fatalf("Take %d refused within the limit", i)
		}
	}
	if wait, ok := w.Take(q, t0.Add(20*time.Second)); ok || wait != 40*time.Second {
		t.Errorf("Take over the limit = %s, %t; want 40s, false", wait, ok)
	}
	if _, ok := w.Take(q, t0.Add(time.Minute)); !ok {
		t.Error("Take once the oldest left the window refused")
	}
	var free Window
	for range 5 {
		if _, ok := free.Take(Quota{}, t0); !ok {
			t.Fatal("the zero Quota refused")
		}
	}
}
