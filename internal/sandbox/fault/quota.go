package fault

import "time"

// Quota is a vendor's request limit: at most Limit requests in any Window.
// The zero Quota limits nothing.
type Quota struct {
	Limit  int
	Window time.Duration
}

// Floor is the shortest time n requests can take under q: the floor a
// provisioning's time is measured against. The zero Quota has none.
func (q Quota) Floor(n int) time.Duration {
	if q.Limit <= 0 {
		return 0
	}
	return time.Duration(float64(n) / float64(q.Limit) * float64(q.Window))
}

// Window counts requests against a Quota as a sliding window on the
// caller's clock, so a test can run hours of provisioning in virtual time.
// Its zero value is ready; the caller holds its own lock around it.
type Window struct {
	times []time.Time // the requests still in the window, oldest first
}

// Peek says whether a request at now would be counted, or how long until
// it would, without counting it: a request under two quotas counts
// against neither when the other refuses it.
func (w *Window) Peek(q Quota, now time.Time) (wait time.Duration, ok bool) {
	if q.Limit <= 0 {
		return 0, true
	}
	w.drop(q, now)
	if len(w.times) >= q.Limit {
		return w.times[0].Add(q.Window).Sub(now), false
	}
	return 0, true
}

// Take counts one request at now, or, when the window is full, returns how
// long until its oldest request leaves it. A refused request does not
// count: the vendors count what they serve.
func (w *Window) Take(q Quota, now time.Time) (wait time.Duration, ok bool) {
	if wait, ok := w.Peek(q, now); !ok {
		return wait, false
	}
	if q.Limit > 0 {
		w.times = append(w.times, now)
	}
	return 0, true
}

// drop forgets the requests that have left the window.
func (w *Window) drop(q Quota, now time.Time) {
	n := 0
	for n < len(w.times) && !w.times[n].Add(q.Window).After(now) {
		n++
	}
	w.times = w.times[n:]
}
