package ss12000

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	wire "github.com/elevsynk/elevsynk/internal/source/ss12000"
)

var t0 = time.Date(2025, 9, 1, 6, 0, 0, 0, time.UTC)

func newTestServer(t *testing.T, opts Options) (*Server, *httptest.Server, *time.Time) {
	t.Helper()
	now := t0
	opts.Now = func() time.Time { return now }
	s := New(opts)
	s.Put(&wire.State{
		Persons: map[string]wire.Person{
			"p1": {ID: "p1", GivenName: "A"}, "p2": {ID: "p2", GivenName: "B"}, "p3": {ID: "p3", GivenName: "C"},
		},
		Groups: map[string]wire.Group{"g1": {ID: "g1", DisplayName: "7A",
			GroupMemberships: []wire.GroupMembership{{Person: wire.ObjectReference{ID: "p1"}}}}},
		Activities: map[string]wire.Activity{},
	})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs, &now
}

func do(t *testing.T, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	code, _, body := do(t, req)
	return code, body
}

func TestTokenEndpoint(t *testing.T) {
	_, hs, _ := newTestServer(t, Options{ClientID: "c/1", ClientSecret: "s 1"})
	basic := func(id, secret string) func(*http.Request) {
		return func(r *http.Request) { r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret)) }
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		edit   func(*http.Request)
		status int
		errStr string
	}{
		{"basic", url.Values{"grant_type": {"client_credentials"}}, basic("c/1", "s 1"), 200, ""},
		{"form", url.Values{"grant_type": {"client_credentials"}, "client_id": {"c/1"}, "client_secret": {"s 1"}}, nil, 200, ""},
		{"both methods", url.Values{"grant_type": {"client_credentials"}, "client_id": {"c/1"}, "client_secret": {"s 1"}}, basic("c/1", "s 1"), 400, "invalid_request"},
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}}, basic("c/1", "nope"), 401, "invalid_client"},
		{"no credentials", url.Values{"grant_type": {"client_credentials"}}, nil, 401, "invalid_client"},
		{"wrong grant", url.Values{"grant_type": {"password"}}, basic("c/1", "s 1"), 400, "unsupported_grant_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, hs.URL+"/token", strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.edit != nil {
				tc.edit(req)
			}
			code, hdr, body := do(t, req)
			if code != tc.status {
				t.Fatalf("status %d, want %d (%s)", code, tc.status, body)
			}
			var resp map[string]any
			if err := json.Unmarshal([]byte(body), &resp); err != nil {
				t.Fatal(err)
			}
			if tc.status == 200 {
				if resp["token_type"] != "Bearer" || resp["expires_in"] != float64(3600) || resp["access_token"] == "" || hdr.Get("Cache-Control") != "no-store" {
					t.Errorf("token response %v / %v", resp, hdr)
				}
			} else if resp["error"] != tc.errStr {
				t.Errorf("error = %v, want %s", resp["error"], tc.errStr)
			}
		})
	}
}

func TestBearerRequiredAndExpires(t *testing.T) {
	s, hs, now := newTestServer(t, Options{TokenTTL: time.Minute})
	if code, _ := get(t, hs.URL+"/v2.0/persons"); code != 401 {
		t.Errorf("no token: status %d, want 401", code)
	}
	req, _ := http.NewRequest(http.MethodPost, hs.URL+"/token", strings.NewReader("grant_type=client_credentials&client_id=client&client_secret=secret"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	_, _, body := do(t, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal([]byte(body), &tok)
	call := func() int {
		r, _ := http.NewRequest(http.MethodGet, hs.URL+"/v2.0/persons", nil)
		r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		code, _, _ := do(t, r)
		return code
	}
	if code := call(); code != 200 {
		t.Errorf("with token: status %d", code)
	}
	*now = now.Add(2 * time.Minute)
	if code := call(); code != 401 {
		t.Errorf("expired token: status %d, want 401", code)
	}
	if got := s.Count("token"); got != 1 {
		t.Errorf("token count %d", got)
	}
}

type page struct {
	Data      []json.RawMessage `json:"data"`
	PageToken *string           `json:"pageToken"`
}

func TestListPagingAndFilters(t *testing.T) {
	s, hs, now := newTestServer(t, Options{Auth: AuthNone, BasePath: "/api/v1"})
	base := hs.URL + "/api/v1/persons"
	code, body := get(t, base+"?limit=2")
	var p page
	if err := json.Unmarshal([]byte(body), &p); code != 200 || err != nil || len(p.Data) != 2 || p.PageToken == nil {
		t.Fatalf("page 1: %d %s", code, body)
	}
	for _, tc := range []struct {
		name, query string
		status      int
	}{
		{"token and limit", "?limit=2&pageToken=" + url.QueryEscape(*p.PageToken), 200},
		{"token and a filter", "?pageToken=" + url.QueryEscape(*p.PageToken) + "&meta.modified.after=2025-01-01T00:00:00Z", 400},
		{"token and sortkey", "?pageToken=" + url.QueryEscape(*p.PageToken) + "&sortkey=ModifiedDesc", 400},
		{"tampered token", "?pageToken=" + url.QueryEscape(*p.PageToken+"x"), 400},
		{"limit 0", "?limit=0", 400},
		{"bad timestamp", "?meta.modified.after=yesterday", 400},
	} {
		if code, body := get(t, base+tc.query); code != tc.status {
			t.Errorf("%s: status %d, want %d (%s)", tc.name, code, tc.status, body)
		}
	}
	// The token is bound to its endpoint.
	if code, _ := get(t, hs.URL+"/api/v1/groups?pageToken="+url.QueryEscape(*p.PageToken)); code != 400 {
		t.Errorf("persons token on groups: status %d, want 400", code)
	}
	// The last page has a null token.
	_, body = get(t, base+"?limit=2&pageToken="+url.QueryEscape(*p.PageToken))
	_ = json.Unmarshal([]byte(body), &p)
	if len(p.Data) != 1 || p.PageToken != nil || !strings.Contains(body, `"pageToken":null`) {
		t.Errorf("last page: %s", body)
	}
	// meta.modified.after is exclusive.
	*now = now.Add(time.Second)
	if err := s.RenameGroup("g1", "7A2"); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{t0.Format(time.RFC3339): 1, now.Format(time.RFC3339): 0} {
		_, body := get(t, hs.URL+"/api/v1/groups?meta.modified.after="+url.QueryEscape(q))
		_ = json.Unmarshal([]byte(body), &p)
		if len(p.Data) != want {
			t.Errorf("modified.after %s: %d groups, want %d", q, len(p.Data), want)
		}
	}
	// GET /groups/{id} embeds the memberships.
	if code, body := get(t, hs.URL+"/api/v1/groups/g1"); code != 200 || !strings.Contains(body, `"groupMemberships":[{"person":{"id":"p1"}}]`) {
		t.Errorf("groups/g1: %d %s", code, body)
	}
	if code, _ := get(t, hs.URL+"/api/v1/groups/nope"); code != 404 {
		t.Errorf("groups/nope: %d, want 404", code)
	}
}

func TestDeletedEntitiesUsesSpecSpelling(t *testing.T) {
	s, hs, now := newTestServer(t, Options{Auth: AuthNone})
	s.Put(&wire.State{Activities: map[string]wire.Activity{"a1": {ID: "a1"}}})
	s.mu.Lock()
	s.deletions = append(s.deletions, deletion{entity: "Activity", id: "a1", at: now.Add(time.Second)})
	s.mu.Unlock()
	*now = now.Add(2 * time.Second)
	if err := s.DeletePerson("p1"); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, hs.URL+"/v2.0/deletedEntities?after="+url.QueryEscape(t0.Format(time.RFC3339)))
	want := `{"data":{"persons":["p1"],"activitites":["a1"]},"pageToken":null}`
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_, body = get(t, hs.URL+"/v2.0/deletedEntities?entities=Person&after="+url.QueryEscape(t0.Format(time.RFC3339)))
	if strings.Contains(body, "a1") {
		t.Errorf("entities=Person returned activities: %s", body)
	}
	_, body = get(t, hs.URL+"/v2.0/deletedEntities?after="+url.QueryEscape(now.Format(time.RFC3339Nano)))
	if body != `{"data":{},"pageToken":null}` {
		t.Errorf("after the last deletion: %s", body)
	}
}

func FuzzPageToken(f *testing.F) {
	key := []byte("k")
	f.Add("persons", int64(0), int64(0), int64(0), uint8(0), int64(0), "")
	f.Add("deletedEntities", int64(100), int64(1e18), int64(-5), uint8(7), int64(3), "AQdwZXJzb25z.x")
	f.Fuzz(func(t *testing.T, ep string, off, mod, cre int64, ents uint8, seq int64, raw string) {
		// Arbitrary input never panics and, unless it is a real token, is refused.
		if c, err := decodeToken(key, raw); err == nil && encodeToken(key, c) != raw {
			t.Fatalf("decoded a token %q that does not re-encode to itself", raw)
		}
		if off < 0 || len(ep) > 200 {
			return
		}
		c := cursor{Endpoint: ep, Offset: off, ModifiedAfter: mod, CreatedAfter: cre, Entities: ents, Seq: seq}
		tok := encodeToken(key, c)
		got, err := decodeToken(key, tok)
		if err != nil || got != c {
			t.Fatalf("round trip of %+v: %+v, %v", c, got, err)
		}
		if _, err := decodeToken([]byte("other"), tok); err == nil {
			t.Fatal("token accepted under another key")
		}
		if url.QueryEscape(tok) != tok {
			t.Fatalf("token %q needs escaping", tok)
		}
	})
}
