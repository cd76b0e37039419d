package main

import (
	"context"
	"fmt"
	"os"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
)

var sdsKey = client.ObjectKey{Namespace: "exempelstad", Name: "school-data-sync"}

// sdsStory adds a School Data Sync Target in mode Plan, then Apply, against
// the SDS sandbox beside the Graph one: the class rooms go as an SDS v2.1
// file set through Graph beta industryData, and SDS's run is read back.
func (d *demo) sdsStory(ctx context.Context, sb *sandboxes) error {
	dir, err := os.MkdirTemp("", "elevsynk-sds-")
	if err != nil {
		return err
	}
	d.step("The administrator adds a School Data Sync Target in mode Plan (SDS v2.1 CSV files in %s, uploaded through Graph beta industryData)", dir)
	tg := &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: sdsKey.Namespace, Name: sdsKey.Name,
		Annotations: map[string]string{elevsynkv1.SandboxAnnotation: "true"}},
		Spec: elevsynkv1.TargetSpec{MappingRef: elevsynkv1.LocalReference{Name: mapKey.Name}, Mode: elevsynkv1.ModePlan,
			SchoolDataSync: &elevsynkv1.SchoolDataSyncTarget{Path: dir, Upload: &elevsynkv1.SchoolDataSyncUpload{
				Endpoint: d.urls["graph"], AuthorityHost: d.urls["graph"] + "/", TenantID: graphTenantID,
				Auth: elevsynkv1.Microsoft365Auth{ClientSecret: &elevsynkv1.SecretReference{Name: "graph-credentials"}}}}}}
	if err := d.c.Create(ctx, tg); err != nil {
		return err
	}
	if err := d.waitFor(ctx, sdsKey, tg, func() bool { return readyReason(tg) == controllers.ReasonPlanned }); err != nil {
		return err
	}
	d.say("%s", readyMessage(tg))
	if c := sb.sds.Counts(); c.Uploads != 0 {
		return fmt.Errorf("mode Plan uploaded %d file sets to SDS", c.Uploads)
	}

	d.step("The administrator sets the School Data Sync Target to mode Apply")
	if err := d.patch(ctx, sdsKey, tg, func() { tg.Spec.Mode = elevsynkv1.ModeApply }); err != nil {
		return err
	}
	if err := d.waitFor(ctx, sdsKey, tg, func() bool {
		st := tg.Status.SchoolDataSync
		return readyReason(tg) == controllers.ReasonApplied && st != nil && st.LastRun != nil && st.LastRun.Status != "running"
	}); err != nil {
		return err
	}
	d.say("%s", readyMessage(tg))
	st, c := tg.Status.SchoolDataSync, sb.sds.Counts()
	r := st.LastRun
	d.say("SDS run %s: %s; %d organisations, %d people (%d unmatched), %d class groups, %d memberships, %d errors",
		r.ID, r.Status, r.Organizations, r.People, r.UnmatchedPeople, r.Groups, r.Memberships, r.Errors)
	d.say("in the SDS sandbox: %d upload, %d bytes, %d requests (%d throttled); content hash %s", c.Uploads, c.Bytes, c.Requests, c.Throttled, short(st.ContentHash))
	if r.Status != "completed" || c.Uploads != 1 {
		return fmt.Errorf("SDS run %s is %s after %d uploads, want one completed", r.ID, r.Status, c.Uploads)
	}
	return nil
}
