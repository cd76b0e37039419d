package ss12000

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/rostergen"
)

func TestWriteReadDirRoundTrip(t *testing.T) {
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 3, Pupils: 300})
	srv := New(Options{})
	srv.FromSnapshot(snap)
	want := srv.Snapshot()
	dir := t.TempDir()
	if err := WriteDir(dir, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}

func TestReadDirNamesTheBrokenFile(t *testing.T) {
	srv := New(Options{})
	dir := t.TempDir()
	if err := WriteDir(dir, srv.Snapshot()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "groups.json"), []byte(`{"data": [{"id": "g1", "displayName": "7A"`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadDir(dir)
	if err == nil || !strings.Contains(err.Error(), "groups.json") || strings.Contains(err.Error(), "7A") {
		t.Errorf("got %v, want an error naming groups.json without its content", err)
	}
}
