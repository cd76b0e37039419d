package controllers_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/controlplane"
)

var (
	env *controlplane.Env
	k8s client.Client
)

// shardLabel splits objects between the suite's manager and the one the
// sharding test starts.
const shardLabel = "sharding.elevsynk.io/key"

func TestMain(m *testing.M) {
	logs := io.Discard // controller logs only when asked for
	if os.Getenv("ELEVSYNK_TEST_LOGS") != "" {
		logs = os.Stderr
	}
	logf.SetLogger(zap.New(zap.WriteTo(logs)))
	var err error
	env, err = controlplane.Start("")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	k8s = env.Client
	ctx, cancel := context.WithCancel(context.Background())
	stop, err := startManager(ctx, shardLabel+" notin (b),!"+testManagerLabel)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	cancel()
	<-stop
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping envtest:", err)
	}
	os.Exit(code)
}

// startManager starts a manager for the objects selector matches, in
// namespaces only if any are given (the namespaced install mode).
func startManager(ctx context.Context, selector string, namespaces ...string) (<-chan struct{}, error) {
	mgr, err := controllers.NewManager(env.Config, env.Scheme, controllers.ManagerOptions{
		MetricsAddr: "0", ProbeAddr: "0", WatchLabelSelector: selector, SkipNameValidation: true, WatchNamespaces: namespaces,
	})
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := mgr.Start(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "manager:", err)
		}
	}()
	return done, nil
}

// newNamespace gives each test a tenant of its own.
func newNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "tenant-"}}
	if err := k8s.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

func create(t *testing.T, obj client.Object) {
	t.Helper()
	if err := k8s.Create(context.Background(), obj); err != nil {
		t.Fatalf("creating %T %s: %v", obj, obj.GetName(), err)
	}
}

// eventually polls check until it returns nil or the deadline passes; the
// deadline is generous because it bounds a wait, it asserts no speed.
func eventually(t *testing.T, check func() error) {
	t.Helper()
	eventuallyWithin(t, 30*time.Second, check)
}

// eventuallyWithin is eventually with a deadline of d.
func eventuallyWithin(t *testing.T, d time.Duration, check func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type statusObject interface {
	client.Object
	GetReconcileStatus() *elevsynkv1.ReconcileStatus
}

// waitForCondition waits until obj has the condition with status and reason,
// observed at the object's current generation, and leaves obj as read.
//
// A failure (Stalled, or Ready=False for any reason but progress) must also
// have been recorded as a Warning event on obj, so every test that sees a
// failure checks that `kubectl describe` shows it.
func waitForCondition(t *testing.T, obj statusObject, condType string, status metav1.ConditionStatus, reason string) {
	t.Helper()
	eventually(t, func() error { return hasCondition(obj, condType, status, reason) })
	if condType == elevsynkv1.ConditionStalled && status == metav1.ConditionTrue ||
		condType == elevsynkv1.ConditionReady && status == metav1.ConditionFalse && !progress[reason] {
		eventually(t, func() error { return hasWarning(obj, reason) })
	}
}

// progress are the Ready=False reasons of an object waiting for another
// controller's work; they record no event.
var progress = map[string]bool{
	controllers.ReasonNoSnapshot: true, controllers.ReasonNoDesired: true, controllers.ReasonNoTargets: true,
	elevsynkv1.ReasonDependencyNotReady: true,
}

// hasWarning says whether a Warning event of reason regards obj, and that
// its note holds no address (the privacy rule for events).
func hasWarning(obj client.Object, reason string) error {
	var list eventsv1.EventList
	if err := k8s.List(context.Background(), &list, client.InNamespace(obj.GetNamespace())); err != nil {
		return err
	}
	for _, e := range list.Items {
		if e.Regarding.UID == obj.GetUID() && e.Type == corev1.EventTypeWarning && e.Reason == reason {
			if strings.Contains(e.Note, "@") {
				return fmt.Errorf("%s: the %s event's note holds an address", obj.GetName(), reason)
			}
			return nil
		}
	}
	return fmt.Errorf("%s/%s: no Warning event with reason %s", obj.GetNamespace(), obj.GetName(), reason)
}

// hasCondition reads obj and says how it differs from having the condition
// with status and reason at its current generation.
func hasCondition(obj statusObject, condType string, status metav1.ConditionStatus, reason string) error {
	key := client.ObjectKeyFromObject(obj)
	if err := k8s.Get(context.Background(), key, obj); err != nil {
		return err
	}
	st := obj.GetReconcileStatus()
	if st.ObservedGeneration != obj.GetGeneration() {
		return fmt.Errorf("%s: observedGeneration %d, generation %d", key, st.ObservedGeneration, obj.GetGeneration())
	}
	c := apimeta.FindStatusCondition(st.Conditions, condType)
	if c == nil || c.Status != status || c.Reason != reason {
		return fmt.Errorf("%s: condition %s is %+v, want status %s reason %s", key, condType, c, status, reason)
	}
	if c.ObservedGeneration != obj.GetGeneration() {
		return fmt.Errorf("%s: condition %s observedGeneration %d, generation %d", key, condType, c.ObservedGeneration, obj.GetGeneration())
	}
	return nil
}
