package fault

import "sync"

// List is the faults a sandbox has installed, of the sandbox's own fault
// type F, checked in the order added. It is safe for concurrent use and
// ready as the zero value.
type List[F any] struct {
	mu    sync.Mutex
	items []*entry[F]
}

type entry[F any] struct {
	fault             F
	skip, times, seen int
}

// Add installs f after the faults already there. Of the requests f applies
// to, the first skip pass and the next times are hit (0 = all the rest),
// so a test knows exactly which request fails.
func (l *List[F]) Add(f F, skip, times int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, &entry[F]{fault: f, skip: skip, times: times})
}

// Clear removes every fault.
func (l *List[F]) Clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = nil
}

// Match returns the first fault that applies to a request and is due.
// Every fault that applies, up to the one returned, counts the request.
func (l *List[F]) Match(applies func(F) bool) (F, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.items {
		if !applies(e.fault) {
			continue
		}
		e.seen++
		if e.seen <= e.skip || (e.times > 0 && e.seen > e.skip+e.times) {
			continue
		}
		return e.fault, true
	}
	var zero F
	return zero, false
}
