package ss12000

import (
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 9, 1, 6, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"120", 2 * time.Minute, true},
		{" 5 ", 5 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"99999999999", 24 * time.Hour, true}, // capped, not overflowed
		{"Mon, 01 Sep 2025 06:00:30 GMT", 30 * time.Second, true},
		{"Monday, 01-Sep-25 06:01:00 GMT", time.Minute, true}, // RFC 850, obsolete but allowed
		{"Mon, 01 Sep 2025 05:00:00 GMT", 0, true},            // in the past: now
		{"soon", 0, false},
	} {
		got, ok := retryAfter(tc.header, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	for _, j := range []float64{0, 0.999} {
		p := RetryPolicy{BaseDelay: time.Second, MaxDelay: 8 * time.Second, Jitter: func() float64 { return j }}.withDefaults()
		for n, nominal := range []time.Duration{1, 2, 4, 8, 8, 8} {
			nominal *= time.Second
			got := p.backoff(n + 1)
			if got < nominal/2 || got > nominal {
				t.Errorf("jitter %v: backoff(%d) = %s, want within [%s, %s]", j, n+1, got, nominal/2, nominal)
			}
		}
	}
}

func TestRetryable(t *testing.T) {
	for code, want := range map[int]bool{200: false, 400: false, 401: false, 404: false, 429: true, 500: true, 501: false, 502: true, 503: true, 504: true} {
		if retryable(code) != want {
			t.Errorf("retryable(%d) = %v", code, !want)
		}
	}
}
