package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
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
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/controlplane"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/report"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
	"github.com/elevsynk/elevsynk/internal/source"
)

// runDemo starts a local control plane and the sandboxes, applies the
// sample tenant, runs the manager and tells what happens, step by step. Each
// step checks what it shows, so the demo fails loudly when the operator
// does not do what it says.
func runDemo(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	var g genFlags
	g.register(fs)
	samples := fs.String("f", "config/samples", "directory of the tenant's manifests")
	crds := fs.String("crds", "config/crd/bases", "directory of the CRDs to install")
	timeout := fs.Duration("timeout", 3*time.Minute, "how long to wait for each step")
	logs := fs.String("logs", "", "write the manager's logs (JSON) to this file instead of discarding them")
	dump := fs.String("dump", "", "at the end, write every object's status, the events and the metrics to this file")
	reportFile := fs.String("report", "", "write the tenant's overview report (elevsynk report) to this .html or .json file once the rooms are in sync")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// The story prints what matters from status; the manager's logs stay
	// out of it. The logger can be set once only.
	logger := logr.Discard()
	if *logs != "" {
		f, err := os.Create(*logs)
		if err != nil {
			return err
		}
		defer f.Close()
		logger = zap.New(zap.WriteTo(f), zap.JSONEncoder())
	}
	logf.SetLogger(logger)
	d := &demo{out: out, timeout: *timeout, report: *reportFile}

	d.step("Starting the sandboxes: an SS 12000 register of a generated municipality of %d pupils, and a Microsoft 365 tenant and a Google Workspace with its people as users", g.pupils)
	sb, err := g.sandboxes()
	if err != nil {
		return err
	}
	d.step("Starting Active Directory for the municipality: a real OpenLDAP slapd on loopback with its accounts (some missing, some twice, some in other case)")
	dir, err := startDirectory(sb.snap, g.seed)
	if err != nil {
		return err
	}
	defer dir.Stop()
	d.step("Starting an SFTP server holding a second organiser's register as an IMS Enterprise export file")
	exports, err := startExportServer(g.seed, g.pupils/2+1)
	if err != nil {
		return err
	}
	defer exports.Close()
	d.exports = exports
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	urls := map[string]string{}
	for name, h := range map[string]http.Handler{"register": sb.register, "graph": sb.graphAndSDS(), "google": sb.google} {
		ln, scheme, err := listen("127.0.0.1:0", name == "graph")
		if err != nil {
			return err
		}
		go func() { _ = serve(ctx, ln, h) }()
		urls[name] = scheme + "://" + ln.Addr().String()
	}

	d.step("Starting a local control plane (kube-apiserver and etcd) and installing the CRDs")
	cp, err := controlplane.Start(*crds)
	if err != nil {
		return err
	}
	defer func() {
		cancel()
		_ = cp.Stop()
		d.step("Stopped the manager, the control plane and the sandboxes")
	}()
	d.c = cp.Client
	d.urls = urls

	d.step("Applying the sample tenant from %s (endpoints pointed at the sandboxes)", *samples)
	set, err := manifests.Read(*samples, cp.Scheme)
	if err != nil {
		return err
	}
	if err := applyAll(ctx, cp.Client, set, urls); err != nil {
		return err
	}
	if err := addDirectory(ctx, cp.Client, dir); err != nil {
		return err
	}
	d.set = set // pointed at the sandboxes by applyAll

	d.step("Running the manager")
	mgr, err := controllers.NewManager(cp.Config, cp.Scheme, controllers.ManagerOptions{
		MetricsAddr: "0", ProbeAddr: "0"})
	if err != nil {
		return err
	}
	go func() { _ = mgr.Start(ctx) }()

	if err := d.story(ctx, sb); err != nil {
		return err
	}
	if *dump != "" {
		return d.dump(ctx, *dump)
	}
	return nil
}

// The objects of the sample tenant.
var (
	sourceKey = client.ObjectKey{Namespace: "exempelstad", Name: "register"}
	mapKey    = client.ObjectKey{Namespace: "exempelstad", Name: "skolor"}
	googleKey = client.ObjectKey{Namespace: "exempelstad", Name: "google"}
	m365Key   = client.ObjectKey{Namespace: "exempelstad", Name: "microsoft365"}
)

// story is the demo's plot: fetch, evaluate, plan, apply, a teacher's
// drift found and corrected, and a broken register refused.
func (d *demo) story(ctx context.Context, sb *sandboxes) error {
	src := &elevsynkv1.RegisterSource{}
	if err := d.waitFor(ctx, sourceKey, src, func() bool { return isTrue(src, elevsynkv1.ConditionReady) }); err != nil {
		return err
	}
	d.step("The register was fetched")
	c := src.Status.Counts
	d.say("%d school units, %d persons (%d students, %d staff), %d groups, %d duties, %d activities, %d syllabuses",
		c.SchoolUnits, c.Persons, c.Students, c.Staff, c.Groups, c.Duties, c.Activities, c.Syllabuses)
	d.say("content hash %s; data-quality findings (counts only, never who):", src.Status.ContentHash)
	for _, f := range src.Status.Findings {
		d.say("  %-24s %d", f.Reason, f.Count)
	}

	m := &elevsynkv1.Mapping{}
	if err := d.waitFor(ctx, mapKey, m, func() bool { return isTrue(m, elevsynkv1.ConditionReady) }); err != nil {
		return err
	}
	d.step("The Mapping turned the register into desired rooms")
	d.say("%s", readyMessage(m))
	for _, e := range m.Status.ExcludedPeople {
		d.say("left out: %d people (%s)", e.Count, e.Reason)
	}
	if err := d.directoryStory(ctx, m); err != nil {
		return err
	}

	ms := &elevsynkv1.Target{}
	if err := d.waitFor(ctx, m365Key, ms, func() bool { return readyReason(ms) == controllers.ReasonApplied }); err != nil {
		return err
	}
	d.step("The Microsoft 365 Target (mode Apply) provisioned the rooms through Microsoft Graph")
	d.say("%s", readyMessage(ms))
	kinds := map[string]int{}
	for _, g := range sb.graph.Groups() {
		switch {
		case g.IsClass:
			kinds["class teams"]++
		case g.Team && g.TeamTemplate == "educationStaff":
			kinds["staff teams"]++
		case g.Team:
			kinds["teams"]++
		case g.SecurityEnabled && !g.Unified:
			kinds["security groups"]++
		default:
			kinds["groups"]++
		}
	}
	d.say("in the Graph sandbox: %d class teams, %d staff teams (template educationStaff), %d other teams, %d security groups; %d API requests (%d writes)",
		kinds["class teams"], kinds["staff teams"], kinds["teams"], kinds["security groups"], ms.Status.API.Requests, ms.Status.API.Writes)
	if kinds["staff teams"] == 0 {
		return fmt.Errorf("no staff team was made from the educationStaff template")
	}

	tg := &elevsynkv1.Target{}
	if err := d.waitFor(ctx, googleKey, tg, func() bool { return readyReason(tg) == controllers.ReasonPlanned }); err != nil {
		return err
	}
	d.step("The Google Target is in mode Plan: it shows what it would write and writes nothing")
	d.say("%s", readyMessage(tg))
	if n := googleWrites(sb); n != 0 {
		return fmt.Errorf("mode Plan wrote %d times to the Google sandbox", n)
	}

	d.step("The administrator sets the Google Target to mode Apply")
	if err := d.patch(ctx, googleKey, tg, func() { tg.Spec.Mode = elevsynkv1.ModeApply }); err != nil {
		return err
	}
	if err := d.waitFor(ctx, googleKey, tg, func() bool { return readyReason(tg) == controllers.ReasonApplied }); err != nil {
		return err
	}
	d.say("%s", readyMessage(tg))
	d.say("%d courses and %d groups in the Google sandbox, %d API requests (%d writes)",
		len(sb.google.Courses()), len(sb.google.Groups()), tg.Status.API.Requests, tg.Status.API.Writes)
	if err := d.sdsStory(ctx, sb); err != nil {
		return err
	}

	d.step("A teacher renames a class team in Teams and adds a pupil by hand")
	team, pupil, err := handEdit(sb)
	if err != nil {
		return err
	}
	before := ms.Status.LastAppliedPlanHash
	if err := requestReconcile(ctx, d.c, ms); err != nil {
		return err
	}
	if err := d.waitFor(ctx, m365Key, ms, func() bool {
		return readyReason(ms) == controllers.ReasonApplied && ms.Status.LastAppliedPlanHash != before
	}); err != nil {
		return err
	}
	d.say("drift found (room names and reasons only):")
	for _, r := range ms.Status.DriftedRooms {
		d.say("  %s %q: %s", r.Kind, r.Name, strings.Join(r.Reasons, ", "))
	}
	d.say("corrected: %s", readyMessage(ms))
	now, ok := groupByID(sb, team.ID)
	if !ok || now.DisplayName != team.DisplayName || slices.Contains(now.Members, pupil) {
		return fmt.Errorf("the class team was not put back: name %q (want %q), hand-added pupil still a member: %v",
			now.DisplayName, team.DisplayName, slices.Contains(now.Members, pupil))
	}
	d.say("the class team is called %q again, and the pupil added by hand is gone", team.DisplayName)

	if d.report != "" {
		if err := d.writeReport(ctx); err != nil {
			return err
		}
	}

	d.step("The register loses half its groups (a broken export): the source guard refuses it")
	st := sb.register.Snapshot()
	ids := slices.Sorted(maps.Keys(st.Groups))
	for _, id := range ids[:len(ids)/2] {
		if err := sb.register.DeleteGroup(id); err != nil {
			return err
		}
	}
	goodHash := src.Status.ContentHash
	if err := requestReconcile(ctx, d.c, src); err != nil {
		return err
	}
	if err := d.waitFor(ctx, sourceKey, src, func() bool {
		stalled := apimeta.FindStatusCondition(src.Status.Conditions, elevsynkv1.ConditionStalled)
		return stalled != nil && stalled.Reason == source.ReasonRegisterShrank
	}); err != nil {
		return err
	}
	d.say("Stalled: %s", readyMessage(src))
	if src.Status.ContentHash != goodHash {
		return fmt.Errorf("the refused snapshot replaced the last good one")
	}
	w := writes(sb)
	for key, t := range map[client.ObjectKey]*elevsynkv1.Target{googleKey: tg, m365Key: ms} {
		if err := requestReconcile(ctx, d.c, t); err != nil {
			return err
		}
		if err := d.waitFor(ctx, key, t, func() bool {
			return t.Status.LastHandledReconcileAt == t.Annotations[elevsynkv1.ReconcileRequestAnnotation] && isTrue(t, elevsynkv1.ConditionReady)
		}); err != nil {
			return err
		}
	}
	if n := writes(sb) - w; n != 0 {
		return fmt.Errorf("the Target wrote %d times while its source was stalled", n)
	}
	d.say("the last good snapshot stays in use (content hash %s); the Targets synced again and wrote nothing", short(goodHash))

	sample := &elevsynkv1.Mapping{}
	if err := d.c.Get(ctx, mapKey, sample); err != nil {
		return err
	}
	spec := *sample.Spec.DeepCopy()
	spec.SourceRefs = []elevsynkv1.LocalReference{{Name: imsSourceKey.Name}}
	if err := d.imsStory(ctx, d.exports, spec); err != nil {
		return err
	}
	return d.summary(ctx)
}

// writes counts the writes the target sandboxes have taken.
func writes(sb *sandboxes) int { return sb.graph.Writes() + googleWrites(sb) }

func googleWrites(sb *sandboxes) int {
	n := 0
	for _, c := range sb.google.Writes() {
		n += c
	}
	return n
}

// handEdit renames a class team and adds someone to it the way a teacher
// would in Teams, and returns the team as it was and who was added.
func handEdit(sb *sandboxes) (graphsandbox.Group, string, error) {
	var team graphsandbox.Group
	for _, g := range sb.graph.Groups() {
		if g.IsClass && g.Team && len(g.Members) > 0 {
			team = g
			break
		}
	}
	if team.ID == "" {
		return team, "", fmt.Errorf("no class team in the Graph sandbox")
	}
	in := map[string]bool{}
	for _, id := range append(slices.Clone(team.Members), team.Owners...) {
		in[id] = true
	}
	var pupil string
	for _, p := range sb.snap.Persons {
		if len(p.EduPersonPrincipalNames) == 0 {
			continue
		}
		if u, ok := sb.graph.UserByKey(p.EduPersonPrincipalNames[0]); ok && !in[u.ID] {
			pupil = u.ID
			break
		}
	}
	if err := sb.graph.RenameGroup(team.ID, "Mattegänget"); err != nil {
		return team, "", err
	}
	return team, pupil, sb.graph.AddMember(team.ID, pupil)
}

func groupByID(sb *sandboxes, id string) (graphsandbox.Group, bool) {
	for _, g := range sb.graph.Groups() {
		if g.ID == id {
			return g, true
		}
	}
	return graphsandbox.Group{}, false
}

func short(hash string) string {
	h := strings.TrimPrefix(hash, "sha256:")
	return h[:min(len(h), 12)]
}

type demo struct {
	out     io.Writer
	timeout time.Duration
	c       client.Client
	n       int
	set     *manifests.Set
	report  string // where to write the overview report, or ""
	urls    map[string]string
	exports *exportServer // the second organiser's SFTP server
}

// writeReport writes the overview `elevsynk report` makes, from the same
// manifests, while the register is whole.
func (d *demo) writeReport(ctx context.Context) error {
	d.step("Writing the overview report of rooms and members to %s", d.report)
	tenants := manifests.In[*elevsynkv1.Tenant](d.set, sourceKey.Namespace)
	if len(tenants) != 1 {
		return fmt.Errorf("the samples hold %d Tenants in %s, want 1", len(tenants), sourceKey.Namespace)
	}
	in, err := reportInput(ctx, d.set, tenants[0], time.Now())
	if err != nil {
		return err
	}
	r := report.Build(in)
	if err := report.WriteFile(d.report, r); err != nil {
		return err
	}
	for _, t := range r.Targets {
		drifted := 0
		for _, room := range t.Rooms {
			if room.State != report.InSync {
				drifted++
			}
		}
		d.say("%s: %d rooms, %d not in sync", t.Name, len(t.Rooms), drifted)
	}
	d.say("%d people listed; the file holds personal data and has mode 0600: open it in a browser", len(r.People))
	return nil
}

func (d *demo) step(format string, args ...any) {
	d.n++
	fmt.Fprintf(d.out, "\n%d. %s\n", d.n, fmt.Sprintf(format, args...))
}

func (d *demo) say(format string, args ...any) {
	fmt.Fprintf(d.out, "    %s\n", fmt.Sprintf(format, args...))
}

// waitFor polls obj until done is true, bounded by the demo's timeout.
func (d *demo) waitFor(ctx context.Context, key client.ObjectKey, obj client.Object, done func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	for {
		if err := d.c.Get(ctx, key, obj); err == nil && done() {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s %s: %w (Ready: %q)", obj.GetObjectKind().GroupVersionKind().Kind, key, ctx.Err(), readyMessage(obj))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// patch changes obj with change, as `kubectl edit` would.
func (d *demo) patch(ctx context.Context, key client.ObjectKey, obj client.Object, change func()) error {
	if err := d.c.Get(ctx, key, obj); err != nil {
		return err
	}
	p := client.MergeFrom(obj.DeepCopyObject().(client.Object))
	change()
	return d.c.Patch(ctx, obj, p)
}

// summary prints every elevsynk object's Ready condition.
func (d *demo) summary(ctx context.Context) error {
	var (
		tenants  elevsynkv1.TenantList
		sources  elevsynkv1.RegisterSourceList
		mappings elevsynkv1.MappingList
		targets  elevsynkv1.TargetList
	)
	tw := tabwriter.NewWriter(d.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "    KIND\tNAMESPACE\tNAME\tREADY\tREASON\tMESSAGE")
	for _, l := range []client.ObjectList{&tenants, &sources, &mappings, &targets} {
		if err := d.c.List(ctx, l); err != nil {
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
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t%s\n", kind, obj.GetNamespace(), obj.GetName(), status, reason, msg)
		}
	}
	return tw.Flush()
}

// applyAll creates namespaces first, then everything else, pointing the
// samples' register and Targets at the sandboxes.
func applyAll(ctx context.Context, c client.Client, set *manifests.Set, urls map[string]string) error {
	objs := make([]client.Object, 0, len(set.Objects))
	for _, o := range set.Objects {
		obj := o.Object.(client.Object)
		if src, ok := obj.(*elevsynkv1.RegisterSource); ok && src.Spec.SS12000 != nil {
			src.Spec.SS12000.URL = urls["register"] + "/v2.0"
			if src.Spec.SS12000.Auth.OAuth2 != nil {
				src.Spec.SS12000.Auth.OAuth2.TokenURL = urls["register"] + "/token"
			}
		}
		if t, ok := obj.(*elevsynkv1.Target); ok && t.Spec.Google != nil {
			t.Spec.Google.Endpoint = urls["google"]
		}
		if t, ok := obj.(*elevsynkv1.Target); ok && t.Spec.Microsoft365 != nil {
			t.Spec.Microsoft365.Endpoint = urls["graph"]
			t.Spec.Microsoft365.AuthorityHost = urls["graph"]
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

func readyReason(obj interface {
	GetReconcileStatus() *elevsynkv1.ReconcileStatus
}) string {
	if c := apimeta.FindStatusCondition(obj.GetReconcileStatus().Conditions, elevsynkv1.ConditionReady); c != nil {
		return c.Reason
	}
	return ""
}
