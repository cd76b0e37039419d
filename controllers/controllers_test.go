package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
)

func tenant(ns, name string) *elevsynkv1.Tenant {
	return &elevsynkv1.Tenant{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: elevsynkv1.TenantSpec{DisplayName: "Exempelstad"}}
}

func newSource(ns, name string) *elevsynkv1.RegisterSource {
	return &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: elevsynkv1.RegisterSourceSpec{SS12000: &elevsynkv1.SS12000Source{
			URL: "https://register.example/v2.0",
			Auth: elevsynkv1.SS12000Auth{OAuth2: &elevsynkv1.OAuth2ClientCredentials{
				TokenURL: "https://register.example/token", SecretRef: elevsynkv1.SecretReference{Name: "creds"}}},
		}}}
}

func mapping(ns, name string, sources ...string) *elevsynkv1.Mapping {
	m := &elevsynkv1.Mapping{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: elevsynkv1.MappingSpec{Rules: []elevsynkv1.Rule{{Name: "klasser", From: elevsynkv1.RegisterGroup,
			Room: elevsynkv1.RoomTemplate{Kind: elevsynkv1.RoomTeam, Name: "{{ .Group.DisplayName }}"}}}}}
	for _, s := range sources {
		m.Spec.SourceRefs = append(m.Spec.SourceRefs, elevsynkv1.LocalReference{Name: s})
	}
	return m
}

func target(ns, name, mappingName string) *elevsynkv1.Target {
	return &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: elevsynkv1.TargetSpec{MappingRef: elevsynkv1.LocalReference{Name: mappingName},
			File: &elevsynkv1.FileTarget{Path: "/data/rooms"}}}
}

func readyMessage(obj interface {
	GetReconcileStatus() *elevsynkv1.ReconcileStatus
}) string {
	c := apimeta.FindStatusCondition(obj.GetReconcileStatus().Conditions, elevsynkv1.ConditionReady)
	if c == nil {
		return ""
	}
	return c.Message
}

func TestObjectsWaitForTheirTenant(t *testing.T) {
	ns := newNamespace(t)
	src := newSource(ns, "register")
	create(t, src)
	waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionFalse, elevsynkv1.ReasonTenantNotFound)
	if msg := readyMessage(src); !strings.Contains(msg, "has no Tenant") {
		t.Errorf("message %q does not say the Tenant is missing", msg)
	}

	// Applying the Tenant re-queues the source without any change to it; it
	// then waits for its credentials.
	create(t, tenant(ns, "exempelstad"))
	waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonSecretNotFound)
}

// A Target whose Mapping does not exist yet works again when the Mapping
// is created, though the Mapping has no rooms yet: before, the create event
// woke it but its pacer saw the same inputs and kept it waiting its interval.
func TestTargetWakesWhenItsMappingAppears(t *testing.T) {
	ns := newNamespace(t)
	create(t, tenant(ns, "exempelstad"))
	tg := target(ns, "rooms", "skolor")
	create(t, tg)
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionFalse, elevsynkv1.ReasonDependencyMissing)

	create(t, mapping(ns, "skolor", "register"))
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoDesired)
}

func TestMissingReferencesAreNamed(t *testing.T) {
	ns := newNamespace(t)
	create(t, tenant(ns, "exempelstad"))
	m := mapping(ns, "skolor", "register")
	tg := target(ns, "rooms", "skolor-typo")
	create(t, m)
	create(t, tg)

	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionFalse, elevsynkv1.ReasonDependencyMissing)
	if want := `RegisterSource "register" does not exist in namespace ` + ns; readyMessage(m) != want {
		t.Errorf("mapping message %q, want %q", readyMessage(m), want)
	}
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionFalse, elevsynkv1.ReasonDependencyMissing)
	if want := `Mapping "skolor-typo" does not exist in namespace ` + ns; readyMessage(tg) != want {
		t.Errorf("target message %q, want %q", readyMessage(tg), want)
	}

	// Creating the source re-queues the mapping through the source watch;
	// it then waits for the source's first snapshot, which cannot come
	// without credentials, and says why.
	create(t, newSource(ns, "register"))
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoSnapshot)
	if msg := readyMessage(m); !strings.Contains(msg, `waiting for RegisterSource "register" to fetch a snapshot`) {
		t.Errorf("mapping message %q does not say what it waits for", msg)
	}

	// Fixing the target's reference is a spec change: a new generation observed.
	tg.Spec.MappingRef.Name = "skolor"
	if err := k8s.Update(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoDesired)
	if msg := readyMessage(tg); !strings.Contains(msg, `waiting for Mapping "skolor" to evaluate its rules`) {
		t.Errorf("target message %q does not say what it waits for", msg)
	}
	if tg.Generation != 2 || tg.Status.ObservedGeneration != 2 {
		t.Errorf("generation %d observed %d, want both 2", tg.Generation, tg.Status.ObservedGeneration)
	}
}

func TestTenantAggregatesItsObjects(t *testing.T) {
	ns := newNamespace(t)
	tn := tenant(ns, "exempelstad")
	create(t, tn)
	waitForCondition(t, tn, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoTargets)

	create(t, newSource(ns, "register"))
	create(t, mapping(ns, "skolor", "register"))
	create(t, target(ns, "rooms", "skolor"))
	create(t, target(ns, "plan", "skolor"))
	want := elevsynkv1.TenantStatus{
		Sources:  elevsynkv1.ObjectCounts{Total: 1},
		Mappings: elevsynkv1.ObjectCounts{Total: 1},
		Targets:  elevsynkv1.ObjectCounts{Total: 2},
	}
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(tn), tn); err != nil {
			return err
		}
		got := elevsynkv1.TenantStatus{Sources: tn.Status.Sources, Mappings: tn.Status.Mappings, Targets: tn.Status.Targets}
		if d := cmp.Diff(want, got); d != "" {
			return fmt.Errorf("tenant counts (-want +got):\n%s", d)
		}
		return nil
	})
	waitForCondition(t, tn, elevsynkv1.ConditionReady, metav1.ConditionFalse, elevsynkv1.ReasonDependencyNotReady)
	waitForCondition(t, tn, elevsynkv1.ConditionDriftDetected, metav1.ConditionFalse, "InSync")
	if want := "0/1 sources, 0/1 mappings, 0/2 targets ready; 0 rooms, 0 drifted"; readyMessage(tn) != want {
		t.Errorf("tenant message %q, want %q", readyMessage(tn), want)
	}
}

func TestSecondTenantStallsBoth(t *testing.T) {
	ns := newNamespace(t)
	first, second := tenant(ns, "first"), tenant(ns, "second")
	create(t, first)
	waitForCondition(t, first, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoTargets)
	create(t, second)
	for _, tn := range []*elevsynkv1.Tenant{first, second} {
		waitForCondition(t, tn, elevsynkv1.ConditionStalled, metav1.ConditionTrue, controllers.ReasonTooManyTenants)
		waitForCondition(t, tn, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonTooManyTenants)
	}
	// Removing one lifts the stall on the other.
	if err := k8s.Delete(context.Background(), second); err != nil {
		t.Fatal(err)
	}
	waitForCondition(t, first, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoTargets)
	if c := apimeta.FindStatusCondition(first.Status.Conditions, elevsynkv1.ConditionStalled); c != nil {
		t.Errorf("Stalled still present after the second Tenant went: %+v", c)
	}
}

func TestReconcileRequestIsEchoed(t *testing.T) {
	ns := newNamespace(t)
	create(t, tenant(ns, "exempelstad"))
	src := newSource(ns, "register")
	create(t, src)
	waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonSecretNotFound)

	token := time.Now().UTC().Format(time.RFC3339Nano)
	src.Annotations = map[string]string{elevsynkv1.ReconcileRequestAnnotation: token}
	if err := k8s.Update(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(src), src); err != nil {
			return err
		}
		if src.Status.LastHandledReconcileAt != token {
			return fmt.Errorf("lastHandledReconcileAt %q, want %q", src.Status.LastHandledReconcileAt, token)
		}
		return nil
	})
}

func TestWatchLabelSelectorShards(t *testing.T) {
	ns := newNamespace(t)
	tn := tenant(ns, "exempelstad")
	tn.Labels = map[string]string{shardLabel: "b"}
	create(t, tn)

	// The suite's manager watches everything but shard b: it leaves this
	// Tenant alone.
	time.Sleep(2 * time.Second)
	if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(tn), tn); err != nil {
		t.Fatal(err)
	}
	if len(tn.Status.Conditions) != 0 {
		t.Fatalf("a manager outside shard b reconciled it: %+v", tn.Status.Conditions)
	}

	ctx, cancel := context.WithCancel(context.Background())
	stop, err := startManager(ctx, shardLabel+"=b")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); <-stop })
	waitForCondition(t, tn, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoTargets)
}

// In the namespaced install mode the manager sees only its tenant
// namespaces: a Tenant elsewhere is left alone.
func TestWatchNamespaces(t *testing.T) {
	mine, other := newNamespace(t), newNamespace(t)
	id := "namespaced"
	inMine, inOther := labelled(tenant(mine, "exempelstad"), id), labelled(tenant(other, "grannstad"), id)
	create(t, inMine)
	create(t, inOther)
	ctx, cancel := context.WithCancel(context.Background())
	stop, err := startManager(ctx, testManagerLabel+"="+id, mine)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); <-stop })
	waitForCondition(t, inMine, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoTargets)
	time.Sleep(2 * time.Second)
	if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(inOther), inOther); err != nil {
		t.Fatal(err)
	}
	if len(inOther.Status.Conditions) != 0 {
		t.Fatalf("a manager watching %s reconciled a Tenant in %s: %+v", mine, other, inOther.Status.Conditions)
	}
}

// The stalls no other test reaches each show as a Warning event on the
// object (waitForCondition checks the event): a Unikum source whose id key
// is too short to key pseudonyms, a manual source named as the primary
// one, and a Target whose endpoint the connector refuses.
func TestStallsAreWarningEvents(t *testing.T) {
	ns, _, _ := school(t)
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "unikum-id-key"}, StringData: map[string]string{"idKey": "short"}})
	shortKey := &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "unikum"},
		Spec: elevsynkv1.RegisterSourceSpec{Unikum: &elevsynkv1.UnikumSource{FileSource: elevsynkv1.FileSource{URL: "https://register.example/export.txt"},
			IDKeySecretRef: elevsynkv1.SecretReference{Name: "unikum-id-key"}}}}
	create(t, shortKey)
	manualFirst := mapping(ns, "manuell", "extra", "register")
	create(t, manualFirst)
	refused := &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "refused"},
		Spec: elevsynkv1.TargetSpec{MappingRef: elevsynkv1.LocalReference{Name: "skolor"}, Mode: elevsynkv1.ModePlan,
			Microsoft365: &elevsynkv1.Microsoft365Target{Endpoint: "http://127.0.0.1:1", TenantID: "11111111-2222-3333-4444-555555555555",
				Auth: elevsynkv1.Microsoft365Auth{WorkloadIdentity: &elevsynkv1.WorkloadIdentity{ClientID: "app"}}}}}
	create(t, refused)

	waitForCondition(t, shortKey, elevsynkv1.ConditionStalled, metav1.ConditionTrue, elevsynkv1.ReasonInvalidSpec)
	if msg := readyMessage(shortKey); !strings.Contains(msg, "spec.unikum.idKeySecretRef") || !strings.Contains(msg, "at least 32") {
		t.Errorf("message %q does not say the key is too short", msg)
	}
	waitForCondition(t, manualFirst, elevsynkv1.ConditionStalled, metav1.ConditionTrue, elevsynkv1.ReasonInvalidSpec)
	waitForCondition(t, refused, elevsynkv1.ConditionStalled, metav1.ConditionTrue, controllers.ReasonConnectFailed)
}
