package graph

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// clock is a test clock that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 9, 14, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func users(n int) []User {
	out := make([]User, n)
	for i := range out {
		out[i] = User{ID: fmt.Sprintf("u%03d", i), UserPrincipalName: fmt.Sprintf("user%d@skola.example", i)}
	}
	return out
}

// fixture is a sandbox behind an httptest server.
type fixture struct {
	t   *testing.T
	s   *Server
	srv *httptest.Server
}

func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	s := New(opts)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &fixture{t: t, s: s, srv: srv}
}

// do sends a request to path under /v1.0 (or an absolute URL) and decodes
// a JSON answer.
func (f *fixture) do(method, path string, body any, header ...string) (int, http.Header, map[string]any) {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	u := path
	if len(path) > 0 && path[0] == '/' {
		u = f.srv.URL + apiRoot + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return f.send(req)
}

func (f *fixture) send(req *http.Request) (int, http.Header, map[string]any) {
	f.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			f.t.Fatalf("%s %s: answer is not JSON: %q", req.Method, req.URL.Path, raw)
		}
	}
	return resp.StatusCode, resp.Header, out
}

func gzipped(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// errCode is the error code of a Graph error answer.
func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func binds(ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "https://graph.microsoft.com/v1.0/directoryObjects/" + id
	}
	return out
}

func unifiedBody(name, nick string, owners ...string) map[string]any {
	b := map[string]any{"displayName": name, "mailNickname": nick, "groupTypes": []string{"Unified"},
		"mailEnabled": true, "securityEnabled": false}
	if len(owners) > 0 {
		b["owners@odata.bind"] = binds(owners...)
	}
	return b
}

// upsert creates or updates a group by uniqueName and returns its id.
func (f *fixture) upsert(unique string, body map[string]any) string {
	f.t.Helper()
	st, _, out := f.do(http.MethodPatch, "/groups(uniqueName='"+unique+"')", body, "Prefer", "create-if-missing")
	if st != http.StatusCreated {
		f.t.Fatalf("upsert %s: status %d %v", unique, st, out)
	}
	return out["id"].(string)
}

func values(body map[string]any) []map[string]any {
	raw, _ := body["value"].([]any)
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

func urlQuery(s string) string { return url.QueryEscape(s) }
