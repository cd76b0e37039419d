package controllers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
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
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/metrics"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/snapshots"
)

// indexMappingSources indexes Mappings by the RegisterSources they read.
const indexMappingSources = ".spec.sourceRefs.name"

// Reasons a Mapping gives.
const (
	ReasonEvaluated  = "Evaluated"
	ReasonRuleError  = "RuleError"
	ReasonNoSnapshot = "SnapshotNotReady"
)

// MappingReconciler turns register snapshots into desired rooms.
type MappingReconciler struct {
	Client    client.Client
	Registers *snapshots.Store[snapshots.Register]
	Desired   *snapshots.Store[snapshots.Desired]
	Recorder  events.EventRecorder
	Now       func() time.Time
	// Timeout bounds one reconcile; 0 means defaultReconcileTimeout.
	Timeout time.Duration

	// inputs remembers what each Mapping was last evaluated from, so a
	// status patch of a source that changed nothing does not re-evaluate a
	// municipality.
	mu       sync.Mutex
	inputs   map[types.NamespacedName]string
	programs map[types.NamespacedName]compiled
	warnings *warner
}

// compiled is a Mapping's rules compiled for one generation of it and of
// its Tenant: every status patch of a source wakes the Mapping, and
// compiling CEL and templates again each time was a tenth of a quiet cycle.
type compiled struct {
	from string // the uid and generation of the Mapping and of its Tenant
	prog *mapping.Program
}

// Reconcile compiles the rules and evaluates them over the sources' last
// good snapshots.
func (r *MappingReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var m elevsynkv1.Mapping
	if err := r.Client.Get(ctx, req.NamespacedName, &m); err != nil {
		if apierrors.IsNotFound(err) {
			r.Desired.Delete(req.NamespacedName)
			r.remember(req.NamespacedName, "")
			r.mu.Lock()
			delete(r.programs, req.NamespacedName)
			r.mu.Unlock()
			metrics.Forget(metrics.KindMapping, req.Namespace, req.Name)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(r.Timeout, defaultReconcileTimeout))
	defer cancel()
	defer timeSync(metrics.KindMapping, time.Now())
	before := m.DeepCopy()
	o, err := r.reconcile(ctx, &m)
	metrics.ObserveMapping(m.Namespace, m.Name, m.Status.Rooms, m.Status.ExcludedPeople)
	res, failed, perr := finish(ctx, r.Client, r.warnings, &m, before, o, err)
	return res, errors.Join(failed, perr)
}

func (r *MappingReconciler) reconcile(ctx context.Context, m *elevsynkv1.Mapping) (outcome, error) {
	tenant, err := tenantOf(ctx, r.Client, m.Namespace)
	if err != nil {
		return outcome{}, err
	}
	sources := make([]*elevsynkv1.RegisterSource, len(m.Spec.SourceRefs))
	for i, ref := range m.Spec.SourceRefs {
		sources[i] = &elevsynkv1.RegisterSource{}
		if err := getReferenced(ctx, r.Client, m.Namespace, "RegisterSource", ref.Name, sources[i]); err != nil {
			return outcome{}, err
		}
	}

	// Compile first: a rule error is the administrator's to fix whatever
	// the sources hold, and must show even before the first fetch.
	prog, err := r.compile(m, tenant)
	if err != nil {
		return outcome{}, r.ruleErrors(m, err)
	}
	m.Status.RuleErrors = nil

	primary := sources[0]
	if err := mapping.CheckPrimary(primary); err != nil {
		return outcome{}, stallOn(elevsynkv1.ReasonInvalidSpec, "spec.sourceRefs[0]: %v", err)
	}
	reg, ok := r.Registers.Get(client.ObjectKeyFromObject(primary))
	if !ok {
		// After a restart the store is empty until the source fetches: that
		// is a wait, never an empty register.
		return outcome{}, waitForMemory(ReasonNoSnapshot, "waiting for RegisterSource %q to fetch a snapshot%s", primary.Name, notReadyHint(primary))
	}
	supplements := make([]mapping.Supplement, 0, len(sources)-1)
	fetched := make([]string, 0, len(sources)-1) // the supplements' content hashes
	for _, src := range sources[1:] {
		var read *mapping.Fetched
		if src.Spec.LDAP != nil || src.Spec.DirectoryGroups != nil {
			// A supplement not read yet is waited for: evaluating without a
			// directory would give every room the register's addresses,
			// then the directory's, and a target would write both.
			d, ok := r.Registers.Get(client.ObjectKeyFromObject(src))
			if !ok {
				return outcome{}, waitForMemory(ReasonNoSnapshot, "waiting for RegisterSource %q to read the directory%s", src.Name, notReadyHint(src))
			}
			read = &mapping.Fetched{Directory: d.Result.Directory, Groups: d.Result.Groups}
			fetched = append(fetched, d.Hash)
		}
		s, err := mapping.SupplementOf(src, read)
		if err != nil {
			return outcome{}, stallOn(elevsynkv1.ReasonInvalidSpec, "%v", err)
		}
		supplements = append(supplements, s)
	}

	now, err := tenantNow(tenant, r.Now())
	if err != nil {
		return outcome{}, err
	}
	day := roster.DateOf(now)
	key := client.ObjectKeyFromObject(m)
	inputs := evaluationInputs(m, tenant, reg.Hash, sources[1:], fetched, day)
	if _, have := r.Desired.Get(key); have && r.lastInputs(key) == inputs && m.Status.DesiredHash != "" {
		o := readyOutcome(ReasonEvaluated, "%s", readyMessage(m.Status.TotalRooms, m.Status.Memberships, m.Status.Rooms))
		o.requeue = ctrl.Result{RequeueAfter: untilTomorrow(now)}
		return o, nil
	}

	state, rep, err := prog.Evaluate(reg.Result.Snapshot, supplements, day)
	if err != nil {
		return outcome{}, r.ruleErrors(m, err)
	}
	r.Desired.Put(key, snapshots.Desired{State: state, Hash: rep.DesiredHash, Report: rep, Register: reg.Result.Snapshot})
	r.remember(key, inputs)

	st := &m.Status
	st.Rooms, st.TotalRooms, st.Memberships, st.DesiredHash = rep.Rooms, rep.TotalRooms, rep.Memberships, rep.DesiredHash
	st.ExcludedPeople = rep.ExcludedPeople
	st.Joins = rep.Joins
	st.LastEvaluationTime = &metav1.Time{Time: now}
	o := readyOutcome(ReasonEvaluated, "%s", readyMessage(rep.TotalRooms, rep.Memberships, rep.Rooms))
	// Membership windows and lifetimes move with the calendar, so the
	// rooms are evaluated again each day even if the register is quiet.
	o.requeue = ctrl.Result{RequeueAfter: untilTomorrow(now)}
	return o, nil
}

// ruleErrors records rule errors in status and stalls: the last good
// desired state stays in the store and in use.
func (r *MappingReconciler) ruleErrors(m *elevsynkv1.Mapping, err error) error {
	var (
		ce *mapping.CompileError
		ee *mapping.EvaluationError
	)
	switch {
	case errors.As(err, &ce):
		m.Status.RuleErrors = ce.RuleErrors()
	case errors.As(err, &ee):
		m.Status.RuleErrors = ee.RuleErrors()
	default:
		return stallOn(elevsynkv1.ReasonInvalidSpec, "%v", err)
	}
	msgs := make([]string, len(m.Status.RuleErrors))
	for i, e := range m.Status.RuleErrors {
		msgs[i] = fmt.Sprintf("rule %q, %s: %s", e.Rule, e.Field, e.Message)
		if e.Rule == "" {
			msgs[i] = fmt.Sprintf("%s: %s", e.Field, e.Message)
		}
	}
	keep := ""
	if _, ok := r.Desired.Get(client.ObjectKeyFromObject(m)); ok {
		keep = "; the last good rooms stay in use"
	}
	return stallOn(ReasonRuleError, "%s%s", strings.Join(msgs, "; "), keep)
}

func readyMessage(total int32, memberships int64, kinds []elevsynkv1.KindCount) string {
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d %s", k.Count, k.Kind)
	}
	if len(parts) == 0 {
		return "no rooms are desired: no register object passes the rules"
	}
	return fmt.Sprintf("%d rooms (%s) with %d memberships", total, strings.Join(parts, ", "), memberships)
}

func notReadyHint(src *elevsynkv1.RegisterSource) string {
	for _, c := range src.Status.Conditions {
		if c.Type == elevsynkv1.ConditionReady && c.Status != "True" && c.Message != "" {
			return ": " + c.Message
		}
	}
	return ""
}

// evaluationInputs identifies everything an evaluation depends on: the
// supplements' generations (manual groups live in the spec) and the
// content hashes of those that fetch.
func evaluationInputs(m *elevsynkv1.Mapping, t *elevsynkv1.Tenant, registerHash string, supplements []*elevsynkv1.RegisterSource, fetched []string, day roster.Date) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d/%d/%s/%s", m.Generation, t.Generation, registerHash, day)
	for _, s := range supplements {
		fmt.Fprintf(&b, "/%s@%d", s.Name, s.Generation)
	}
	for _, h := range fetched {
		fmt.Fprintf(&b, "/%s", h)
	}
	return b.String()
}

// compile returns m's rules compiled with tenant's options, from the last
// compile if neither changed since.
func (r *MappingReconciler) compile(m *elevsynkv1.Mapping, tenant *elevsynkv1.Tenant) (*mapping.Program, error) {
	key, from := client.ObjectKeyFromObject(m), fmt.Sprintf("%s@%d/%s@%d", m.UID, m.Generation, tenant.UID, tenant.Generation)
	r.mu.Lock()
	c, ok := r.programs[key]
	r.mu.Unlock()
	if ok && c.from == from {
		return c.prog, nil
	}
	prog, err := mapping.Compile(m.Spec, mapping.TenantOptions(tenant.Spec))
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.programs == nil {
		r.programs = map[types.NamespacedName]compiled{}
	}
	r.programs[key] = compiled{from: from, prog: prog}
	return prog, nil
}

func (r *MappingReconciler) lastInputs(key types.NamespacedName) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.inputs[key]
}

func (r *MappingReconciler) remember(key types.NamespacedName, inputs string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inputs == nil {
		r.inputs = map[types.NamespacedName]string{}
	}
	if inputs == "" {
		delete(r.inputs, key)
		return
	}
	r.inputs[key] = inputs
}

// untilTomorrow is the time to the next local midnight, plus a minute so
// the new day has surely begun.
func untilTomorrow(now time.Time) time.Duration {
	y, mo, d := now.Date()
	return time.Date(y, mo, d+1, 0, 1, 0, 0, now.Location()).Sub(now)
}

// getReferenced reads a referenced object; a missing one is a wait shown in
// status, since applying it fixes the reference.
func getReferenced(ctx context.Context, c client.Reader, namespace, kind, name string, obj client.Object) error {
	err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, obj)
	if apierrors.IsNotFound(err) {
		return waitFor(elevsynkv1.ReasonDependencyMissing, "%s %q does not exist in namespace %s", kind, name, namespace)
	}
	if err != nil {
		return fmt.Errorf("reading %s %q: %w", kind, name, err)
	}
	return nil
}

// SetupWithManager watches Mappings, the RegisterSources they read and the
// Tenant: a source for a new snapshot or a change of readiness, the rest
// for changes someone made.
func (r *MappingReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	r.warnings = newWarner(r.Recorder, r.Now)
	err := mgr.GetFieldIndexer().IndexField(context.Background(), &elevsynkv1.Mapping{}, indexMappingSources,
		func(obj client.Object) []string {
			refs := obj.(*elevsynkv1.Mapping).Spec.SourceRefs
			names := make([]string, len(refs))
			for i, ref := range refs {
				names[i] = ref.Name
			}
			return names
		})
	if err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&elevsynkv1.Mapping{}, builder.WithPredicates(changedBySomeone())).
		Watches(&elevsynkv1.RegisterSource{}, enqueueReferrers(mgr, &elevsynkv1.MappingList{}, indexMappingSources),
			builder.WithPredicates(statusChanged(snapshotAndReadiness))).
		Watches(&elevsynkv1.Tenant{}, enqueueNamespace(mgr, &elevsynkv1.MappingList{}), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(opts).
		Complete(r)
}

// snapshotAndReadiness is what a Mapping reads of a RegisterSource's
// status: the snapshot it may evaluate, and why there is none. The time of
// the last good fetch is part of it: after a restart the first fetch puts
// a snapshot in memory whose hash status already shows.
func snapshotAndReadiness(obj client.Object) string {
	src := obj.(*elevsynkv1.RegisterSource)
	return fmt.Sprintf("%s %s %v", src.Status.ContentHash, readiness(src), src.Status.LastSuccessTime)
}

// readiness is obj's Ready condition as status and reason.
func readiness(obj object) string {
	c := apimeta.FindStatusCondition(obj.GetReconcileStatus().Conditions, elevsynkv1.ConditionReady)
	if c == nil {
		return "Unknown"
	}
	return string(c.Status) + "/" + c.Reason
}
