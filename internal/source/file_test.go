package source

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/sandbox/sftpd"
)

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func noSecrets(_ context.Context, name string) (map[string][]byte, error) {
	return map[string][]byte{"idKey": []byte("short")}, nil
}

func fileSource(spec elevsynkv1.RegisterSourceSpec) *elevsynkv1.RegisterSource {
	return &elevsynkv1.RegisterSource{Spec: spec}
}

// TestIMSDirectory: a directory's .xml files are read in name order, a
// Delta on the Complete before it; an unchanged directory is not read
// again; a Delta added later applies on the last state.
func TestIMSDirectory(t *testing.T) {
	dir := t.TempDir()
	copyFile(t, "imsxml/testdata/tieto-organization-gr.xml", filepath.Join(dir, "1-complete.xml"))
	f, err := New(context.Background(), fileSource(elevsynkv1.RegisterSourceSpec{IMSEnterprise: &elevsynkv1.FileSource{Path: dir}}), noSecrets, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := f.Fetch(context.Background(), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(first.Snapshot.Persons); n != 5 {
		t.Fatalf("%d persons, want the example's 5", n)
	}
	again, err := f.Fetch(context.Background(), first, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.Snapshot != first.Snapshot {
		t.Error("an unchanged directory was read again")
	}
	copyFile(t, "imsxml/testdata/tieto-organization-gy-delta.xml", filepath.Join(dir, "2-delta.xml"))
	withDelta, err := f.Fetch(context.Background(), again, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(withDelta.Snapshot.Persons); n != 8 {
		t.Errorf("%d persons after the Delta, want 5 + its 3", n)
	}
	// After a restart (no previous result) the directory is read from its
	// Complete export again.
	restarted, err := f.Fetch(context.Background(), nil, true)
	if err != nil || restarted.Hash() != withDelta.Hash() {
		t.Errorf("after a restart: %v, hash equal %t", err, err == nil && restarted.Hash() == withDelta.Hash())
	}
}

func TestCSVByPath(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "elever.csv"), []byte("Id;Förnamn;Efternamn\n1;Ada;Ek\n2;Bo;Al\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := fileSource(elevsynkv1.RegisterSourceSpec{CSV: &elevsynkv1.CSVSource{FileSource: elevsynkv1.FileSource{Path: dir}, Delimiter: ";",
		Persons: elevsynkv1.CSVFile{Name: "elever.csv", Columns: map[string]string{"id": "Id", "givenName": "Förnamn", "familyName": "Efternamn"}}}})
	f, err := New(context.Background(), src, noSecrets, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Fetch(context.Background(), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Snapshot.Persons) != 2 {
		t.Errorf("%d persons, want 2", len(res.Snapshot.Persons))
	}
}

func TestFileSpecErrors(t *testing.T) {
	tests := []struct {
		name  string
		spec  elevsynkv1.RegisterSourceSpec
		field string
	}{
		{"a unikum id key too short", elevsynkv1.RegisterSourceSpec{Unikum: &elevsynkv1.UnikumSource{
			FileSource: elevsynkv1.FileSource{Path: "/x"}, IDKeySecretRef: elevsynkv1.SecretReference{Name: "k"}}}, "spec.unikum.idKeySecretRef"},
		{"a column mapping without a required field", elevsynkv1.RegisterSourceSpec{CSV: &elevsynkv1.CSVSource{
			FileSource: elevsynkv1.FileSource{Path: "/x"}, Persons: elevsynkv1.CSVFile{Name: "p.csv", Columns: map[string]string{"id": "Id"}}}}, "spec.csv.persons.columns"},
		{"an SFTP host key that does not parse", elevsynkv1.RegisterSourceSpec{OneRoster: &elevsynkv1.FileSource{SFTP: &elevsynkv1.SFTPLocation{
			Host: "h", User: "u", Path: "/", HostKeys: []string{"not a key"}}}}, "spec.oneRoster.sftp.hostKeys[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secrets := func(_ context.Context, name string) (map[string][]byte, error) {
				return map[string][]byte{"idKey": []byte("short"), "ssh-privatekey": testKey}, nil
			}
			_, err := New(context.Background(), fileSource(tt.spec), secrets, nil)
			var ise *InvalidSpecError
			if !errors.As(err, &ise) || ise.Field != tt.field {
				t.Errorf("err %v, want an InvalidSpecError at %s", err, tt.field)
			}
		})
	}
}

// testKey is the SFTP sandbox's client key: public by design.
var testKey = sftpd.ClientKeyPEM()
