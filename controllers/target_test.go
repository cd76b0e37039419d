package controllers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/report"
	"github.com/elevsynk/elevsynk/internal/roster"
	gsandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
)

const googleDomain = "exempelstad.se" // rostergen's account domain

// googleSandbox serves a Workspace whose users are everyone in snap.
func googleSandbox(t *testing.T, snap *roster.Snapshot) (*gsandbox.Server, string) {
	t.Helper()
	var users []gsandbox.User
	for _, p := range snap.Persons {
		for _, k := range p.EduPersonPrincipalNames {
			users = append(users, gsandbox.User{Email: k})
		}
	}
	s := gsandbox.New(gsandbox.Options{Domain: googleDomain, Users: users})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

func googleTarget(ns, url string) *elevsynkv1.Target {
	return &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "google", Annotations: sandboxAnnotation()},
		Spec: elevsynkv1.TargetSpec{MappingRef: elevsynkv1.LocalReference{Name: "skolor"}, Mode: elevsynkv1.ModeApply,
			Google: &elevsynkv1.GoogleTarget{Endpoint: url, Domain: googleDomain, AdminSubject: "admin@" + googleDomain,
				Auth: elevsynkv1.GoogleAuth{ServiceAccount: &elevsynkv1.SecretReference{Name: "google"}}}}}
}

func totalWrites(s *gsandbox.Server) int {
	n := 0
	for _, c := range s.Writes() {
		n += c
	}
	return n
}

// change applies f to the latest copy of obj and updates it.
func change[T client.Object](t *testing.T, obj T, f func(T)) {
	t.Helper()
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		f(obj)
		return k8s.Update(context.Background(), obj)
	})
}

func driftOf(tg *elevsynkv1.Target, name string) []string {
	for _, d := range tg.Status.DriftedRooms {
		if d.Name == name {
			return d.Reasons
		}
	}
	return nil
}

// The story of a Google Target: provision from nothing, a no-change sync
// that writes nothing, a teacher's rename reported then corrected, Plan,
// Observe and suspend writing nothing, and a plan over the deletion guard
// blocked until approved by its hash.
func TestGoogleTargetStory(t *testing.T) {
	ns := newNamespace(t)
	_, hs, snap := registerSandbox(t)
	gs, gurl := googleSandbox(t, snap)
	tenantObj := tenant(ns, "exempelstad")
	create(t, tenantObj)
	create(t, credentials(ns, "elevsynk", "s3cret"))
	// A sandbox endpoint needs no key, but the spec still names a Secret.
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "google"},
		StringData: map[string]string{"credentials.json": "{}"}})
	create(t, manualSource(ns))
	create(t, registerSource(ns, hs.URL))
	m := schoolMapping(ns)
	create(t, m)
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)
	tg := googleTarget(ns, gurl)
	create(t, tg)

	// From nothing: every class team becomes a course, every class team a group.
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)
	var classTeams int32
	for _, k := range m.Status.Rooms {
		if k.Kind == elevsynkv1.RoomClassTeam {
			classTeams = k.Count
		}
	}
	// Activities without a teacher (rostergen makes a few) cannot be
	// courses: they are counted in the message and left out.
	var refused int32
	if msg := readyMessage(tg); strings.Contains(msg, "cannot hold") {
		if _, err := fmt.Sscanf(msg[strings.LastIndex(msg, "; ")+2:], "%d rooms the target cannot hold", &refused); err != nil {
			t.Fatalf("message %q: %v", msg, err)
		}
	}
	if got := int32(len(gs.Courses())); got != classTeams-refused || got == 0 || refused > classTeams/10 {
		t.Fatalf("%d courses in the sandbox, want one per class team (%d) less the %d refused", got, classTeams, refused)
	}
	if tg.Status.LastPlan == nil || tg.Status.LastPlan.Creates == 0 || !tg.Status.LastPlan.Applied || tg.Status.API.Writes == 0 {
		t.Fatalf("first sync: last plan %+v, api %+v", tg.Status.LastPlan, tg.Status.API)
	}

	// A sync with nothing changed writes nothing.
	writes := totalWrites(gs)
	requestReconcile(t, tg, nil)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonInSync)
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(tg), tg); err != nil {
			return err
		}
		if tg.Status.LastHandledReconcileAt != tg.Annotations[elevsynkv1.ReconcileRequestAnnotation] {
			return fmt.Errorf("request not handled yet")
		}
		return nil
	})
	if got := totalWrites(gs); got != writes || tg.Status.API == nil || tg.Status.API.Writes != 0 || tg.Status.API.Requests == 0 {
		t.Fatalf("no-change sync: %d sandbox writes (was %d), status api %+v", got, writes, tg.Status.API)
	}

	// A teacher renames a course and adds a pupil by hand. With the name
	// policy at Report, the rename is shown and kept; the pupil is removed.
	course := gs.Courses()[0]
	outsider := snap.Persons[len(snap.Persons)-1].EduPersonPrincipalNames[0]
	change(t, tg, func(tg *elevsynkv1.Target) { tg.Spec.Policy.Drift.Name = elevsynkv1.DriftReport })
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonInSync)
	if err := gs.RenameCourse(course.ID, "Omdöpt av läraren"); err != nil {
		t.Fatal(err)
	}
	if err := gs.AddStudent(course.ID, outsider); err != nil {
		t.Fatal(err)
	}
	requestReconcile(t, tg, nil)
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(tg), tg); err != nil {
			return err
		}
		if !apimeta.IsStatusConditionTrue(tg.Status.Conditions, elevsynkv1.ConditionDriftDetected) {
			return fmt.Errorf("no drift detected yet: %+v", tg.Status.Conditions)
		}
		return nil
	})
	if r := driftOf(tg, course.Name); !contains(r, "Renamed") || !contains(r, "ExtraMembers") {
		t.Errorf("drifted rooms %+v: want %q Renamed and ExtraMembers", tg.Status.DriftedRooms, course.Name)
	}
	now := courseByID(t, gs, course.ID)
	if now.Name != "Omdöpt av läraren" || contains(now.Students, outsider) {
		t.Errorf("under Report the name stays and under Correct the pupil goes: name %q, outsider still there %v",
			now.Name, contains(now.Students, outsider))
	}

	// With Ignore the teacher's name stays and is not drift at all.
	change(t, tg, func(tg *elevsynkv1.Target) { tg.Spec.Policy.Drift.Name = elevsynkv1.DriftIgnore })
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonInSync)
	if r := driftOf(tg, course.Name); len(r) != 0 || courseByID(t, gs, course.ID).Name != "Omdöpt av läraren" {
		t.Errorf("under Ignore: drift %v, name %q; want no drift and the teacher's name", r, courseByID(t, gs, course.ID).Name)
	}

	// With Correct the name is put back and drift clears.
	change(t, tg, func(tg *elevsynkv1.Target) { tg.Spec.Policy.Drift.Name = elevsynkv1.DriftCorrect })
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)
	if got := courseByID(t, gs, course.ID).Name; got != course.Name {
		t.Errorf("course name %q after Correct, want %q", got, course.Name)
	}
	if apimeta.IsStatusConditionTrue(tg.Status.Conditions, elevsynkv1.ConditionDriftDetected) {
		t.Errorf("drift still detected after correction: %+v", tg.Status.DriftedRooms)
	}

	// Plan and Observe modes, and a suspended tenant, write nothing.
	for _, step := range []struct {
		name   string
		apply  func()
		reason string
	}{
		{"Plan", func() { change(t, tg, func(tg *elevsynkv1.Target) { tg.Spec.Mode = elevsynkv1.ModePlan }) }, controllers.ReasonPlanned},
		{"Observe", func() { change(t, tg, func(tg *elevsynkv1.Target) { tg.Spec.Mode = elevsynkv1.ModeObserve }) }, controllers.ReasonObserved},
		{"Suspended", func() {
			change(t, tenantObj, func(tn *elevsynkv1.Tenant) { tn.Spec.Suspend = true })
			change(t, tg, func(tg *elevsynkv1.Target) { tg.Spec.Mode = elevsynkv1.ModeApply })
		}, elevsynkv1.ReasonSuspended},
	} {
		if err := gs.RenameCourse(course.ID, "Omdöpt igen"); err != nil {
			t.Fatal(err)
		}
		writes := totalWrites(gs)
		step.apply()
		waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, step.reason)
		if got := totalWrites(gs); got != writes || tg.Status.API.Writes != 0 {
			t.Errorf("%s: %d sandbox writes (was %d), status api %+v", step.name, got, writes, tg.Status.API)
		}
		if tg.Status.LastPlan.Applied || tg.Status.LastPlan.BlockedBy == "" {
			t.Errorf("%s: last plan %+v should say why it was not applied", step.name, tg.Status.LastPlan)
		}
	}
	change(t, tenantObj, func(tn *elevsynkv1.Tenant) { tn.Spec.Suspend = false })
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)

	// The teaching rule goes: every course would be archived, over a guard
	// of 2. Nothing is written until exactly that plan is approved.
	change(t, tg, func(tg *elevsynkv1.Target) {
		tg.Spec.Policy.DeletionGuard = &elevsynkv1.DeletionGuard{MaxDeletions: intstr.FromInt32(2)}
	})
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonInSync)
	writes = totalWrites(gs)
	change(t, m, func(m *elevsynkv1.Mapping) { m.Spec.Rules = m.Spec.Rules[1:] })
	waitForCondition(t, tg, elevsynkv1.ConditionStalled, metav1.ConditionTrue, controllers.ReasonDeletionGuard)
	if got := totalWrites(gs); got != writes {
		t.Fatalf("a guarded plan wrote %d times", got-writes)
	}
	plan := tg.Status.LastPlan
	if plan.BlockedBy != controllers.ReasonDeletionGuard || int32(len(gs.Courses())) != plan.Archives ||
		!strings.Contains(readyMessage(tg), plan.Hash) {
		t.Fatalf("guarded plan %+v, message %q: want every course archived, blocked, hash in the message", plan, readyMessage(tg))
	}
	requestReconcile(t, tg, map[string]string{elevsynkv1.ApprovePlanAnnotation: plan.Hash})
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)
	for _, c := range gs.Courses() {
		if c.State != "ARCHIVED" {
			t.Errorf("course %s is %s after the approved plan, want ARCHIVED", c.ID, c.State)
		}
	}
}

func courseByID(t *testing.T, s *gsandbox.Server, id string) gsandbox.CourseView {
	t.Helper()
	for _, c := range s.Courses() {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("course %s is gone", id)
	return gsandbox.CourseView{}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// A Microsoft 365 Target provisions through Graph, then a no-change sync
// and the Observe mode write nothing, and a teacher's rename is found.
func TestMicrosoft365Target(t *testing.T) {
	ns := newNamespace(t)
	_, hs, snap := registerSandbox(t)
	var users []graphsandbox.User
	for _, p := range snap.Persons {
		for _, k := range p.EduPersonPrincipalNames {
			users = append(users, graphsandbox.User{UserPrincipalName: k})
		}
	}
	gs := graphsandbox.New(graphsandbox.Options{Users: users})
	ghs := httptest.NewServer(gs)
	t.Cleanup(ghs.Close)

	create(t, tenant(ns, "exempelstad"))
	create(t, credentials(ns, "elevsynk", "s3cret"))
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "graph"},
		StringData: map[string]string{"clientID": "app", "clientSecret": "unused"}})
	create(t, manualSource(ns))
	create(t, registerSource(ns, hs.URL))
	create(t, schoolMapping(ns))
	tg := &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "microsoft365", Annotations: sandboxAnnotation()},
		Spec: elevsynkv1.TargetSpec{MappingRef: elevsynkv1.LocalReference{Name: "skolor"}, Mode: elevsynkv1.ModeApply,
			Microsoft365: &elevsynkv1.Microsoft365Target{Endpoint: ghs.URL, TenantID: "11111111-2222-3333-4444-555555555555",
				Auth: elevsynkv1.Microsoft365Auth{ClientSecret: &elevsynkv1.SecretReference{Name: "graph"}}}}}
	create(t, tg)

	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)
	var classes, teams int
	for _, g := range gs.Groups() {
		switch {
		case g.IsClass && g.Team:
			classes++
		case g.Team:
			teams++
		}
	}
	if classes == 0 || teams == 0 || int32(classes+teams) != tg.Status.Inventory.Missing {
		t.Fatalf("%d class teams and %d teams in Graph, %d rooms were missing", classes, teams, tg.Status.Inventory.Missing)
	}

	writes := gs.Writes()
	requestReconcile(t, tg, nil)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonInSync)
	if gs.Writes() != writes || tg.Status.API.Writes != 0 {
		t.Errorf("no-change sync wrote: sandbox %d → %d, status %+v", writes, gs.Writes(), tg.Status.API)
	}

	var team graphsandbox.Group
	for _, g := range gs.Groups() {
		if g.Team && !g.IsClass {
			team = g
			break
		}
	}
	change(t, tg, func(tg *elevsynkv1.Target) { tg.Spec.Mode = elevsynkv1.ModeObserve })
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonObserved)
	if err := gs.RenameGroup(team.ID, "Vår klass"); err != nil {
		t.Fatal(err)
	}
	requestReconcile(t, tg, nil)
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(tg), tg); err != nil {
			return err
		}
		if !contains(driftOf(tg, team.DisplayName), "Renamed") {
			return fmt.Errorf("drifted rooms %+v do not show %q renamed", tg.Status.DriftedRooms, team.DisplayName)
		}
		return nil
	})
	if gs.Writes() != writes {
		t.Errorf("mode Observe wrote %d times", gs.Writes()-writes)
	}
}

// A file Target keeps the rooms in a JSON file, every kind as it is.
func TestFileTarget(t *testing.T) {
	ns, m, _ := school(t)
	dir := t.TempDir()
	tg := target(ns, "export", "skolor")
	tg.Spec.File.Path = dir
	tg.Spec.Mode = elevsynkv1.ModeApply
	create(t, tg)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)

	data, err := os.ReadFile(filepath.Join(dir, ns+"-export.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rooms []struct {
			Kind elevsynkv1.RoomKind `json:"kind"`
		} `json:"rooms"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)
	if int32(len(doc.Rooms)) != tg.Status.Inventory.Missing || len(doc.Rooms) == 0 {
		t.Errorf("%d rooms in the file, %d were missing", len(doc.Rooms), tg.Status.Inventory.Missing)
	}
}

// A Target with spec.report writes the overview of its rooms after each
// sync, mode 0600, with the rooms it was planned with; a report it cannot
// write fails the sync as ReportFailed, with a Warning event.
func TestTargetWritesItsReport(t *testing.T) {
	ns, _, snap := school(t)
	out := t.TempDir()
	tg := target(ns, "export", "skolor")
	tg.Spec.File.Path = t.TempDir()
	tg.Spec.Mode = elevsynkv1.ModePlan
	tg.Spec.Report = &elevsynkv1.ReportOutput{Path: out, Format: "JSON"}
	create(t, tg)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonPlanned)

	path := filepath.Join(out, ns+"-export.json")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", fi.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Targets) != 1 || int32(len(rep.Targets[0].Rooms)) != tg.Status.Inventory.Missing || len(rep.People) == 0 {
		t.Errorf("the report holds %d targets, %d people; want one target with the %d rooms planned", len(rep.Targets), len(rep.People), tg.Status.Inventory.Missing)
	}
	protected := 0
	for _, p := range snap.Persons {
		if p.SecurityMarking == "" || p.SecurityMarking == roster.SecurityNone {
			continue
		}
		protected++
		for _, k := range p.EduPersonPrincipalNames {
			if strings.Contains(string(data), k) {
				t.Errorf("the report holds the account of %s, who has a protected identity", p)
			}
		}
	}
	if protected == 0 {
		t.Fatal("the register has no protected identity: the check proves nothing")
	}

	broken := target(ns, "broken", "skolor")
	broken.Spec.File.Path = t.TempDir()
	broken.Spec.Report = &elevsynkv1.ReportOutput{Path: filepath.Join(out, "no-such-dir")}
	create(t, broken)
	waitForCondition(t, broken, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonReportFailed)
}
