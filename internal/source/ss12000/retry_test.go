package ss12000

import "testing"

func TestRetryable(t *testing.T) {
	for code, want := range map[int]bool{200: false, 400: false, 401: false, 404: false, 429: true, 500: true, 501: false, 502: true, 503: true, 504: true} {
		if retryable(code) != want {
			t.Errorf("retryable(%d) = %v", code, !want)
		}
	}
}
