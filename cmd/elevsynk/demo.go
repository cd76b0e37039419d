package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/controlplane"
	"github.com/elevsynk/elevsynk/internal/manifests"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source"
)

// runDemo starts a local control plane and the register sandbox, applies the
// sample tenant, runs the manager and tells what happens, step by step.
func runDemo(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	var g genFlags
	g.register(fs)
	samples := fs.String("f", "config/samples", "directory of the tenant's manifests")
	crds := fs.String("crds", "config/crd/bases", "directory of the CRDs to install")
	timeout := fs.Duration("timeout", 3*time.Minute, "how long to wait for each step")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The story prints what matters from status; the manager's logs stay out of it.
	logf.SetLogger(logr.Discard())
	d := &demo{out: out, timeout: *timeout}

	d.step("Starting the SS 12000 register sandbox with a generated municipality of %d pupils", g.pupils)
	reg, err := g.server(sandbox.Options{ClientID: sandboxClientID, ClientSecret: sandboxClientSecret})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { _ = serve(ctx, ln, reg) }()
	regURL := "http://" + ln.Addr().String()

	d.step("Starting a local control plane (kube-apiserver and etcd) and installing the CRDs")
	cp, err := controlplane.Start(*crds)
	if err != nil {
		return err
	}
	defer func() {
		cancel()
		_ = cp.Stop()
		d.step("Stopped the manager, the control plane and the sandbox")
	}()

	d.step("Applying the sample tenant from %s (register URLs pointed at the sandbox)", *samples)
	set, err := manifests.Read(*samples, cp.Scheme)
	if err != nil {
		return err
	}
	if err := applyAll(ctx, cp.Client, set, regURL); err != nil {
		return err
	}

	d.step("Running the manager")
	mgr, err := controllers.NewManager(cp.Config, cp.Scheme, controllers.ManagerOptions{MetricsAddr: "0", ProbeAddr: "0"})
	if err != nil {
		return err
	}
	go func() { _ = mgr.Start(ctx) }()

	src := &elevsynkv1.RegisterSource{}
	key := client.ObjectKey{Namespace: "exempelstad", Name: "register"}
	if err := d.waitFor(ctx, cp.Client, key, src, func() bool { return isTrue(src, elevsynkv1.ConditionReady) }); err != nil {
		return err
	}
	d.step("The register was fetched")
	c := src.Status.Counts
	fmt.Fprintf(out, "    %d school units, %d persons (%d students, %d staff), %d groups, %d duties, %d activities, %d syllabuses\n",
		c.SchoolUnits, c.Persons, c.Students, c.Staff, c.Groups, c.Duties, c.Activities, c.Syllabuses)
	fmt.Fprintf(out, "    content hash %s\n    data-quality findings (counts only, never who):\n", src.Status.ContentHash)
	for _, f := range src.Status.Findings {
		fmt.Fprintf(out, "      %-24s %d\n", f.Reason, f.Count)
	}
	// Give the tenant a moment to aggregate what its objects report.
	time.Sleep(time.Second)
	if err := d.summary(ctx, cp.Client); err != nil {
		return err
	}

	d.step("The register loses half its groups (a broken export): the source guard refuses it")
	st := reg.Snapshot()
	ids := make([]string, 0, len(st.Groups))
	for id := range st.Groups {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids[:len(ids)/2] {
		if err := reg.DeleteGroup(id); err != nil {
			return err
		}
	}
	goodHash := src.Status.ContentHash
	if err := requestReconcile(ctx, cp.Client, src); err != nil {
		return err
	}
	if err := d.waitFor(ctx, cp.Client, key, src, func() bool {
		stalled := apimeta.FindStatusCondition(src.Status.Conditions, elevsynkv1.ConditionStalled)
		return stalled != nil && stalled.Reason == source.ReasonRegisterShrank
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "    Stalled: %s\n", readyMessage(src))
	fmt.Fprintf(out, "    the last good snapshot stays in use: content hash still %s\n", src.Status.ContentHash)
	if src.Status.ContentHash != goodHash {
		return fmt.Errorf("the refused snapshot replaced the last good one")
	}
	return d.summary(ctx, cp.Client)
}

type demo struct {
	out     io.Writer
	timeout time.Duration
	n       int
}

func (d *demo) step(format string, args ...any) {
	d.n++
	fmt.Fprintf(d.out, "\n%d. %s\n", d.n, fmt.Sprintf(format, args...))
}

// waitFor polls obj until done is true, bounded by the demo's timeout.
func (d *demo) waitFor(ctx context.Context, c client.Client, key client.ObjectKey, obj client.Object, done func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	for {
		if err := c.Get(ctx, key, obj); err == nil && done() {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s %s: %w (Ready: %q)", obj.GetObjectKind().GroupVersionKind().Kind, key, ctx.Err(), readyMessage(obj))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// summary prints every elevsynk object's Ready condition.
func (d *demo) summary(ctx context.Context, c client.Client) error {
	var (
		tenants  elevsynkv1.TenantList
		sources  elevsynkv1.RegisterSourceList
		mappings elevsynkv1.MappingList
		targets  elevsynkv1.TargetList
	)
	tw := tabwriter.NewWriter(d.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "    KIND\tNAME\tREADY\tREASON\tMESSAGE")
	for _, l := range []client.ObjectList{&tenants, &sources, &mappings, &targets} {
		if err := c.List(ctx, l); err != nil {
			return err
		}
		items, _ := apimeta.ExtractList(l)
		for _, it := range items {
			obj := it.(interface {
				client.Object
				GetReconcileStatus() *elevsynkv1.ReconcileStatus
			})
			kind := strings.TrimSuffix(fmt.Sprintf("%T", l)[len("*v1alpha1."):], "List")
			ready := apimeta.FindStatusCondition(obj.GetReconcileStatus().Conditions, elevsynkv1.ConditionReady)
			status, reason, msg := "Unknown", "", ""
			if ready != nil {
				status, reason, msg = string(ready.Status), ready.Reason, ready.Message
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\n", kind, obj.GetName(), status, reason, msg)
		}
	}
	return tw.Flush()
}

// applyAll creates namespaces first, then everything else, pointing the
// samples' register at the sandbox.
func applyAll(ctx context.Context, c client.Client, set *manifests.Set, regURL string) error {
	objs := make([]client.Object, 0, len(set.Objects))
	for _, o := range set.Objects {
		obj := o.Object.(client.Object)
		if src, ok := obj.(*elevsynkv1.RegisterSource); ok && src.Spec.SS12000 != nil {
			src.Spec.SS12000.URL = regURL + "/v2.0"
			if src.Spec.SS12000.Auth.OAuth2 != nil {
				src.Spec.SS12000.Auth.OAuth2.TokenURL = regURL + "/token"
			}
		}
		objs = append(objs, obj)
	}
	sort.SliceStable(objs, func(i, j int) bool {
		_, a := objs[i].(*corev1.Namespace)
		_, b := objs[j].(*corev1.Namespace)
		return a && !b
	})
	for _, obj := range objs {
		if err := c.Create(ctx, obj); err != nil {
			return fmt.Errorf("applying %s %s: %w", obj.GetObjectKind().GroupVersionKind().Kind, obj.GetName(), err)
		}
	}
	return nil
}

func requestReconcile(ctx context.Context, c client.Client, obj client.Object) error {
	patch := client.MergeFrom(obj.DeepCopyObject().(client.Object))
	a := obj.GetAnnotations()
	if a == nil {
		a = map[string]string{}
	}
	a[elevsynkv1.ReconcileRequestAnnotation] = time.Now().UTC().Format(time.RFC3339Nano)
	obj.SetAnnotations(a)
	return c.Patch(ctx, obj, patch)
}

func isTrue(obj interface {
	GetReconcileStatus() *elevsynkv1.ReconcileStatus
}, cond string) bool {
	return apimeta.IsStatusConditionTrue(obj.GetReconcileStatus().Conditions, cond)
}

func readyMessage(obj runtime.Object) string {
	o, ok := obj.(interface {
		GetReconcileStatus() *elevsynkv1.ReconcileStatus
	})
	if !ok {
		return ""
	}
	if c := apimeta.FindStatusCondition(o.GetReconcileStatus().Conditions, elevsynkv1.ConditionReady); c != nil {
		return c.Message
	}
	return ""
}
