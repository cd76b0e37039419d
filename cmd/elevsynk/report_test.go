package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/elevsynk/elevsynk/internal/report"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	gsandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
)

// `elevsynk report` on the samples against the sandboxes: one file per
// form, mode 0600, with every room the plan would make, no civic number
// and nobody with a protected identity; and it writes nothing to Google.
func TestReportCommand(t *testing.T) {
	addr := startSandbox(t, "-pupils", "300", "-seed", "5")
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 5, Pupils: 300})
	dir, gs := googleSamples(t, addr, snap)
	out := t.TempDir()
	var forms = map[string]string{}
	for _, name := range []string{"report.json", "report.html"} {
		var stdout, stderr bytes.Buffer
		path := filepath.Join(out, name)
		if code := run(context.Background(), []string{"report", "-f", dir, "-o", path}, &stdout, &stderr); code != 0 {
			t.Fatalf("report -o %s: exit %d: %s", name, code, stderr.String())
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", name, fi.Mode().Perm())
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		forms[name] = string(data)
		if !strings.Contains(stdout.String(), "personal data") {
			t.Errorf("the command does not say the file holds personal data: %q", stdout.String())
		}
	}
	var r report.Report
	if err := json.Unmarshal([]byte(forms["report.json"]), &r); err != nil {
		t.Fatal(err)
	}
	want := len(sampleRooms(t, dir, snap, roster.DateOf(time.Now())).Rooms)
	if len(r.Targets) != 1 || len(r.Targets[0].Rooms) == 0 || len(r.Targets[0].Rooms) > want || len(r.People) == 0 {
		t.Fatalf("the report has %d targets, %d people; want the google Target with up to %d rooms", len(r.Targets), len(r.People), want)
	}
	for _, room := range r.Targets[0].Rooms {
		if room.State != report.Missing {
			t.Errorf("room %s is %s in an empty Workspace", room.Name, room.State)
		}
	}
	protected := 0
	for _, p := range snap.Persons {
		var leaks []string
		if p.CivicNo != "" {
			leaks = append(leaks, string(p.CivicNo), strings.ReplaceAll(string(p.CivicNo), "-", ""))
		}
		if p.SecurityMarking != "" && p.SecurityMarking != roster.SecurityNone {
			protected++
			leaks = append(leaks, p.EduPersonPrincipalNames...)
		}
		for name, data := range forms {
			for _, l := range leaks {
				if l != "" && strings.Contains(data, l) {
					t.Errorf("%s holds personal data it must not (%s)", name, p)
				}
			}
		}
	}
	if protected == 0 {
		t.Fatal("the register has no protected identity: the scan proves nothing")
	}
	if n := gsandbox.Sum(gs.Writes()); n != 0 {
		t.Errorf("reporting wrote %d times to Google", n)
	}
}
