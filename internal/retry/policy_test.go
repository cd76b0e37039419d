package retry

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var now = time.Date(2026, 9, 14, 6, 0, 0, 0, time.UTC)

func fixed(j float64) func() float64 { return func() float64 { return j } }

func TestDelay(t *testing.T) {
	for _, tc := range []struct {
		name   string
		p      Policy
		jitter float64
		want   []time.Duration // Delay(1), Delay(2), ...
	}{
		{"no jitter is half the nominal delay", Policy{BaseDelay: time.Second, MaxDelay: 8 * time.Second}, 0,
			[]time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second}},
		{"full jitter is the nominal delay", Policy{BaseDelay: time.Second, MaxDelay: 8 * time.Second}, 1,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second}},
		{"half jitter", Policy{BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second}, 0.5,
			[]time.Duration{375 * time.Millisecond, 750 * time.Millisecond, 1500 * time.Millisecond}},
		{"cap below the base", Policy{BaseDelay: 10 * time.Second, MaxDelay: time.Second}, 1,
			[]time.Duration{time.Second, time.Second}},
		{"no cap means no growth", Policy{BaseDelay: time.Second}, 1,
			[]time.Duration{time.Second, time.Second}},
		{"zero policy never waits", Policy{}, 1, []time.Duration{0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.Jitter = fixed(tc.jitter)
			var got []time.Duration
			for n := range tc.want {
				got = append(got, tc.p.Delay(n+1))
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("delays (-want +got):\n%s", d)
			}
		})
	}
}

// A late attempt neither overflows nor passes the cap, with the real
// jitter.
func TestDelayLateAttempt(t *testing.T) {
	p := Policy{BaseDelay: time.Second, MaxDelay: 32 * time.Second}
	for _, n := range []int{0, 40, 64, 1 << 30} {
		if d := p.Delay(n); d < 0 || d > 32*time.Second {
			t.Errorf("Delay(%d) = %s, want within [0, 32s]", n, d)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	p := Policy{MaxRetryAfter: 2 * time.Minute}
	for _, tc := range []struct {
		header string
		want   time.Duration
		ok     bool
		long   time.Duration // the Wait of a TooLongError, 0 for none
	}{
		{"", 0, false, 0},
		{"0", 0, true, 0},
		{"120", 2 * time.Minute, true, 0},
		{" 5 ", 5 * time.Second, true, 0},
		{"-1", 0, false, 0},
		{"1.5", 0, false, 0},
		{"soon", 0, false, 0},
		{"121", 0, true, 121 * time.Second},
		{"3600", 0, true, time.Hour},
		{"99999999999999999999", 0, false, 0}, // not an int64: unusable
		{"9223372036854775807", 0, true, maxDuration / time.Second * time.Second},
		{"Mon, 14 Sep 2026 06:00:30 GMT", 30 * time.Second, true, 0},
		{"Monday, 14-Sep-26 06:01:00 GMT", time.Minute, true, 0}, // RFC 850, obsolete but allowed
		{"Mon Sep 14 06:00:10 2026", 10 * time.Second, true, 0},  // asctime
		{"Mon, 14 Sep 2026 05:00:00 GMT", 0, true, 0},            // in the past: now
		{"Mon, 14 Sep 2026 07:00:00 GMT", 0, true, time.Hour},
	} {
		got, ok, err := p.RetryAfter(tc.header, now)
		var long time.Duration
		var tl *TooLongError
		if errors.As(err, &tl) {
			long = tl.Wait
			if tl.Max != 2*time.Minute {
				t.Errorf("RetryAfter(%q): Max %s, want 2m", tc.header, tl.Max)
			}
		} else if err != nil {
			t.Errorf("RetryAfter(%q): %v", tc.header, err)
		}
		if got != tc.want || ok != tc.ok || long != tc.long {
			t.Errorf("RetryAfter(%q) = %s, %v, too long %s; want %s, %v, %s", tc.header, got, ok, long, tc.want, tc.ok, tc.long)
		}
	}
}

func TestRetryAfterDefaultCap(t *testing.T) {
	var tl *TooLongError
	if _, _, err := (Policy{}).RetryAfter("121", now); !errors.As(err, &tl) || tl.Max != DefaultMaxRetryAfter {
		t.Errorf("a zero policy let 121 s through: %v", err)
	}
}

func TestWait(t *testing.T) {
	p := Policy{BaseDelay: time.Second, MaxDelay: 8 * time.Second, MaxRetryAfter: time.Minute, Jitter: fixed(0)}
	for _, tc := range []struct {
		name    string
		attempt int
		header  string
		want    time.Duration
		tooLong bool
	}{
		{"no header backs off", 3, "", 2 * time.Second, false},
		{"unusable header backs off", 1, "later", 500 * time.Millisecond, false},
		{"Retry-After wins over the backoff", 1, "7", 7 * time.Second, false},
		{"Retry-After shorter than the backoff", 4, "1", time.Second, false},
		{"zero Retry-After backs off", 2, "0", time.Second, false},
		{"past date backs off", 1, "Mon, 14 Sep 2026 05:00:00 GMT", 500 * time.Millisecond, false},
		{"at the cap", 1, "60", time.Minute, false},
		{"over the cap fails", 1, "61", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Wait(tc.attempt, tc.header, now)
			var tl *TooLongError
			if got != tc.want || errors.As(err, &tl) != tc.tooLong || (err != nil && !tc.tooLong) {
				t.Errorf("Wait(%d, %q) = %s, %v; want %s, too long %v", tc.attempt, tc.header, got, err, tc.want, tc.tooLong)
			}
		})
	}
}

func TestBound(t *testing.T) {
	p := Policy{MaxRetryAfter: time.Minute}
	for _, tc := range []struct {
		in, want time.Duration
		tooLong  bool
	}{
		{-time.Second, 0, false},
		{0, 0, false},
		{time.Minute, time.Minute, false},
		{time.Minute + 1, 0, true},
	} {
		got, err := p.Bound(tc.in)
		if got != tc.want || (err != nil) != tc.tooLong {
			t.Errorf("Bound(%s) = %s, %v; want %s, too long %v", tc.in, got, err, tc.want, tc.tooLong)
		}
	}
}

func TestWithDefaults(t *testing.T) {
	def := Policy{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: time.Minute, MaxRetryAfter: 2 * time.Minute}
	got := Policy{MaxAttempts: 2, MaxDelay: time.Hour}.WithDefaults(def)
	want := Policy{MaxAttempts: 2, BaseDelay: time.Second, MaxDelay: time.Hour, MaxRetryAfter: 2 * time.Minute}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestTooLongErrorText(t *testing.T) {
	err := &TooLongError{Wait: time.Hour, Max: 2 * time.Minute}
	if got, want := err.Error(), "server asks to wait 1h0m0s, more than the 2m0s allowed"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// FuzzRetryAfter: whatever the header and the cap, the wait is never
// negative, never over the cap, an error is always a TooLongError naming
// a wait over the cap, and nothing panics.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "120", "-1", "3600", " 7 ", "1e3", "9223372036854775807",
		now.Add(time.Hour).Format(http.TimeFormat), now.Add(-time.Hour).Format(http.TimeFormat),
		"Monday, 14-Sep-26 06:01:00 GMT", "Mon Sep 14 06:00:10 2026", "Fri, 31 Dec 9999 23:59:59 GMT"} {
		f.Add(s, int64(2*time.Minute))
	}
	f.Fuzz(func(t *testing.T, h string, limit int64) {
		p := Policy{MaxRetryAfter: time.Duration(limit)}
		ceiling := p.maxRetryAfter()
		d, _, err := p.RetryAfter(h, now)
		if d < 0 || d > ceiling {
			t.Fatalf("RetryAfter(%q) with cap %s = %s", h, ceiling, d)
		}
		if err != nil {
			var tl *TooLongError
			if !errors.As(err, &tl) || tl.Wait <= ceiling || d != 0 {
				t.Fatalf("RetryAfter(%q) with cap %s: %s, %v", h, ceiling, d, err)
			}
		}
		w, err := (Policy{MaxRetryAfter: p.MaxRetryAfter, BaseDelay: time.Second, MaxDelay: time.Minute}).Wait(3, h, now)
		if w < 0 || (err == nil && w > max(ceiling, time.Minute)) {
			t.Fatalf("Wait(%q) with cap %s = %s, %v", h, ceiling, w, err)
		}
	})
}
