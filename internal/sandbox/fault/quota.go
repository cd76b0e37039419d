package fault

import "time"

// Quota is a vendor's request limit: at most Limit requests in any Window.
// The zero Quota limits nothing.
type Quota struct {
	Limit  int
	Window time.Duration
}

// Window counts requests against a Quota as a sliding window on the
// caller's clock, so a test can run hours of provisioning in virtual time.
// Its zero value is ready; the caller holds its own lock around it.
type Window struct {
	times []time.Time // the requests still in the window, oldest first
}

// Take counts one request at now, or, when the window is full, returns how
// long until its oldest request leaves it. A refused request does not
// count: the vendors count what they serve.
func (w *Window) Take(q Quota, now time.Time) (wait time.Duration, ok bool) {
	if q.Limit <= 0 {
		return 0, true
	}
	drop := 0
	for drop < len(w.times) && !w.times[drop].Add(q.Window).After(now) {
		drop++
	}
	w.times = w.times[drop:]
	if len(w.times) >= q.Limit {
		return w.times[0].Add(q.Window).Sub(now), false
	}
	w.times = append(w.times, now)
	return 0, true
}
