package ss12000_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// TestRoundTripGenerated: a generated municipality (faults included) goes
// through the sandbox and the client and comes back unchanged.
func TestRoundTripGenerated(t *testing.T) {
	want, _ := rostergen.Generate(rostergen.Config{Seed: 7, Pupils: 1500})
	srv := sandbox.New(sandbox.Options{Auth: sandbox.AuthAPIKey})
	srv.FromSnapshot(want)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	c, err := ss12000.New(ss12000.Config{BaseURL: hs.URL + "/v2.0", Auth: ss12000.Auth{APIKey: &ss12000.APIKey{Key: "key"}}, PageSize: 250, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.FetchFull(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := ss12000.Normalize(st)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("round trip differs (-generated +fetched):\n%s", d)
	}
	if got.Hash() != want.Hash() {
		t.Error("hash differs after the round trip")
	}
}

// BenchmarkFetchFull reads a 100 000-pupil municipality from the in-process
// sandbox over loopback HTTP and normalises it.
func BenchmarkFetchFull(b *testing.B) {
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: 100000})
	srv := sandbox.New(sandbox.Options{})
	srv.FromSnapshot(snap)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for _, pageSize := range []int{100, 1000} {
		b.Run(fmt.Sprintf("pageSize=%d", pageSize), func(b *testing.B) {
			c, err := ss12000.New(ss12000.Config{
				BaseURL:  hs.URL + "/v2.0",
				Auth:     ss12000.Auth{OAuth2: &ss12000.OAuth2{TokenURL: hs.URL + "/token", ClientID: "client", ClientSecret: "secret"}},
				PageSize: pageSize,
				Sandbox:  true,
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var out *roster.Snapshot
			for b.Loop() {
				st, err := c.FetchFull(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if out, err = ss12000.Normalize(st); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(out.Persons)), "persons")
			b.ReportMetric(float64(c.Stats().Requests)/float64(b.N), "requests/op")
		})
	}
}
