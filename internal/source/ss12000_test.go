package source

import (
	"context"
	"net/http/httptest"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
)

// A quiet register costs its answers only: an incremental fetch that finds
// nothing changed keeps the previous snapshot, marked Unchanged, and one
// that finds a change normalises again.
func TestSS12000QuietRegisterKeepsItsSnapshot(t *testing.T) {
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 3, Pupils: 60})
	srv := sandbox.New(sandbox.Options{ClientID: "id", ClientSecret: "secret"})
	srv.FromSnapshot(snap)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	src := &elevsynkv1.RegisterSource{Spec: elevsynkv1.RegisterSourceSpec{SS12000: &elevsynkv1.SS12000Source{
		URL: hs.URL + "/v2.0", Auth: elevsynkv1.SS12000Auth{OAuth2: &elevsynkv1.OAuth2ClientCredentials{TokenURL: hs.URL + "/token",
			SecretRef: elevsynkv1.SecretReference{Name: "creds"}}}}}}
	src.Annotations = map[string]string{elevsynkv1.SandboxAnnotation: "true"}
	secrets := func(context.Context, string) (map[string][]byte, error) {
		return map[string][]byte{"clientID": []byte("id"), "clientSecret": []byte("secret")}, nil
	}
	f, err := New(context.Background(), src, secrets, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first, err := f.Fetch(ctx, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	quiet, err := f.Fetch(ctx, first, false)
	if err != nil {
		t.Fatal(err)
	}
	if !quiet.Unchanged || quiet.Snapshot != first.Snapshot || quiet.Requests == 0 {
		t.Errorf("quiet register: Unchanged %t, same snapshot %t, %d requests; want true, true and the listings asked",
			quiet.Unchanged, quiet.Snapshot == first.Snapshot, quiet.Requests)
	}
	if err := srv.RenameGroup(snap.Groups[0].ID, "Omdöpt"); err != nil {
		t.Fatal(err)
	}
	changed, err := f.Fetch(ctx, quiet, false)
	if err != nil {
		t.Fatal(err)
	}
	if changed.Unchanged || changed.Hash() == first.Hash() {
		t.Errorf("a renamed group: Unchanged %t, hash equal %t; want a new snapshot", changed.Unchanged, changed.Hash() == first.Hash())
	}
}
