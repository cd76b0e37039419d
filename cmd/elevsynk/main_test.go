package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
)

// startSandbox runs `elevsynk sandbox` on a free port and returns its address.
func startSandbox(t *testing.T, args ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- run(ctx, append([]string{"sandbox", "-ss12000-addr", addr, "-graph-addr", "127.0.0.1:0", "-google-addr", "127.0.0.1:0"}, args...), &bytes.Buffer{}, &bytes.Buffer{})
	}()
	t.Cleanup(func() { cancel(); <-done })
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		select {
		case code := <-done:
			t.Fatalf("sandbox exited with %d", code)
		default:
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("sandbox did not start")
	return ""
}

// samplesAt copies config/samples with the register pointed at addr.
func samplesAt(t *testing.T, addr string) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob("../../config/samples/*.yaml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte("127.0.0.1:18081"), []byte(addr))
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFetchSamplesAgainstSandbox(t *testing.T) {
	addr := startSandbox(t, "-pupils", "300", "-seed", "5")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"fetch", "-f", samplesAt(t, addr), "-o", "json"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var got struct {
		Sources []fetched `json:"sources"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 5, Pupils: 300})
	if len(got.Sources) != 1 || got.Sources[0].Source != "exempelstad/register" {
		t.Fatalf("sources %+v", got.Sources)
	}
	if got.Sources[0].Hash != snap.Hash() {
		t.Errorf("hash %s, want the generated register's %s", got.Sources[0].Hash, snap.Hash())
	}
	if d := cmp.Diff(roster.Validate(snap).Summary(), got.Sources[0].Findings); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

func TestGenThenServeFromDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "register")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"gen", "-pupils", "300", "-seed", "9", "-o", dir}, &out, &errOut); code != 0 {
		t.Fatalf("gen exit %d: %s", code, errOut.String())
	}
	addr := startSandbox(t, "-from", dir)
	out.Reset()
	if code := run(context.Background(), []string{"fetch", "-f", samplesAt(t, addr), "-o", "json"}, &out, &errOut); code != 0 {
		t.Fatalf("fetch exit %d: %s", code, errOut.String())
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 9, Pupils: 300})
	if !strings.Contains(out.String(), snap.Hash()) {
		t.Errorf("served register from %s is not the generated one:\n%s", dir, out.String())
	}
}

// wantFailure runs the CLI with args and expects a non-zero exit with want
// on stderr.
func wantFailure(t *testing.T, args []string, want string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), args, &out, &errOut); code == 0 {
		t.Fatal("exit 0")
	}
	if !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr %q does not say %q", errOut.String(), want)
	}
}

func TestFetchErrorsNameTheManifest(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no directory", []string{"fetch"}, "-f DIR is required"},
		{"bad output", []string{"fetch", "-f", ".", "-o", "xml"}, `-o must be table or json, not "xml"`},
		{"no sources", []string{"fetch", "-f", t.TempDir()}, "holds no RegisterSource"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantFailure(t, tt.args, tt.want) })
	}

	// A register that is not there: the error names file, document and object.
	dir := samplesAt(t, "127.0.0.1:1")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"fetch", "-f", dir}, &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if want := "registersource.yaml (document 2, RegisterSource exempelstad/register)"; !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr %q does not say %q", errOut.String(), want)
	}
}

// TestFetchFileExports: `elevsynk fetch` reads a file register as the
// controller does: an IMS export from `gen -format ims` on a volume, and a
// cut-short one is an error naming the file.
func TestFetchFileExports(t *testing.T) {
	exportDir := t.TempDir()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"gen", "-pupils", "300", "-seed", "3", "-format", "ims", "-o", exportDir}, &out, &errOut); code != 0 {
		t.Fatalf("gen exit %d: %s", code, errOut.String())
	}
	manifests := t.TempDir()
	src := "apiVersion: elevsynk.io/v1alpha1\nkind: RegisterSource\nmetadata: {name: register, namespace: norrby}\n" +
		"spec: {imsEnterprise: {path: " + exportDir + "}}\n"
	if err := os.WriteFile(filepath.Join(manifests, "source.yaml"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(context.Background(), []string{"fetch", "-f", manifests, "-o", "json"}, &out, &errOut); code != 0 {
		t.Fatalf("fetch exit %d: %s", code, errOut.String())
	}
	var got struct {
		Sources []fetched `json:"sources"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 3, Pupils: 300})
	if len(got.Sources) != 1 || got.Sources[0].Counts.Persons != len(snap.Persons) || got.Sources[0].Counts.Groups != len(snap.Groups) {
		t.Fatalf("fetched %+v, want the generated register's %d persons and %d groups", got.Sources, len(snap.Persons), len(snap.Groups))
	}

	file := filepath.Join(exportDir, "organisation.xml")
	data, _ := os.ReadFile(file)
	if err := os.WriteFile(file, data[:len(data)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	wantFailure(t, []string{"fetch", "-f", manifests}, "organisation.xml line")
}
