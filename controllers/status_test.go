package controllers

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// statusRecorder is a client whose status patches are recorded: the
// Reconciling message of each patched object ("" for none) and the patch,
// in order.
type statusRecorder struct {
	client.Client // nil: only Status().Patch is called
	mu            sync.Mutex
	messages      []string
	patches       []string
}

func (r *statusRecorder) Status() client.SubResourceWriter { return recorderWriter{r} }

func (r *statusRecorder) sent() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.messages...)
}

type recorderWriter struct{ r *statusRecorder }

func (w recorderWriter) Patch(_ context.Context, obj client.Object, patch client.Patch, _ ...client.SubResourcePatchOption) error {
	data, err := patch.Data(obj)
	if err != nil {
		return err
	}
	message := ""
	if c := apimeta.FindStatusCondition(obj.(object).GetReconcileStatus().Conditions, elevsynkv1.ConditionReconciling); c != nil && c.Status == metav1.ConditionTrue {
		message = c.Message
	}
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	w.r.messages = append(w.r.messages, message)
	w.r.patches = append(w.r.patches, string(data))
	return nil
}

func (recorderWriter) Create(context.Context, client.Object, client.Object, ...client.SubResourceCreateOption) error {
	panic("not used")
}
func (recorderWriter) Update(context.Context, client.Object, ...client.SubResourceUpdateOption) error {
	panic("not used")
}
func (recorderWriter) Apply(context.Context, runtime.ApplyConfiguration, ...client.SubResourceApplyOption) error {
	panic("not used")
}

func withProgressAfter(t *testing.T, d time.Duration) {
	t.Helper()
	old := progressAfter
	progressAfter = d
	t.Cleanup(func() { progressAfter = old })
}

// A reconcile that ends before progressAfter sends no progress patch; the
// condition is still on the object, for finish to clear.
func TestProgressQuickWorkSendsNothing(t *testing.T) {
	withProgressAfter(t, 20*time.Millisecond)
	rec := &statusRecorder{}
	src := &elevsynkv1.RegisterSource{}
	work := startWork(context.Background(), rec, src, "fetching the %s", "register")
	work.end()
	time.Sleep(60 * time.Millisecond) // three times progressAfter: a timer not stopped would have fired
	if got := rec.sent(); len(got) != 0 {
		t.Errorf("progress patches after a quick reconcile: %q", got)
	}
	if !apimeta.IsStatusConditionTrue(src.Status.Conditions, elevsynkv1.ConditionReconciling) {
		t.Errorf("Reconciling=True is not on the object")
	}
}

// A reconcile that runs longer shows its progress, then each new step at
// once, and nothing after end.
func TestProgressLongWorkShowsEachStep(t *testing.T) {
	withProgressAfter(t, time.Millisecond)
	rec := &statusRecorder{}
	tg := &elevsynkv1.Target{}
	work := startWork(context.Background(), rec, tg, "observing the target")
	deadline := time.Now().Add(10 * time.Second)
	for len(rec.sent()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no progress patch after 10 s")
		}
		time.Sleep(time.Millisecond)
	}
	work.set(tg, "applying plan %s", "abc")
	work.end()
	work.set(tg, "after the end") // a caller's mistake must not send
	want := []string{"observing the target", "applying plan abc"}
	if got := rec.sent(); !slices.Equal(got, want) {
		t.Errorf("progress patches %q, want %q", got, want)
	}
}

// Work that writes shows at once, however soon it ends.
func TestProgressWritesShowAtOnce(t *testing.T) {
	withProgressAfter(t, time.Hour)
	rec := &statusRecorder{}
	tg := &elevsynkv1.Target{}
	work := startWork(context.Background(), rec, tg, "observing the target")
	work.setNow(tg, "applying plan %s", "abc")
	work.end()
	if got, want := rec.sent(), []string{"applying plan abc"}; !slices.Equal(got, want) {
		t.Errorf("progress patches %q, want %q", got, want)
	}
}

// A status that did not change is not patched; one that did is, with what
// changed only.
func TestPatchStatusOnlyChanges(t *testing.T) {
	rec := &statusRecorder{}
	src := &elevsynkv1.RegisterSource{}
	src.Status.ContentHash = "sha256:a"
	before := src.DeepCopy()
	if err := patchStatus(context.Background(), rec, src, before); err != nil {
		t.Fatal(err)
	}
	if len(rec.patches) != 0 {
		t.Fatalf("patches for an unchanged status: %q", rec.patches)
	}
	src.Status.ContentHash = "sha256:b"
	if err := patchStatus(context.Background(), rec, src, before); err != nil {
		t.Fatal(err)
	}
	if want := []string{`{"status":{"contentHash":"sha256:b"}}`}; !slices.Equal(rec.patches, want) {
		t.Errorf("patches %q, want %q", rec.patches, want)
	}
}

// Every kind's status diffs alone, whatever else differs.
func TestStatusPatchEveryKind(t *testing.T) {
	for _, obj := range []object{&elevsynkv1.Tenant{}, &elevsynkv1.RegisterSource{}, &elevsynkv1.Mapping{}, &elevsynkv1.Target{}} {
		before := obj.DeepCopyObject().(object)
		obj.SetLabels(map[string]string{"not": "status"})
		obj.GetReconcileStatus().LastHandledReconcileAt = "now"
		got, err := statusPatch(obj, before)
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"status":{"lastHandledReconcileAt":"now"}}`; string(got) != want {
			t.Errorf("%T: patch %s, want %s", obj, got, want)
		}
	}
}
