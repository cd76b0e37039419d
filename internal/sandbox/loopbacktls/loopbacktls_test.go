package loopbacktls

import (
	"bytes"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPoolTrustsTheSandboxOnLoopbackOnly(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	srv.TLS = ServerConfig()
	srv.StartTLS()
	defer srv.Close()
	port := srv.Listener.Addr().String()[strings.LastIndex(srv.Listener.Addr().String(), ":"):]
	other := httptest.NewTLSServer(http.NotFoundHandler()) // httptest's own certificate
	defer other.Close()

	tests := []struct {
		name, url, serverName string
		wantErr               string
	}{
		{name: "127.0.0.1", url: "https://127.0.0.1" + port},
		{name: "localhost", url: "https://localhost" + port},
		{name: "another name", url: "https://127.0.0.1" + port, serverName: "graph.microsoft.com", wantErr: "certificate is valid for localhost, not graph.microsoft.com"},
		{name: "another certificate", url: other.URL, wantErr: "certificate signed by unknown authority"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: Pool(), ServerName: tc.serverName}}}
			resp, err := c.Get(tc.url)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		})
	}
}

// The sandbox and the manager are separate processes: each derives the
// certificate anew, and both must get the same bytes.
func TestIdentityIsDeterministic(t *testing.T) {
	first, _ := derive()
	second, _ := derive()
	if !bytes.Equal(first.Certificate[0], second.Certificate[0]) {
		t.Fatal("two derivations gave different certificates")
	}
}
