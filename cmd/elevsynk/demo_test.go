package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/elevsynk/elevsynk/internal/rostergen"
)

// TestDemo runs `elevsynk demo` end to end on a local control plane and
// the sandboxes, checks that each step of the story shows, and then scans
// everything the operator made public on the way (its output, the
// manager's logs, every object's status, the events and the metrics) for
// the generated people's civic numbers, names and addresses.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	logs, dump, overview := filepath.Join(dir, "logs.json"), filepath.Join(dir, "dump.txt"), filepath.Join(dir, "report.html")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"demo", "-f", "../../config/samples", "-crds", "../../config/crd/bases",
		"-seed", "1", "-pupils", "300", "-logs", logs, "-dump", dump, "-report", overview}, &out, &errOut)
	if code != 0 {
		t.Fatalf("demo exit %d: %s\n%s", code, errOut.String(), out.String())
	}
	story := out.String()
	for _, want := range []string{
		"The register was fetched",
		"The Mapping turned the register into desired rooms",
		"supplements the register with e-mail addresses",
		"joined: ",
		"mode Plan writes nothing",
		"applied: ",
		"drift found (room names and reasons only):",
		"Renamed, ExtraMembers",
		"again, and the pupil added by hand is gone",
		"Writing the overview report",
		"microsoft365: 153 rooms, 0 not in sync",
		"groups fell from",
		"synced again and wrote nothing",
		"fetched over SFTP (1 file read)",
		"the whole file is read at the next fetch",
		"Stopped the manager",
	} {
		if !strings.Contains(story, want) {
			t.Errorf("the demo's output does not show %q:\n%s", want, story)
		}
	}

	public := story
	for _, f := range []string{logs, dump} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) == 0 {
			t.Fatalf("%s is empty: the scan would prove nothing", f)
		}
		public += string(data)
	}
	for _, want := range []string{"kind: Target", "DriftFound", "PlanApplied", `"msg":"reconciled"`, "elevsynk_target_rooms{"} {
		if !strings.Contains(public, want) {
			t.Errorf("the scanned text lacks %q: it does not hold what the operator published", want)
		}
	}

	snap, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: 300})
	lower := strings.ToLower(public)
	var checked int
	leak := func(what, needle string) {
		if needle == "" {
			return
		}
		checked++
		if strings.Contains(lower, strings.ToLower(needle)) {
			t.Errorf("a person's %s appears in the output, logs, status, events or metrics", what)
		}
	}
	for _, p := range snap.Persons {
		civic := p.CivicNo.Reveal()
		leak("civic number", civic)
		leak("civic number", strings.ReplaceAll(civic, "-", ""))
		leak("name", p.GivenName+" "+p.FamilyName)
		for _, k := range p.EduPersonPrincipalNames {
			leak("account key", k)
		}
		for _, e := range p.Emails {
			leak("e-mail address", e.Value)
		}
	}
	accounts, _ := rostergen.Directory(snap, rostergen.DirectoryConfig{Seed: 1})
	for _, a := range accounts {
		leak("directory address", a.Mail)
		leak("directory principal name", a.UserPrincipalName)
	}
	if checked < 3*len(snap.Persons) {
		t.Fatalf("only %d values checked for %d people", checked, len(snap.Persons))
	}

	// The report holds names by design, never a civic number.
	page, err := os.ReadFile(overview)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Persons {
		if civic := p.CivicNo.Reveal(); civic != "" && (strings.Contains(string(page), civic) || strings.Contains(string(page), strings.ReplaceAll(civic, "-", ""))) {
			t.Errorf("the demo's report holds the civic number of %s", p)
		}
	}
}
