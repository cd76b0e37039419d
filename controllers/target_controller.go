package controllers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/metrics"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/snapshots"
	"github.com/elevsynk/elevsynk/internal/target"
)

// indexTargetMapping indexes Targets by the Mapping they keep.
const indexTargetMapping = ".spec.mappingRef.name"

// Reasons a Target gives.
const (
	ReasonInSync        = "InSync"
	ReasonApplied       = "Applied"
	ReasonPlanned       = "Planned"
	ReasonObserved      = "Observed"
	ReasonApplyFailed   = "ApplyFailed"
	ReasonObserveFailed = "ObserveFailed"
	ReasonConnectFailed = "ConnectFailed"
	ReasonDeletionGuard = "DeletionGuard"
	ReasonNoDesired     = "DesiredStateNotReady"
	ReasonReportFailed  = "ReportFailed"
)

const (
	maxDriftedRooms = 50
	// echoWindow is how long after our own writes a difference they
	// explain is not reported as drift: long enough for Entra ID and
	// Workspace replication, short enough that a teacher's change to the
	// same field soon shows.
	echoWindow = 2 * time.Minute
)

// TargetReconciler keeps a Mapping's rooms in a target.
type TargetReconciler struct {
	Client   client.Client
	Secrets  client.Reader
	Desired  *snapshots.Store[snapshots.Desired]
	Connect  platform.Connector
	Recorder events.EventRecorder
	Now      func() time.Time
	// Timeout bounds one reconcile; 0 means defaultReconcileTimeout.
	Timeout time.Duration

	pace     pacer
	warnings *warner
	mu       sync.Mutex
	adapters map[types.NamespacedName]*connection
	kept     map[types.NamespacedName]keptPlan
}

// connection is a Target's adapter, kept across reconciles so that it keeps
// its caches and delta tokens; a new generation or Secret makes a new one.
type connection struct {
	generation    int64
	secretVersion string
	target        target.Target

	// The actions of the last apply (people left out), for echoWindow.
	written   []target.Action
	writtenAt time.Time
}

// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile observes the target, plans, and applies what mode, policy and
// guards allow: on interval, after a capped backoff when it failed, or at
// once when the spec, the desired rooms, the Tenant, a reconcile request or
// a plan approval changed.
func (r *TargetReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var t elevsynkv1.Target
	if err := r.Client.Get(ctx, req.NamespacedName, &t); err != nil {
		if client.IgnoreNotFound(err) == nil {
			r.forget(req.NamespacedName)
			r.pace.forget(req.NamespacedName)
			metrics.Forget(metrics.KindTarget, req.Namespace, req.Name)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	inputs := tenantInputs(ctx, r.Client, t.Namespace) + mappingInputs(ctx, r.Client, &t)
	// The desired rooms are read once: the reconcile must act on the ones
	// its inputs name, or a Mapping evaluating meanwhile would be seen as
	// new again by the next event.
	d, haveDesired := r.Desired.Get(types.NamespacedName{Namespace: t.Namespace, Name: t.Spec.MappingRef.Name})
	if haveDesired {
		inputs += " desired " + d.Hash
	}
	now := r.Now()
	if wait, due := r.pace.due(&t, elevsynkv1.ApprovePlanAnnotation, inputs, now); !due {
		return ctrl.Result{RequeueAfter: wait}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(r.Timeout, defaultReconcileTimeout))
	defer cancel()
	defer timeSync(metrics.KindTarget, time.Now())
	work := startWork(ctx, r.Client, &t, "observing the target")
	before := t.DeepCopy()
	o, err := r.reconcile(ctx, &t, d, haveDesired, work)
	work.end()
	res, failed, perr := finish(ctx, r.Client, r.warnings, &t, before, o, err)
	return r.pace.settle(before, elevsynkv1.ApprovePlanAnnotation, inputs, now,
		t.Spec.SyncInterval(), res, failed, perr)
}

// mappingInputs is whether the Target's Mapping exists, by uid: a Target
// that found it missing waits for it, and must work again when it appears
// (its create event is the wake-up), not only when it has rooms. Before,
// a Target read ahead of its Mapping by the manager's cache waited out its
// interval.
func mappingInputs(ctx context.Context, c client.Reader, t *elevsynkv1.Target) string {
	var m elevsynkv1.Mapping // typed: the informer the reconcile reads it from
	if err := c.Get(ctx, types.NamespacedName{Namespace: t.Namespace, Name: t.Spec.MappingRef.Name}, &m); err != nil {
		return " no mapping"
	}
	return " mapping " + string(m.UID)
}

func (r *TargetReconciler) reconcile(ctx context.Context, t *elevsynkv1.Target, d snapshots.Desired, ok bool, work *progress) (outcome, error) {
	tenant, err := tenantOf(ctx, r.Client, t.Namespace)
	if err != nil {
		return outcome{}, err
	}
	now, err := tenantNow(tenant, r.Now())
	if err != nil {
		return outcome{}, err
	}
	t.Status.LastHandledApproval = t.Annotations[elevsynkv1.ApprovePlanAnnotation]
	var m elevsynkv1.Mapping
	if err := getReferenced(ctx, r.Client, t.Namespace, "Mapping", t.Spec.MappingRef.Name, &m); err != nil {
		return outcome{}, err
	}
	if !ok {
		// After a restart nothing is desired until the Mapping has evaluated
		// a fresh snapshot: that is a wait, never an empty desired state.
		return outcome{}, waitForMemory(ReasonNoDesired, "waiting for Mapping %q to evaluate its rules%s", m.Name, mappingHint(&m))
	}
	conn, err := r.connect(ctx, t)
	if err != nil {
		return outcome{}, err
	}
	start := conn.target.Stats()
	defer func() {
		end := conn.target.Stats()
		t.Status.API = apiCounts(start, end)
		metrics.TargetAPI(t.Namespace, t.Name, start, end)
	}()

	if ru, ok := conn.target.(target.RegisterUser); ok {
		// A roster writes people's records from the register the rooms
		// were made from, never a newer one.
		ru.UseRegister(d.Register)
	}
	if rr, ok := conn.target.(target.RunReporter); ok {
		defer func() { t.Status.SchoolDataSync = rr.RunStatus() }()
	}
	have, err := conn.target.Observe(ctx)
	if err != nil {
		return outcome{}, failWith(ReasonObserveFailed, fmt.Errorf("observing the target: %w", err))
	}
	// A roster target writes people's records from the register, which
	// the desired rooms' hash does not cover: it always plans.
	if _, writesPeople := conn.target.(target.RegisterUser); writesPeople {
		return r.plan(ctx, t, tenant, conn, d, have, now, work)
	}
	key := client.ObjectKeyFromObject(t)
	inputs := planInputs(t, tenant, d.Hash, roster.DateOf(now), now.Sub(conn.writtenAt) < echoWindow)
	if o, ok := r.keptOutcome(key, inputs, have); ok {
		// Status keeps the plan, drift and report of that plan; only the
		// time of this sync is new.
		t.Status.LastSyncTime = &metav1.Time{Time: now}
		return o, nil
	}
	o, err := r.plan(ctx, t, tenant, conn, d, have, now, work)
	r.keep(key, inputs, have, o, err)
	return o, err
}

// plan plans from the observed rooms, reports, and acts on the plan.
func (r *TargetReconciler) plan(ctx context.Context, t *elevsynkv1.Target, tenant *elevsynkv1.Tenant, conn *connection,
	d snapshots.Desired, have []target.Room, now time.Time, work *progress) (outcome, error) {
	prep := platform.Prepare(d.State, have, &t.Spec)
	p := plan.Compute(prep.Want, prep.Have, t.Spec.Policy, roster.DateOf(now))
	hash, sum := p.Hash(), p.Summary()
	// What is reported: the plan's drift less the echoes of our own recent
	// writes. The plan itself is not filtered; re-sending a write is safe.
	shown := p
	if now.Sub(conn.writtenAt) < echoWindow {
		shown.Drift = plan.WithoutEchoes(p.Drift, conn.written)
	}
	metrics.ObserveTarget(t.Namespace, t.Name, p.Inventory, shown.Drift)
	st := &t.Status
	st.Inventory = &p.Inventory
	st.DriftedRooms = driftedRooms(shown.Drift)
	st.LastSyncTime = &metav1.Time{Time: now}
	last := sum.ToAPI(hash, metav1.Time{Time: now})
	st.LastPlan = &last

	if err := writeReport(t, tenant, d, prep, p, now); err != nil {
		return outcome{}, failWith(ReasonReportFailed, err)
	}
	o, err := r.act(ctx, t, tenant, conn, p, sum, work)
	metrics.GuardTripped(t.Namespace, t.Name, st.LastPlan.BlockedBy == ReasonDeletionGuard)
	uncorrected := shown.Uncorrected(o.reason == ReasonApplied)
	setDrift(t, int32(len(uncorrected)))
	if len(shown.Drift) > 0 && r.Recorder != nil {
		r.Recorder.Eventf(t, nil, corev1.EventTypeNormal, "DriftFound", "Observe", "%s", driftNote(shown.Drift))
	}
	if notes := prep.Notes(platform.Of(&t.Spec)); notes != "" {
		o.message += "; " + notes
	}
	return o, err
}

// act applies the plan if mode, suspension and the deletion guard allow.
func (r *TargetReconciler) act(ctx context.Context, t *elevsynkv1.Target, tenant *elevsynkv1.Tenant, conn *connection,
	p plan.Plan, sum plan.Summary, work *progress) (outcome, error) {
	st := &t.Status
	hash := st.LastPlan.Hash
	inv := p.Inventory
	mode := t.Spec.Mode
	if mode == "" {
		mode = elevsynkv1.ModePlan
	}
	switch {
	case mode == elevsynkv1.ModeObserve:
		st.LastPlan.BlockedBy = "Mode"
		return readyOutcome(ReasonObserved, "%d rooms managed, %d drifted, %d missing, %d orphaned; mode Observe writes nothing",
			inv.Managed, inv.Drifted, inv.Missing, inv.Orphaned), nil
	case p.Empty():
		st.LastAppliedPlanHash = hash
		return readyOutcome(ReasonInSync, "%d rooms managed, in line with the register", inv.Managed), nil
	case mode == elevsynkv1.ModePlan:
		st.LastPlan.BlockedBy = "Mode"
		return readyOutcome(ReasonPlanned, "plan %s: %s; mode Plan writes nothing", short(hash), sum), nil
	case tenant.Spec.Suspend:
		st.LastPlan.BlockedBy = "Suspended"
		return readyOutcome(elevsynkv1.ReasonSuspended, "the Tenant is suspended; plan %s (%s) was not applied", short(hash), sum), nil
	}
	if blocked, err := r.guard(t, tenant, p, sum); blocked != nil || err != nil {
		return *blocked, err
	}

	work.setNow(t, "applying plan %s: %s", short(hash), sum)
	res := conn.target.Apply(ctx, p.Actions)
	metrics.ActionsApplied(t.Namespace, t.Name, p.Actions, res)
	conn.written, conn.writtenAt = withoutPeople(p.Actions), r.Now()
	st.UnresolvedPeople = int32(res.Unresolved)
	if len(res.Failures) > 0 || res.Skipped > 0 {
		return outcome{}, failWith(ReasonApplyFailed, applyError(res, len(p.Actions)))
	}
	st.LastPlan.Applied = true
	st.LastAppliedPlanHash = hash
	if r.Recorder != nil {
		r.Recorder.Eventf(t, nil, corev1.EventTypeNormal, "PlanApplied", "Apply", "plan %s applied: %s", short(hash), sum)
	}
	o := readyOutcome(ReasonApplied, "plan %s applied: %s", short(hash), sum)
	if res.Unresolved > 0 {
		o.message += fmt.Sprintf("; %d account keys have no user in the target", res.Unresolved)
	}
	return o, nil
}

// guard stops a plan that takes away more than the deletion guard allows:
// rooms archived or deleted, or people removed from rooms. An annotation
// with the plan's hash lets exactly that plan through.
func (r *TargetReconciler) guard(t *elevsynkv1.Target, tenant *elevsynkv1.Tenant, p plan.Plan, sum plan.Summary) (*outcome, error) {
	g := plan.Effective(t.Spec.Policy.DeletionGuard, tenant.Spec.Safety.DeletionGuard)
	hash := t.Status.LastPlan.Hash
	rooms, roomsOver, err := plan.Guard(p, g)
	if err != nil {
		return &outcome{}, stallOn(elevsynkv1.ReasonInvalidSpec, "deletion guard: %v", err)
	}
	people, peopleOver, err := plan.RemovalGuard(p, g)
	if err != nil {
		return &outcome{}, stallOn(elevsynkv1.ReasonInvalidSpec, "deletion guard: %v", err)
	}
	if !roomsOver && !peopleOver || t.Annotations[elevsynkv1.ApprovePlanAnnotation] == hash {
		return nil, nil
	}
	what := fmt.Sprintf("archive %d and delete %d rooms, more than the deletion guard allows (%d)", sum.Archives, sum.Deletes, rooms)
	if !roomsOver {
		what = fmt.Sprintf("remove %d members and %d owners from rooms, more than the deletion guard allows (%d of %d memberships)",
			sum.MemberRemoves, sum.OwnerRemoves, people, p.Memberships)
	}
	t.Status.LastPlan.BlockedBy = ReasonDeletionGuard
	o := stalledOutcome(ReasonDeletionGuard,
		"the plan would %s; nothing was written. If that is intended, approve exactly this plan with the annotation %s=%s",
		what, elevsynkv1.ApprovePlanAnnotation, hash)
	return &o, nil
}

// withoutPeople keeps what echo filtering needs of actions (room and op),
// not who they named.
func withoutPeople(actions []target.Action) []target.Action {
	out := make([]target.Action, len(actions))
	for i, a := range actions {
		out[i] = target.Action{Op: a.Op, Kind: a.Kind, Key: a.Key}
	}
	return out
}

// applyError names the failed rooms and actions (never people) so an
// administrator can find them; the first few are enough.
func applyError(res target.Result, total int) error {
	const show = 3
	parts := make([]string, 0, show)
	for i, f := range res.Failures {
		if i == show {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s %s: %s", f.Op, f.Kind, f.Key, f.Message))
	}
	msg := fmt.Sprintf("%d of %d actions failed and %d were skipped", len(res.Failures), total, res.Skipped)
	if len(parts) > 0 {
		msg += "; " + strings.Join(parts, "; ")
	}
	return errors.New(msg)
}

func driftedRooms(drift []plan.Drift) []elevsynkv1.DriftedRoom {
	n := min(len(drift), maxDriftedRooms)
	out := make([]elevsynkv1.DriftedRoom, n)
	for i, d := range drift[:n] {
		reasons := make([]string, len(d.Reasons))
		for j, r := range d.Reasons {
			reasons[j] = string(r)
		}
		out[i] = elevsynkv1.DriftedRoom{Kind: d.Kind, Key: d.Key, Name: d.Name, Reasons: reasons}
	}
	return out
}

// driftNote counts drifted rooms by reason for an event.
func driftNote(drift []plan.Drift) string {
	counts := map[plan.Reason]int{}
	var order []plan.Reason
	for _, d := range drift {
		for _, r := range d.Reasons {
			if counts[r] == 0 {
				order = append(order, r)
			}
			counts[r]++
		}
	}
	parts := make([]string, len(order))
	for i, r := range order {
		parts[i] = fmt.Sprintf("%s %d", r, counts[r])
	}
	return fmt.Sprintf("%d rooms differ from the desired state: %s", len(drift), strings.Join(parts, ", "))
}

func apiCounts(before, after target.Stats) *elevsynkv1.APICounts {
	return &elevsynkv1.APICounts{
		Requests:  after.Requests - before.Requests,
		Writes:    after.Writes - before.Writes,
		Throttled: after.Throttled - before.Throttled,
	}
}

// short is a hash shortened for messages, as git shortens commits; status
// and the guard's message carry it in full.
func short(hash string) string {
	h := strings.TrimPrefix(hash, "sha256:")
	return h[:min(len(h), 12)]
}

func mappingHint(m *elevsynkv1.Mapping) string {
	if c := apimeta.FindStatusCondition(m.Status.Conditions, elevsynkv1.ConditionReady); c != nil && c.Status != metav1.ConditionTrue && c.Message != "" {
		return ": " + c.Message
	}
	return ""
}

// connect returns the Target's adapter, making a new one when the spec or
// its Secret changed.
func (r *TargetReconciler) connect(ctx context.Context, t *elevsynkv1.Target) (*connection, error) {
	key := client.ObjectKeyFromObject(t)
	var (
		data    map[string][]byte
		version string
	)
	if name := platform.SecretName(&t.Spec); name != "" {
		var s corev1.Secret
		err := r.Secrets.Get(ctx, types.NamespacedName{Namespace: t.Namespace, Name: name}, &s)
		if client.IgnoreNotFound(err) == nil && err != nil {
			return nil, waitFor(ReasonSecretNotFound, "Secret %q does not exist in namespace %s", name, t.Namespace)
		}
		if err != nil {
			return nil, fmt.Errorf("reading Secret %q: %w", name, err)
		}
		data, version = s.Data, s.ResourceVersion
	}
	if c := r.connection(key); c != nil && c.generation == t.Generation && c.secretVersion == version {
		return c, nil
	}
	tg, err := r.Connect(ctx, t, data)
	if err != nil {
		return nil, stallOn(ReasonConnectFailed, "%v", err)
	}
	c := &connection{generation: t.Generation, secretVersion: version, target: tg}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.adapters == nil {
		r.adapters = map[types.NamespacedName]*connection{}
	}
	r.adapters[key] = c
	return c, nil
}

func (r *TargetReconciler) connection(key types.NamespacedName) *connection {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.adapters[key]
}

func (r *TargetReconciler) forget(key types.NamespacedName) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.adapters, key)
	delete(r.kept, key)
}

// SetupWithManager watches Targets, the Mapping each keeps (for new desired
// rooms and readiness) and the Tenant (for its spec).
func (r *TargetReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	r.warnings = newWarner(r.Recorder, r.Now)
	err := mgr.GetFieldIndexer().IndexField(context.Background(), &elevsynkv1.Target{}, indexTargetMapping,
		func(obj client.Object) []string { return []string{obj.(*elevsynkv1.Target).Spec.MappingRef.Name} })
	if err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&elevsynkv1.Target{}, builder.WithPredicates(changedBySomeone())).
		Watches(&elevsynkv1.Mapping{}, enqueueReferrers(mgr, &elevsynkv1.TargetList{}, indexTargetMapping),
			builder.WithPredicates(statusChanged(desiredAndReadiness))).
		Watches(&elevsynkv1.Tenant{}, enqueueNamespace(mgr, &elevsynkv1.TargetList{}), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(opts).
		Complete(r)
}

// desiredAndReadiness is what a Target reads of a Mapping's status; the
// time of the last evaluation is part of it for the same reason as in
// snapshotAndReadiness.
func desiredAndReadiness(obj client.Object) string {
	m := obj.(*elevsynkv1.Mapping)
	return fmt.Sprintf("%s %s %v", m.Status.DesiredHash, readiness(m), m.Status.LastEvaluationTime)
}
