package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSleep(t *testing.T) {
	live := context.Background()
	done, cancel := context.WithCancel(live)
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		d    time.Duration
		want error
	}{
		{"zero on a live context", live, 0, nil},
		{"negative on a live context", live, -time.Second, nil},
		{"short wait", live, time.Millisecond, nil},
		{"zero on a cancelled context", done, 0, context.Canceled},
		// An hour would hang the test if Sleep did not watch ctx.
		{"long wait on a cancelled context", done, time.Hour, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := Sleep(tc.ctx, tc.d); !errors.Is(err, tc.want) {
				t.Errorf("Sleep(%v) = %v, want %v", tc.d, err, tc.want)
			}
		})
	}
}
