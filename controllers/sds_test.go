package controllers_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	sdssandbox "github.com/elevsynk/elevsynk/internal/sandbox/sds"
)

// A schoolDataSync Target writes the SDS v2.1 set and uploads it through
// the industryData sandbox, whose validation run succeeds; an unchanged
// register uploads nothing new; a plan that would drop every class is
// held by the deletion guard with its hash, and nothing is uploaded.
func TestSchoolDataSyncTarget(t *testing.T) {
	ns, m, _ := school(t)
	sb := sdssandbox.New(sdssandbox.Options{RunPolls: 1})
	hs := httptest.NewServer(sb)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	tg := target(ns, "sds", "skolor")
	tg.Annotations = sandboxAnnotation()
	tg.Spec.File = nil
	tg.Spec.Mode = elevsynkv1.ModeApply
	tg.Spec.SchoolDataSync = &elevsynkv1.SchoolDataSyncTarget{Path: dir, Upload: &elevsynkv1.SchoolDataSyncUpload{
		Endpoint: hs.URL, TenantID: "11111111-2222-3333-4444-555555555555",
		Auth: elevsynkv1.Microsoft365Auth{ClientSecret: &elevsynkv1.SecretReference{Name: "creds"}}}}
	create(t, tg)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)

	st := tg.Status.SchoolDataSync
	if st == nil || st.LastRun == nil || st.LastRun.Status != "completed" || st.LastRun.Errors != 0 || st.UploadedHash != st.ContentHash || st.Classes == 0 {
		t.Fatalf("status.schoolDataSync %+v, run %+v: want a completed run of the set written", st, st.LastRun)
	}
	if c := sb.Counts(); c.Uploads != 1 || c.SourceSystems != 1 || c.Flows != 1 {
		t.Fatalf("sandbox counts %+v", c)
	}
	for _, f := range []string{"orgs.csv", "users.csv", "roles.csv", "classes.csv", "enrollments.csv", "academicSessions.csv", "courses.csv"} {
		fi, err := os.Stat(filepath.Join(dir, ns+"-sds", f))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", f, fi.Mode().Perm())
		}
	}
	if tg.Status.Inventory.Missing == 0 {
		t.Errorf("inventory %+v", tg.Status.Inventory)
	}

	// Another sync with nothing changed: in sync, and no upload.
	hash := st.ContentHash
	requestReconcile(t, tg, nil)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonInSync)
	if c := sb.Counts(); c.Uploads != 1 {
		t.Errorf("an unchanged sync uploaded again: %d uploads", c.Uploads)
	}
	if got := tg.Status.SchoolDataSync; got == nil || got.UploadedHash != hash {
		t.Errorf("uploaded hash %+v, want %s", got, hash)
	}

	// The teaching rule goes: every class would be dropped from the
	// snapshot, past the default guard. Nothing is uploaded.
	change(t, m, func(m *elevsynkv1.Mapping) { m.Spec.Rules = m.Spec.Rules[1:] })
	waitForCondition(t, tg, elevsynkv1.ConditionStalled, metav1.ConditionTrue, controllers.ReasonDeletionGuard)
	if tg.Status.LastPlan.BlockedBy != controllers.ReasonDeletionGuard || tg.Status.LastPlan.Archives == 0 {
		t.Errorf("last plan %+v: want archives blocked by the guard", tg.Status.LastPlan)
	}
	if c := sb.Counts(); c.Uploads != 1 {
		t.Errorf("a guarded plan uploaded: %d uploads", c.Uploads)
	}
}
