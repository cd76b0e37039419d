package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/controlplane"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
	regsandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source"
)

// world is one tenant in its own namespace: the register and Graph
// sandboxes serving a generated municipality, and the sample objects
// pointed at them.
type world struct {
	ns     string
	graph  *graphsandbox.Server
	source *elevsynkv1.RegisterSource
	tenant *elevsynkv1.Tenant
	mapper *elevsynkv1.Mapping
	target *elevsynkv1.Target
	// secrets by name, as the objects name them.
	secrets  map[string]map[string][]byte
	waitedAt time.Time // since when the Mapping or Target has waited
}

// sample Secret credentials of the register (config/samples/registersource.yaml).
const registerClientID, registerClientSecret = "elevsynk", "sandbox-secret"

// newWorld serves the sandboxes and applies the samples' Tenant,
// RegisterSource, Mapping and microsoft365 Target (mode Apply) in ns.
// onWrite is the Graph sandbox's write hook.
func newWorld(t *testing.T, ns string, seed int64, pupils int, onWrite func(int)) *world {
	t.Helper()
	snap, _ := rostergen.Generate(rostergen.Config{Seed: seed, Pupils: pupils})
	reg := regsandbox.New(regsandbox.Options{ClientID: registerClientID, ClientSecret: registerClientSecret})
	reg.FromSnapshot(snap)
	regSrv := httptest.NewServer(reg)
	t.Cleanup(regSrv.Close)
	w := &world{ns: ns, graph: graphsandbox.New(graphsandbox.Options{Users: usersOf(snap), OnWrite: onWrite}),
		secrets: map[string]map[string][]byte{}}
	graphSrv := httptest.NewServer(w.graph)
	t.Cleanup(graphSrv.Close)

	set, err := manifests.Read(filepath.Join(controlplane.Root(), "config", "samples"), cp.Scheme)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := cp.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		t.Fatal(err)
	}
	for _, o := range set.Objects {
		obj, ok := o.Object.(client.Object)
		if !ok {
			continue
		}
		switch v := obj.(type) {
		case *corev1.Namespace:
			continue
		case *corev1.Secret:
			if strings.HasPrefix(v.Name, "google") {
				continue
			}
			w.secrets[v.Name] = map[string][]byte{}
			for k, s := range v.StringData {
				w.secrets[v.Name][k] = []byte(s)
			}
		case *elevsynkv1.Tenant:
			w.tenant = v
		case *elevsynkv1.RegisterSource:
			v.Spec.SS12000.URL = regSrv.URL + "/v2.0"
			v.Spec.SS12000.Auth.OAuth2.TokenURL = regSrv.URL + "/token"
			w.source = v
		case *elevsynkv1.Mapping:
			w.mapper = v
		case *elevsynkv1.Target:
			if v.Spec.Microsoft365 == nil {
				continue
			}
			v.Spec.Microsoft365.Endpoint = graphSrv.URL
			w.target = v
		}
		obj.SetNamespace(ns)
		if err := cp.Client.Create(ctx, obj); err != nil {
			t.Fatalf("creating %T %s: %v", obj, obj.GetName(), err)
		}
	}
	if w.source == nil || w.tenant == nil || w.mapper == nil || w.target == nil {
		t.Fatal("config/samples lacks the Tenant, RegisterSource, Mapping or microsoft365 Target")
	}
	// The next test's managers watch every namespace: this tenant, its
	// sandboxes gone, must not keep their workers busy.
	t.Cleanup(func() {
		for _, obj := range []client.Object{w.target, w.mapper, w.source, w.tenant} {
			if err := cp.Client.Delete(context.Background(), obj); err != nil {
				t.Errorf("deleting %T %s: %v", obj, obj.GetName(), err)
			}
		}
	})
	if !elevsynkv1.IsSandbox(w.source) || !elevsynkv1.IsSandbox(w.target) {
		t.Fatalf("the samples' RegisterSource and Target must carry %s=true", elevsynkv1.SandboxAnnotation)
	}
	return w
}

// usersOf is the Graph directory of the municipality's people, as
// `elevsynk sandbox` serves it.
func usersOf(snap *roster.Snapshot) []graphsandbox.User {
	var users []graphsandbox.User
	for _, p := range snap.Persons {
		for _, k := range p.EduPersonPrincipalNames {
			users = append(users, graphsandbox.User{UserPrincipalName: k, Mail: k, DisplayName: p.GivenName + " " + p.FamilyName})
		}
	}
	return users
}

// desiredNow is what the Target should hold, computed here as `elevsynk
// desired` does (the register read through the SS 12000 client, the
// Mapping evaluated, the rooms fitted to the Target), not by the manager.
func (w *world) desiredNow(t *testing.T) desired.State {
	t.Helper()
	ctx := context.Background()
	f, err := source.New(ctx, w.source, w.secretsOf, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Fetch(ctx, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := mapping.Compile(w.mapper.Spec, mapping.TenantOptions(w.tenant.Spec))
	if err != nil {
		t.Fatal(err)
	}
	st, _, err := prog.Evaluate(res.Snapshot, nil, roster.DateOf(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return platform.Prepare(st, nil, &w.target.Spec).Want
}

func (w *world) secretsOf(_ context.Context, name string) (map[string][]byte, error) {
	return w.secrets[name], nil
}

// remaining observes the sandbox with an adapter of its own and plans
// against want: an empty plan is a converged tenant, every room there
// with exactly its members and owners.
func (w *world) remaining(t *testing.T, want desired.State) plan.Plan {
	t.Helper()
	ctx := context.Background()
	tg, err := platform.Connect(ctx, w.target, w.secrets[platform.SecretName(&w.target.Spec)])
	if err != nil {
		t.Fatal(err)
	}
	have, err := tg.Observe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	prep := platform.Prepare(want, have, &w.target.Spec)
	return plan.Compute(prep.Want, prep.Have, w.target.Spec.Policy, roster.DateOf(time.Now()))
}

// targetReady reports the Target's Ready reason and status.
func (w *world) targetReady(t *testing.T) (string, bool) {
	t.Helper()
	var tg elevsynkv1.Target
	if err := cp.Client.Get(context.Background(), client.ObjectKeyFromObject(w.target), &tg); err != nil {
		t.Fatal(err)
	}
	return readyReason(&tg)
}

// noLostTrigger fails the test when the Mapping or the Target has waited
// lostTriggerAfter for a snapshot or desired rooms: after a restart or a
// failover they may evaluate before the RegisterSource has fetched (or
// the Mapping evaluated) and wait, and the data landing in memory must
// wake them, though the status written with it equals the previous
// process's. Call it about once a second.
func (w *world) noLostTrigger(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	waiting := ""
	for _, c := range []struct {
		obj    client.Object
		reason string
	}{{w.mapper, controllers.ReasonNoSnapshot}, {w.target, controllers.ReasonNoDesired}} {
		if err := cp.Client.Get(ctx, client.ObjectKeyFromObject(c.obj), c.obj); err != nil {
			t.Fatal(err)
		}
		// A reconcile in progress (Reconciling=True) shows the last
		// outcome until it ends: it is working, not waiting.
		if reason, _ := readyReason(c.obj); reason == c.reason && !reconciling(c.obj) {
			waiting = fmt.Sprintf("%T %s", c.obj, reason)
		}
	}
	switch {
	case waiting == "":
		w.waitedAt = time.Time{}
	case w.waitedAt.IsZero():
		w.waitedAt = time.Now()
	case time.Since(w.waitedAt) > lostTriggerAfter:
		t.Fatalf("lost trigger: %s for %s", waiting, lostTriggerAfter)
	}
}

// readyReason is an object's Ready reason and status.
func readyReason(obj client.Object) (string, bool) {
	c := apimeta.FindStatusCondition(conditionsOf(obj), elevsynkv1.ConditionReady)
	if c == nil {
		return "", false
	}
	return c.Reason, c.Status == metav1.ConditionTrue
}

// reconciling says whether obj's controller is working on it now.
func reconciling(obj client.Object) bool {
	return apimeta.IsStatusConditionTrue(conditionsOf(obj), elevsynkv1.ConditionReconciling)
}

func conditionsOf(obj client.Object) []metav1.Condition {
	if o, ok := obj.(interface {
		GetReconcileStatus() *elevsynkv1.ReconcileStatus
	}); ok {
		return o.GetReconcileStatus().Conditions
	}
	return nil
}
