package ss12000

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzPageToken feeds the client arbitrary page tokens: it must send each
// back verbatim (properly escaped) with only limit beside it, and stop on
// an empty one, without panicking.
func FuzzPageToken(f *testing.F) {
	for _, s := range []string{"", "abc", "a b&c=d", "%2F..%00", "ÅÄÖ", "\x00\xff", `"quoted"`, "?pageToken=x&limit=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		enc, _ := json.Marshal(token)
		var want string // what the client sees after JSON decoding
		_ = json.Unmarshal(enc, &want)
		var got []string
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			if !q.Has("pageToken") {
				_, _ = w.Write([]byte(`{"data":[],"pageToken":` + string(enc) + `}`))
				return
			}
			if len(q) != 2 || q.Get("limit") == "" {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			got = append(got, q.Get("pageToken"))
			_, _ = w.Write([]byte(`{"data":[],"pageToken":null}`))
		}))
		defer hs.Close()
		c, err := New(Config{BaseURL: hs.URL, Auth: Auth{APIKey: &APIKey{Key: "k"}}, Sandbox: true})
		if err != nil {
			t.Fatal(err)
		}
		err = list[Person](context.Background(), c, Persons, nil, func([]Person) {})
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		switch {
		case want == "" && len(got) != 0:
			t.Fatalf("followed an empty token")
		case want != "" && (len(got) != 1 || got[0] != want):
			t.Fatalf("sent back %q, want %q", got, want)
		}
	})
}
