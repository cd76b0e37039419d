package graph

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func batchResponses(t *testing.T, body map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	raw, _ := body["responses"].([]any)
	for _, r := range raw {
		m := r.(map[string]any)
		out[m["id"].(string)] = m
	}
	return out
}

func TestBatch(t *testing.T) {
	f := newFixture(t, Options{Users: users(3)})
	id := f.upsert("k", unifiedBody("A", "p-a", "u000"))
	req := map[string]any{"requests": []map[string]any{
		{"id": "add", "method": "PATCH", "url": "/groups/" + id, "headers": map[string]string{"Content-Type": "application/json"},
			"body": map[string]any{"members@odata.bind": binds("u001")}},
		{"id": "again", "method": "PATCH", "url": "/groups/" + id, "dependsOn": []string{"add"},
			"headers": map[string]string{"Content-Type": "application/json"}, "body": map[string]any{"members@odata.bind": binds("u001")}},
		{"id": "after", "method": "GET", "url": "/groups/" + id + "/members?$select=id", "dependsOn": []string{"again"}, "body": nil},
		{"id": "list", "method": "GET", "url": "/groups/" + id + "/members?$select=id", "headers": map[string]string{}, "dependsOn": []string{}},
	}}
	// Bodies arrive gzip-compressed from the SDKs.
	hr, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/v1.0/$batch", bytes.NewReader(gzipped(t, req)))
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Content-Encoding", "gzip")
	st, _, body := f.send(hr)
	if st != http.StatusOK {
		t.Fatalf("batch: status %d %v", st, body)
	}
	got := map[string]float64{}
	for id, r := range batchResponses(t, body) {
		got[id] = r["status"].(float64)
	}
	want := map[string]float64{"add": 204, "again": 400, "after": 424, "list": 200}
	if !cmp.Equal(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if c := f.s.Counts(); c["POST /$batch"] != 1 || c["PATCH /groups/{id}"] != 2 || c["GET /groups/{id}/members"] != 1 {
		t.Errorf("counts %v", c)
	}
	if f.s.Writes() != 3 { // the upsert and two inner PATCHes
		t.Errorf("writes %d, want 3", f.s.Writes())
	}

	bad := []struct {
		name string
		reqs []map[string]any
	}{
		{"21 requests", func() []map[string]any {
			var out []map[string]any
			for i := range 21 {
				out = append(out, map[string]any{"id": fmt.Sprint(i), "method": "GET", "url": "/groups"})
			}
			return out
		}()},
		{"duplicate id", []map[string]any{{"id": "1", "method": "GET", "url": "/groups"}, {"id": "1", "method": "GET", "url": "/groups"}}},
		{"body without headers", []map[string]any{{"id": "1", "method": "PATCH", "url": "/groups/" + id, "body": map[string]any{}}}},
		{"unknown dependency", []map[string]any{{"id": "1", "method": "GET", "url": "/groups", "dependsOn": []string{"2"}}}},
		{"cycle", []map[string]any{{"id": "1", "method": "GET", "url": "/groups", "dependsOn": []string{"2"}}, {"id": "2", "method": "GET", "url": "/groups", "dependsOn": []string{"1"}}}},
		{"absolute URL", []map[string]any{{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/groups"}}},
	}
	for _, b := range bad {
		if st, _, _ := f.do(http.MethodPost, "/$batch", map[string]any{"requests": b.reqs}); st != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", b.name, st)
		}
	}
}

// Inner requests are throttled one by one, each 429 with its own
// Retry-After, and the draw repeats with the seed.
func TestBatchInnerThrottling(t *testing.T) {
	run := func() []string {
		f := newFixture(t, Options{Users: users(1), ThrottleRate: 0.3, Seed: 7})
		var reqs []map[string]any
		for i := range 20 {
			reqs = append(reqs, map[string]any{"id": fmt.Sprint(i), "method": "GET", "url": "/users?$select=id"})
		}
		st, _, body := f.do(http.MethodPost, "/$batch", map[string]any{"requests": reqs})
		if st != http.StatusOK {
			t.Fatalf("batch: status %d", st)
		}
		var throttled []string
		for id, r := range batchResponses(t, body) {
			if r["status"].(float64) == 429 {
				h, _ := r["headers"].(map[string]any)
				if h["Retry-After"] != "1" {
					t.Errorf("inner 429 without Retry-After: %v", r)
				}
				throttled = append(throttled, id)
			}
		}
		if f.s.Throttled() != len(throttled) {
			t.Errorf("Throttled() %d, counted %d", f.s.Throttled(), len(throttled))
		}
		return throttled
	}
	a, b := run(), run()
	if len(a) == 0 || len(a) == 20 {
		t.Errorf("%d of 20 throttled at rate 0.3", len(a))
	}
	sort.Strings(a)
	sort.Strings(b)
	if !cmp.Equal(a, b) {
		t.Errorf("seeded runs differ: %v vs %v", a, b)
	}
}
