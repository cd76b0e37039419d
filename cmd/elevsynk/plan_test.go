package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	gsandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
	"github.com/elevsynk/elevsynk/internal/sandbox/loopbacktls"
	"github.com/elevsynk/elevsynk/internal/target"
	"github.com/elevsynk/elevsynk/internal/target/google"
)

// googleSamples is config/samples with the register at addr and the google
// Target's endpoint at a Google sandbox whose users are the people of snap,
// in the Target's domain. The microsoft365 Target is left out, so that the
// exit codes are the google Target's; TestPlanMicrosoft365 has its own.
func googleSamples(t *testing.T, addr string, snap *roster.Snapshot) (string, *gsandbox.Server) {
	t.Helper()
	dir := samplesAt(t, addr)
	if err := os.Remove(filepath.Join(dir, "target-microsoft365.yaml")); err != nil {
		t.Fatal(err)
	}
	set, err := manifests.Read(dir, scheme())
	if err != nil {
		t.Fatal(err)
	}
	tg, ok := manifests.Get[*elevsynkv1.Target](set, "exempelstad", "google")
	if !ok || tg.Spec.Google == nil {
		t.Fatal("config/samples has no google Target exempelstad/google")
	}
	var users []gsandbox.User
	for _, p := range snap.Persons {
		for _, k := range p.EduPersonPrincipalNames {
			users = append(users, gsandbox.User{Email: k})
		}
	}
	gs := gsandbox.New(gsandbox.Options{Domain: tg.Spec.Google.Domain, Users: users})
	hs := httptest.NewServer(gs)
	t.Cleanup(hs.Close)
	editFile(t, filepath.Join(dir, "target-google.yaml"), tg.Spec.Google.Endpoint, hs.URL)
	return dir, gs
}

// editFile replaces old, which must be there, with new in a file.
func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not hold %q", path, old)
	}
	if err := os.WriteFile(path, bytes.ReplaceAll(data, []byte(old), []byte(new)), 0o600); err != nil {
		t.Fatal(err)
	}
}

// holdable is what the sample Mapping makes of snap on day, fitted to
// Google and without the rooms Google cannot hold, worked out here
// without internal/platform.
func holdable(t *testing.T, dir string, snap *roster.Snapshot, day roster.Date) desired.State {
	t.Helper()
	st := sampleRooms(t, dir, snap, day)
	fit, _ := target.Fit(st, target.Google)
	var out desired.State
	for _, r := range fit.Rooms {
		if google.MarkersOf("").Caps(r) == nil {
			out.Rooms = append(out.Rooms, r)
		}
	}
	return out
}

// runPlanCmd runs `elevsynk plan` and returns the exit code and stdout.
func runPlanCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"plan"}, args...), &out, &errOut)
	if code == 1 {
		t.Fatalf("plan %v: exit 1: %s", args, errOut.String())
	}
	return code, out.String()
}

func planJSON(t *testing.T, dir string) (int, targetPlan) {
	t.Helper()
	code, out := runPlanCmd(t, "-f", dir, "-o", "json")
	if strings.Contains(out, "@") {
		t.Errorf("JSON output holds an '@':\n%s", out)
	}
	var got planOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(got.Targets) != 1 || got.Targets[0].Target != "exempelstad/google" {
		t.Fatalf("targets %+v, want exempelstad/google alone", got.Targets)
	}
	return code, got.Targets[0]
}

func roomOf(t *testing.T, p targetPlan, kind elevsynkv1.RoomKind, key string) roomPlan {
	t.Helper()
	for _, r := range p.Rooms {
		if r.Kind == kind && r.Key == key {
			return r
		}
	}
	t.Fatalf("no room %s %s in the plan", kind, key)
	return roomPlan{}
}

// The samples' google Target from nothing, provisioned, renamed by hand,
// and with more orphans than its deletion guard allows.
func TestPlanGoogleSamples(t *testing.T) {
	addr := startSandbox(t, "-pupils", "300", "-seed", "5")
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 5, Pupils: 300})
	dir, gs := googleSamples(t, addr, snap)
	day := roster.DateOf(time.Now())
	want := holdable(t, dir, snap, day)
	if len(want.Rooms) < 20 {
		t.Fatalf("only %d rooms Google can hold from a 300-pupil municipality", len(want.Rooms))
	}

	// From nothing every room is created, and nothing is written.
	code, p := planJSON(t, dir)
	if code != 2 || p.Empty {
		t.Errorf("exit %d, empty %v: want 2 for a plan that creates", code, p.Empty)
	}
	if p.Summary.Creates != len(want.Rooms) || int(p.Inventory.Missing) != len(want.Rooms) {
		t.Errorf("%d creates, %d missing: want one per room Google can hold, %d", p.Summary.Creates, p.Inventory.Missing, len(want.Rooms))
	}
	var members, owners int
	for _, r := range want.Rooms {
		members, owners = members+len(r.Members), owners+len(r.Owners)
		got := roomOf(t, p, r.Kind, r.Key)
		if got.Name != r.Name || got.Actions[0] != target.OpCreate || got.OwnerAdds != len(r.Owners) || got.MemberAdds != len(r.Members) {
			t.Errorf("room %s %s: %+v, want created as %q with %d owners and %d members", r.Kind, r.Key, got, r.Name, len(r.Owners), len(r.Members))
		}
	}
	if p.Summary.MemberAdds != members || p.Summary.OwnerAdds != owners {
		t.Errorf("summary %+v: want +%d members, +%d owners", p.Summary, members, owners)
	}
	if p.Mode != elevsynkv1.ModePlan || p.Outcome != "mode Plan writes nothing" || p.Guard.Limit != 25 || p.Guard.Blocks {
		t.Errorf("mode %s, outcome %q, guard %+v: want Plan, writing nothing, guard 25 not blocking", p.Mode, p.Outcome, p.Guard)
	}
	if n := gsandbox.Sum(gs.Writes()); n != 0 || p.Requests == 0 {
		t.Fatalf("plan wrote %d times to the sandbox (%d requests)", n, p.Requests)
	}

	// Provisioned by the adapter itself, the plan is empty.
	tg := googleAdapter(t, dir)
	have, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res := tg.Apply(context.Background(), plan.Compute(want, have, elevsynkv1.Policy{}, day).Actions); len(res.Failures) > 0 || res.Skipped > 0 {
		t.Fatalf("provisioning: %d failures (first %+v), %d skipped", len(res.Failures), res.Failures[0], res.Skipped)
	}
	writes := gsandbox.Sum(gs.Writes())
	code, p = planJSON(t, dir)
	if code != 0 || !p.Empty || len(p.Rooms) != 0 || int(p.Inventory.InSync) != len(want.Rooms) || p.Outcome != "in sync: nothing to write" {
		t.Errorf("after provisioning: exit %d, empty %v, inventory %+v, outcome %q, rooms %+v", code, p.Empty, p.Inventory, p.Outcome, p.Rooms)
	}

	// A teacher renames a course: the plan renames it back.
	var course desired.Room
	for _, r := range want.Rooms {
		if r.Kind == elevsynkv1.RoomCourse {
			course = r
			break
		}
	}
	id := gs.Courses()[0].ID
	for _, c := range gs.Courses() {
		if c.Name == course.Name {
			id = c.ID
		}
	}
	if err := gs.RenameCourse(id, "Omdöpt av läraren"); err != nil {
		t.Fatal(err)
	}
	code, p = planJSON(t, dir)
	want1 := []roomPlan{{Kind: elevsynkv1.RoomCourse, Key: course.Key, Name: course.Name, Actions: []target.Op{target.OpRename},
		RenameTo: course.Name, Drift: []plan.Reason{plan.Renamed}}}
	if d := cmp.Diff(want1, p.Rooms); code != 2 || d != "" {
		t.Errorf("after a rename: exit %d, rooms (-want +got):\n%s", code, d)
	}
	code, out := runPlanCmd(t, "-f", dir)
	wantLine := fmt.Sprintf("rename to %q", course.Name)
	if code != 2 || !strings.Contains(out, wantLine) || !strings.Contains(out, "Renamed") || strings.Contains(out, "@") {
		t.Errorf("table: exit %d, want a line with %s and Renamed and no account keys:\n%s", code, wantLine, out)
	}

	// More orphans than the guard's 25: in mode Plan the guard would
	// block once applied; in mode Apply it blocks, until approved.
	var orphans []target.Action
	for i := range 30 {
		orphans = append(orphans, target.Action{Op: target.OpCreate, Kind: elevsynkv1.RoomCourse,
			Key: fmt.Sprintf("orphan-%d", i), Name: fmt.Sprintf("Orphan %d", i), People: course.Owners})
	}
	if res := tg.Apply(context.Background(), orphans); len(res.Failures) > 0 {
		t.Fatalf("orphans: %d failures (first %+v)", len(res.Failures), res.Failures[0])
	}
	if err := gs.RenameCourse(id, course.Name); err != nil {
		t.Fatal(err)
	}
	code, p = planJSON(t, dir)
	if g := p.Guard; code != 2 || p.Summary.Archives != 30 || !g.Exceeded || g.Blocks || g.Removals != 30 {
		t.Errorf("30 orphans in mode Plan: exit %d, summary %+v, guard %+v", code, p.Summary, g)
	}
	if _, out := runPlanCmd(t, "-f", dir); !strings.Contains(out, "would block in mode Apply") {
		t.Errorf("table does not say the guard would block:\n%s", out)
	}
	editFile(t, filepath.Join(dir, "target-google.yaml"), "mode: Plan", "mode: Apply")
	code, p = planJSON(t, dir)
	if code != 2 || !p.Guard.Blocks || !strings.Contains(p.Outcome, elevsynkv1.ApprovePlanAnnotation+"="+p.Hash) {
		t.Errorf("mode Apply: exit %d, guard %+v, outcome %q: want blocked, naming the approval", code, p.Guard, p.Outcome)
	}
	editFile(t, filepath.Join(dir, "target-google.yaml"), "  annotations:\n",
		fmt.Sprintf("  annotations:\n    %s: %q\n", elevsynkv1.ApprovePlanAnnotation, p.Hash))
	code, p = planJSON(t, dir)
	if code != 2 || !p.Guard.Approved || p.Guard.Blocks || p.Outcome != "would apply this plan" {
		t.Errorf("approved: exit %d, guard %+v, outcome %q", code, p.Guard, p.Outcome)
	}
	if n := gsandbox.Sum(gs.Writes()); n != writes+len(orphans) {
		t.Errorf("the sandbox saw %d writes beyond the test's own", n-writes-len(orphans))
	}
}

// googleAdapter is the adapter for the google Target in dir, made directly.
func googleAdapter(t *testing.T, dir string) *google.Target {
	t.Helper()
	set, err := manifests.Read(dir, scheme())
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := manifests.Get[*elevsynkv1.Target](set, "exempelstad", "google")
	tg, err := google.FromSpec(context.Background(), *spec.Spec.Google, nil, google.Options{
		ClassroomQPS: rate.Inf, DirectoryQPS: rate.Inf, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestPlanErrorsNameTheTarget(t *testing.T) {
	addr := startSandbox(t, "-pupils", "300", "-seed", "5")
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 5, Pupils: 300})

	noSecret, _ := googleSamples(t, addr, snap)
	editFile(t, filepath.Join(noSecret, "target-google.yaml"), "  name: google-credentials\n", "  name: other-credentials\n")
	unreachable := samplesAt(t, addr)
	if err := os.Remove(filepath.Join(unreachable, "target-microsoft365.yaml")); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(unreachable, "target-google.yaml"), "http://127.0.0.1:18083", "http://127.0.0.1:1")

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no directory", []string{"plan"}, "-f DIR is required"},
		{"bad output", []string{"plan", "-f", ".", "-o", "yaml"}, `-o must be table or json, not "yaml"`},
		{"no targets", []string{"plan", "-f", t.TempDir()}, "the directory holds no Target"},
		{"missing secret", []string{"plan", "-f", noSecret}, "target exempelstad/google: the directory holds no Secret exempelstad/google-credentials"},
		{"unreachable", []string{"plan", "-f", unreachable, "-o", "json"}, "target exempelstad/google: observing the target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(context.Background(), tt.args, &out, &errOut); code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("stderr %q does not say %q", errOut.String(), tt.want)
			}
			if out.Len() > 0 {
				t.Errorf("stdout on error: %s", out.String())
			}
		})
	}
}

// readManifests applies the CRD's defaults to the documents as written, so
// an absent archiveAfterDays is 14 and an explicit 0 stays 0.
func TestReadManifestsAppliesCRDDefaults(t *testing.T) {
	const secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\n---\n"
	const tmpl = "apiVersion: elevsynk.io/v1alpha1\nkind: Target\nmetadata: {name: t, namespace: ns}\nspec:\n  mappingRef: {name: m}\n  google: {domain: d, adminSubject: a@d, auth: {serviceAccount: {name: s}}}\n%s"
	tests := []struct {
		name, extra string
		days        int32
		mode        elevsynkv1.Mode
	}{
		{"defaults", "", 14, elevsynkv1.ModePlan},
		{"explicit zero", "  mode: Apply\n  policy: {archiveAfterDays: 0}\n", 0, elevsynkv1.ModeApply},
		{"explicit value", "  policy: {archiveAfterDays: 30}\n", 30, elevsynkv1.ModePlan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "t.yaml"), []byte(secret+fmt.Sprintf(tmpl, tt.extra)), 0o600); err != nil {
				t.Fatal(err)
			}
			set, err := readManifests(dir)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := manifests.Get[*elevsynkv1.Target](set, "ns", "t")
			if !ok {
				t.Fatal("no Target read")
			}
			if got.Name != "t" || got.Spec.Policy.ArchiveAfterDays != tt.days || got.Spec.Mode != tt.mode ||
				got.Spec.Policy.Deletion != elevsynkv1.DeletionArchive {
				t.Errorf("got %s archiveAfterDays %d, mode %s, deletion %s; want t, %d, %s, Archive",
					got.Name, got.Spec.Policy.ArchiveAfterDays, got.Spec.Mode, got.Spec.Policy.Deletion, tt.days, tt.mode)
			}
		})
	}
}

func TestControllerOutcome(t *testing.T) {
	over := guardVerdict{Limit: 2, Removals: 3, Exceeded: true}
	approved := over
	approved.Approved = true
	tests := []struct {
		name      string
		mode      elevsynkv1.Mode
		suspended bool
		empty     bool
		guard     guardVerdict
		want      string
		blocks    bool
	}{
		{"observe", elevsynkv1.ModeObserve, false, false, over, "mode Observe writes nothing", false},
		{"empty", elevsynkv1.ModeApply, false, true, guardVerdict{Limit: -1}, "in sync: nothing to write", false},
		{"plan", elevsynkv1.ModePlan, false, false, over, "mode Plan writes nothing", false},
		{"suspended", elevsynkv1.ModeApply, true, false, over, "the Tenant is suspended: nothing is written", false},
		{"guarded", elevsynkv1.ModeApply, false, false, over,
			"blocked by the deletion guard: nothing is written until this plan is approved with elevsynk.io/approve-plan=sha256:ab", true},
		{"approved", elevsynkv1.ModeApply, false, false, approved, "would apply this plan", false},
		{"within", elevsynkv1.ModeApply, false, false, guardVerdict{Limit: 5, Removals: 3}, "would apply this plan", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, blocks := controllerOutcome(tt.mode, tt.suspended, tt.empty, tt.guard, "sha256:ab")
			if got != tt.want || blocks != tt.blocks {
				t.Errorf("got %q, blocks %v; want %q, %v", got, blocks, tt.want, tt.blocks)
			}
		})
	}
}

// roomsOf folds actions and drift into one entry per room, with counts.
func TestRoomsOf(t *testing.T) {
	c, g := elevsynkv1.RoomCourse, elevsynkv1.RoomGoogleGroup
	p := plan.Plan{
		Actions: []target.Action{
			{Op: target.OpCreate, Kind: g, Key: "new", Name: "New", People: []string{"o1", "o2"}},
			{Op: target.OpAddMembers, Kind: g, Key: "new", People: []string{"m1", "m2", "m3"}},
			{Op: target.OpRename, Kind: c, Key: "c1", ID: "1", Name: "Right"},
			{Op: target.OpAddOwners, Kind: c, Key: "c1", ID: "1", People: []string{"o3"}},
			{Op: target.OpRemoveMembers, Kind: c, Key: "c1", ID: "1", People: []string{"m4", "m5"}},
			{Op: target.OpRemoveOwners, Kind: c, Key: "c1", ID: "1", People: []string{"o4"}},
			{Op: target.OpArchive, Kind: c, Key: "old", ID: "2"},
			{Op: target.OpArchive, Kind: c, Key: "old", ID: "3"},
		},
		Drift: []plan.Drift{
			{Kind: c, Key: "c1", Name: "Right", Reasons: []plan.Reason{plan.Renamed, plan.ExtraMembers, plan.MissingOwners, plan.ExtraOwners}},
			{Kind: c, Key: "kept", Name: "Kept", Reasons: []plan.Reason{plan.DescriptionChanged}},
			{Kind: c, Key: "old", Name: "Old", Reasons: []plan.Reason{plan.Orphaned}},
			{Kind: c, Key: "old", Name: "Old", Reasons: []plan.Reason{plan.Duplicate}},
			{Kind: g, Key: "new", Name: "New", Reasons: []plan.Reason{plan.Missing}},
		},
	}
	names := map[roomRef]string{{c, "c1"}: "Right", {c, "kept"}: "Kept", {c, "old"}: "Old", {g, "new"}: "New"}
	want := []roomPlan{
		{Kind: c, Key: "c1", Name: "Right", Actions: []target.Op{target.OpRename, target.OpAddOwners, target.OpRemoveMembers, target.OpRemoveOwners},
			RenameTo: "Right", OwnerAdds: 1, MemberRemoves: 2, OwnerRemoves: 1, Drift: p.Drift[0].Reasons},
		{Kind: c, Key: "kept", Name: "Kept", Actions: []target.Op{}, Drift: []plan.Reason{plan.DescriptionChanged}},
		{Kind: c, Key: "old", Name: "Old", Actions: []target.Op{target.OpArchive}, Drift: []plan.Reason{plan.Orphaned, plan.Duplicate}},
		{Kind: g, Key: "new", Name: "New", Actions: []target.Op{target.OpCreate, target.OpAddMembers}, OwnerAdds: 2, MemberAdds: 3,
			Drift: []plan.Reason{plan.Missing}},
	}
	got := roomsOf(p, names)
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("rooms (-want +got):\n%s", d)
	}
	wantWords := []string{`rename to "Right", -2 members, +1/-1 owners`, "no change", "archive", "create, +3 members, +2 owners"}
	for i, r := range got {
		if w := r.changes(); w != wantWords[i] {
			t.Errorf("%s changes %q, want %q", r.Key, w, wantWords[i])
		}
	}
}

// The microsoft365 sample Target against a Graph sandbox: from nothing its
// plan creates every room it can hold, and planning writes nothing.
func TestPlanMicrosoft365(t *testing.T) {
	addr := startSandbox(t, "-pupils", "300", "-seed", "5")
	dir := samplesAt(t, addr)
	if err := os.Remove(filepath.Join(dir, "target-google.yaml")); err != nil {
		t.Fatal(err)
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 5, Pupils: 300})
	var users []graphsandbox.User
	for _, p := range snap.Persons {
		for _, k := range p.EduPersonPrincipalNames {
			users = append(users, graphsandbox.User{UserPrincipalName: k})
		}
	}
	gs := graphsandbox.New(graphsandbox.Options{Users: users, TenantID: graphTenantID, ClientID: graphClientID, ClientSecret: graphClientSecret})
	hs := httptest.NewUnstartedServer(gs)
	hs.TLS = loopbacktls.ServerConfig()
	hs.StartTLS()
	t.Cleanup(hs.Close)
	editFile(t, filepath.Join(dir, "target-microsoft365.yaml"), "https://127.0.0.1:18082", hs.URL)

	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"plan", "-f", dir, "-o", "json"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d, want 2 (changes): %s", code, errOut.String())
	}
	var got planOutput
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	set, err := manifests.Read(dir, scheme())
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := manifests.Get[*elevsynkv1.Target](set, "exempelstad", "microsoft365")
	want := platform.Prepare(sampleRooms(t, dir, snap, roster.DateOf(time.Now())), nil, &tg.Spec).Want
	if len(got.Targets) != 1 || got.Targets[0].Summary.Creates != len(want.Rooms) || len(want.Rooms) == 0 {
		t.Fatalf("plan %+v, want %d creates", got.Targets, len(want.Rooms))
	}
	if gs.Writes() != 0 {
		t.Errorf("planning wrote %d times to Graph", gs.Writes())
	}
}
