package fault

import (
	"maps"
	"sync"
)

// Tally counts requests by key (a method, a route, an HTTP status). It is
// safe for concurrent use and ready as the zero value.
type Tally[K comparable] struct {
	mu sync.Mutex
	m  map[K]int
}

// Add counts one request under k.
func (t *Tally[K]) Add(k K) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[K]int{}
	}
	t.m[k]++
}

// Get is the count under k.
func (t *Tally[K]) Get(k K) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[k]
}

// Snapshot returns a copy of every count; it is never nil, so tests can
// compare it with an empty map literal.
func (t *Tally[K]) Snapshot() map[K]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[K]int, len(t.m))
	maps.Copy(out, t.m)
	return out
}

// Reset zeroes every count.
func (t *Tally[K]) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.m)
}
