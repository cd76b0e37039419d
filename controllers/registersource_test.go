package controllers_test

import (
	"context"
	"fmt"
	"github.com/google/go-cmp/cmp"
	"net/http/httptest"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source"
)

// registerSandbox serves a generated 300-pupil municipality.
func registerSandbox(t *testing.T) (*sandbox.Server, *httptest.Server, *roster.Snapshot) {
	t.Helper()
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 7, Pupils: 300})
	srv := sandbox.New(sandbox.Options{ClientID: "elevsynk", ClientSecret: "s3cret"})
	srv.FromSnapshot(snap)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return srv, hs, snap
}

// sandboxAnnotation lets an object use plain http to the sandboxes the
// tests serve on loopback. Each object gets its own map.
func sandboxAnnotation() map[string]string {
	return map[string]string{elevsynkv1.SandboxAnnotation: "true"}
}

func registerSource(ns, baseURL string) *elevsynkv1.RegisterSource {
	src := newSource(ns, "register")
	src.Spec.SS12000.URL = baseURL + "/v2.0"
	src.Spec.SS12000.Auth.OAuth2.TokenURL = baseURL + "/token"
	src.Annotations = sandboxAnnotation()
	return src
}

func credentials(ns, id, secret string) *corev1.Secret {
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "creds"},
		StringData: map[string]string{"clientID": id, "clientSecret": secret}}
}

// requestReconcile asks for a reconcile the way `kubectl annotate` does,
// with a merge patch of the annotations (an Update of the whole object
// would also bump the generation).
func requestReconcile(t *testing.T, obj client.Object, extra map[string]string) {
	t.Helper()
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		before := obj.DeepCopyObject().(client.Object)
		a := obj.GetAnnotations()
		if a == nil {
			a = map[string]string{}
		}
		a[elevsynkv1.ReconcileRequestAnnotation] = fmt.Sprint(metav1.Now().UnixNano())
		for k, v := range extra {
			a[k] = v
		}
		obj.SetAnnotations(a)
		return k8s.Patch(context.Background(), obj, client.MergeFrom(before))
	})
}

// fetchAgain asks for a reconcile of src and waits until it has handled
// the request and is Ready from a fetch.
func fetchAgain(t *testing.T, src *elevsynkv1.RegisterSource) {
	t.Helper()
	requestReconcile(t, src, nil)
	eventually(t, func() error {
		if err := hasCondition(src, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonFetched); err != nil {
			return err
		}
		if token := src.Annotations[elevsynkv1.ReconcileRequestAnnotation]; src.Status.LastHandledReconcileAt != token {
			return fmt.Errorf("lastHandledReconcileAt %q, want %q", src.Status.LastHandledReconcileAt, token)
		}
		return nil
	})
}

func TestRegisterSourceFetchesAndGuards(t *testing.T) {
	ns := newNamespace(t)
	srv, hs, snap := registerSandbox(t)
	create(t, tenant(ns, "exempelstad"))
	create(t, credentials(ns, "elevsynk", "s3cret"))
	src := registerSource(ns, hs.URL)
	create(t, src)

	waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonFetched)
	want := snap.Counts(roster.DateOf(src.Status.LastSuccessTime.Time))
	got := src.Status.Counts
	if got == nil || int(got.Persons) != want.Persons || int(got.Groups) != want.Groups ||
		int(got.Activities) != want.Activities || int(got.SchoolUnits) != want.SchoolUnits {
		t.Fatalf("status counts %+v, want %+v", got, want)
	}
	if src.Status.ContentHash != snap.Hash() {
		t.Errorf("content hash %s, want the generated register's %s", src.Status.ContentHash, snap.Hash())
	}
	if len(src.Status.Findings) == 0 {
		t.Error("no findings, though rostergen injects faults")
	}
	goodHash, goodFindings, goodMessage := src.Status.ContentHash, src.Status.Findings, readyMessage(src)

	// Nothing changed: the incremental fetch finds it so, and the hash,
	// the findings and the message stand without a new normalisation.
	fetchAgain(t, src)
	if src.Status.ContentHash != goodHash || !cmp.Equal(src.Status.Findings, goodFindings) || readyMessage(src) != goodMessage {
		t.Errorf("a quiet register changed the status: hash %s (was %s), findings %v (were %v), message %q (was %q)",
			src.Status.ContentHash, goodHash, src.Status.Findings, goodFindings, readyMessage(src), goodMessage)
	}

	// Half the groups vanish: the guard refuses the snapshot and keeps the last good one.
	for i, g := range snap.Groups {
		if i%2 == 0 {
			if err := srv.DeleteGroup(g.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	requestReconcile(t, src, nil)
	waitForCondition(t, src, elevsynkv1.ConditionStalled, metav1.ConditionTrue, source.ReasonRegisterShrank)
	msg := readyMessage(src)
	if !strings.Contains(msg, fmt.Sprintf("groups fell from %d to %d", len(snap.Groups), len(snap.Groups)/2)) {
		t.Errorf("stall message %q does not give the counts", msg)
	}
	if src.Status.ContentHash != goodHash || int(src.Status.Counts.Groups) != len(snap.Groups) {
		t.Errorf("the refused snapshot replaced the good one: hash %s, groups %d", src.Status.ContentHash, src.Status.Counts.Groups)
	}

	// Approving that snapshot by the hash in the message makes it the good one.
	approved := msg[strings.LastIndex(msg, "=")+1:]
	requestReconcile(t, src, map[string]string{elevsynkv1.ApproveSnapshotAnnotation: approved})
	waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonFetched)
	if src.Status.ContentHash != approved || int(src.Status.Counts.Groups) != len(snap.Groups)-(len(snap.Groups)+1)/2 {
		t.Errorf("after approval: hash %s (approved %s), groups %d", src.Status.ContentHash, approved, src.Status.Counts.Groups)
	}

	// A malformed page keeps the last good snapshot and says what failed.
	srv.AddFault(sandbox.Fault{Endpoint: "persons", Kind: sandbox.FaultMalformed})
	requestReconcile(t, src, nil)
	waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonFetchFailed)
	if !strings.Contains(readyMessage(src), "persons") {
		t.Errorf("message %q does not name the endpoint", readyMessage(src))
	}
	if src.Status.ContentHash != approved {
		t.Errorf("a failed fetch changed the content hash")
	}
	srv.ClearFaults()
}

func TestRegisterSourceCredentialProblems(t *testing.T) {
	_, hs, _ := registerSandbox(t)
	tests := []struct {
		name       string
		secret     *corev1.Secret
		wantReason string
		wantStall  bool
		wantText   string
	}{
		{"no Secret", nil, controllers.ReasonSecretNotFound, false, `"creds" not found`},
		{"Secret without clientSecret", &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "creds"},
			StringData: map[string]string{"clientID": "elevsynk"}}, controllers.ReasonSecretNotFound, true, `Secret "creds" has no [clientSecret]`},
		{"wrong secret", credentials("", "elevsynk", "wrong"), controllers.ReasonAuthenticationFailed, true, "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ns := newNamespace(t)
			create(t, tenant(ns, "exempelstad"))
			if tt.secret != nil {
				tt.secret.Namespace = ns
				create(t, tt.secret)
			}
			src := registerSource(ns, hs.URL)
			create(t, src)
			waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionFalse, tt.wantReason)
			if msg := readyMessage(src); !strings.Contains(msg, tt.wantText) {
				t.Errorf("message %q does not say %q", msg, tt.wantText)
			}
			if tt.wantStall {
				waitForCondition(t, src, elevsynkv1.ConditionStalled, metav1.ConditionTrue, tt.wantReason)
			}
			if strings.Contains(readyMessage(src), "s3cret") || strings.Contains(readyMessage(src), "wrong") {
				t.Errorf("message %q shows a secret", readyMessage(src))
			}
		})
	}
}
