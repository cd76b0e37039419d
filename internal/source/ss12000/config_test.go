package ss12000_test

import (
	"strings"
	"testing"

	"github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// TestPlainHTTPRefused: register data and tokens travel over https; only a
// loopback sandbox may use http, and only when the config says so.
func TestPlainHTTPRefused(t *testing.T) {
	oauth := func(tokenURL string) ss12000.Auth {
		return ss12000.Auth{OAuth2: &ss12000.OAuth2{TokenURL: tokenURL, ClientID: "client"}}
	}
	for _, tc := range []struct {
		name    string
		cfg     ss12000.Config
		wantErr string
	}{
		{"https", ss12000.Config{BaseURL: "https://register.example/v2.0", Auth: oauth("https://register.example/token")}, ""},
		{"http base", ss12000.Config{BaseURL: "http://register.example/v2.0", Auth: oauth("https://register.example/token")},
			`BaseURL "http://register.example/v2.0": plain http is refused`},
		{"http token", ss12000.Config{BaseURL: "https://register.example/v2.0", Auth: oauth("http://register.example/token")},
			`TokenURL "http://register.example/token": plain http is refused`},
		{"loopback without sandbox", ss12000.Config{BaseURL: "http://127.0.0.1:8081/v2.0", Auth: oauth("http://127.0.0.1:8081/token")},
			"a loopback sandbox may use http"},
		{"loopback sandbox", ss12000.Config{BaseURL: "http://127.0.0.1:8081/v2.0", Auth: oauth("http://localhost:8081/token"), Sandbox: true}, ""},
		{"sandbox elsewhere", ss12000.Config{BaseURL: "http://register.example/v2.0", Auth: oauth("http://127.0.0.1/token"), Sandbox: true},
			"not loopback"},
		{"sandbox token elsewhere", ss12000.Config{BaseURL: "http://[::1]:8081/v2.0", Auth: oauth("http://register.example/token"), Sandbox: true},
			"TokenURL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ss12000.New(tc.cfg)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("New: %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}
