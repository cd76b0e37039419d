package controllers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	corev1 "k8s.io/api/core/v1"
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
	"github.com/elevsynk/elevsynk/internal/metrics"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/snapshots"
	"github.com/elevsynk/elevsynk/internal/source"
	"github.com/elevsynk/elevsynk/internal/source/fileget"
	"github.com/elevsynk/elevsynk/internal/source/ldap"
	"github.com/elevsynk/elevsynk/internal/source/ss12000"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Reasons a RegisterSource gives.
const (
	ReasonFetched              = "Fetched"
	ReasonFetchFailed          = "FetchFailed"
	ReasonAuthenticationFailed = "AuthenticationFailed"
	ReasonSecretNotFound       = "SecretNotFound"
	ReasonManualGroups         = "ManualGroups"
	// ReasonTLSFailed: no TLS connection to a directory (an untrusted
	// certificate, no StartTLS); retrying cannot help until someone acts.
	ReasonTLSFailed = "TLSFailed"
	// ReasonSizeLimitExceeded: the directory cut the search short.
	ReasonSizeLimitExceeded = "SizeLimitExceeded"
	// ReasonManagedGroup: a directoryGroups source names a room elevsynk
	// manages, which would feed itself.
	ReasonManagedGroup = "ManagedGroup"
	// ReasonGroupNotFound: a directoryGroups source names a group id the
	// directory does not have.
	ReasonGroupNotFound = "GroupNotFound"
	// ReasonHostKeyMismatch: an SFTP server showed a host key the
	// manifest does not pin; it may be a new key or someone in between.
	ReasonHostKeyMismatch = "HostKeyMismatch"
)

// Defaults the CRD also declares; repeated here for objects an API server
// did not default (the CLI reads manifests from files).
const (
	// defaultReconcileTimeout bounds one reconcile of any kind: a hung
	// register or target API must not hold a worker for ever. A first
	// provisioning that needs longer continues where it stopped.
	defaultReconcileTimeout = 30 * time.Minute

	defaultSourceInterval   = 15 * time.Minute
	defaultFullSyncInterval = 24 * time.Hour
	defaultMaxShrinkPercent = 20
)

// RegisterSourceReconciler fetches registers into the snapshot store.
type RegisterSourceReconciler struct {
	Client client.Client
	// Secrets reads Secrets straight from the API server: they are read
	// when used and never cached cluster-wide in the manager.
	Secrets client.Reader
	Store   *snapshots.Store[snapshots.Register]
	// Connect makes the adapter of the Target a directoryGroups source
	// reads from.
	Connect  platform.Connector
	Recorder events.EventRecorder
	Now      func() time.Time
	// Timeout bounds one reconcile; 0 means defaultReconcileTimeout.
	Timeout time.Duration

	pace     pacer
	warnings *warner
}

// +kubebuilder:rbac:groups="",resources=secrets,verbs=get

// Reconcile fetches the register when it is due, guards the result and
// keeps the last good snapshot.
func (r *RegisterSourceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var src elevsynkv1.RegisterSource
	if err := r.Client.Get(ctx, req.NamespacedName, &src); err != nil {
		if apierrors.IsNotFound(err) {
			r.Store.Delete(req.NamespacedName)
			r.pace.forget(req.NamespacedName)
			metrics.Forget(metrics.KindRegisterSource, req.Namespace, req.Name)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	// Status patches, Tenant status and restarts re-queue a source; only a
	// new generation, a new request or approval, a Tenant change or the
	// interval (or the backoff after a failure) make it fetch.
	inputs := tenantInputs(ctx, r.Client, src.Namespace)
	now := r.Now()
	if wait, due := r.pace.due(&src, elevsynkv1.ApproveSnapshotAnnotation, inputs, now); !due {
		return ctrl.Result{RequeueAfter: wait}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(r.Timeout, defaultReconcileTimeout))
	defer cancel()
	defer timeSync(metrics.KindRegisterSource, time.Now())
	var work *progress
	if src.Spec.Manual == nil {
		what := "register"
		if src.Spec.LDAP != nil || src.Spec.DirectoryGroups != nil {
			what = "directory"
		}
		work = startWork(ctx, r.Client, &src, "fetching the %s", what)
	}
	before := src.DeepCopy()
	o, err := r.reconcile(ctx, &src)
	work.end()
	res, failed, perr := finish(ctx, r.Client, r.warnings, &src, before, o, err)
	return r.pace.settle(before, elevsynkv1.ApproveSnapshotAnnotation, inputs, now,
		durationOr(src.Spec.Interval, defaultSourceInterval), res, failed, perr)
}

func (r *RegisterSourceReconciler) reconcile(ctx context.Context, src *elevsynkv1.RegisterSource) (outcome, error) {
	tenant, err := tenantOf(ctx, r.Client, src.Namespace)
	if err != nil {
		return outcome{}, err
	}
	key := client.ObjectKeyFromObject(src)
	now, err := tenantNow(tenant, r.Now())
	if err != nil {
		return outcome{}, err
	}
	src.Status.LastAttemptTime = &metav1.Time{Time: now}
	src.Status.LastHandledApproval = src.Annotations[elevsynkv1.ApproveSnapshotAnnotation]
	if m := src.Spec.Manual; m != nil {
		// Manual groups live in the spec: there is nothing to fetch, and
		// the Mappings that read this source watch it directly.
		src.Status.LastSuccessTime = &metav1.Time{Time: now}
		metrics.SourceFetched(src.Namespace, src.Name, metrics.FetchSuccess, src.Status.LastSuccessTime)
		return readyOutcome(ReasonManualGroups, "%d groups written by hand", len(m.Groups)), nil
	}

	fetcher, err := source.New(ctx, src, r.secretData(src.Namespace), r.groupReaders(src.Namespace))
	if err != nil {
		metrics.SourceFetched(src.Namespace, src.Name, metrics.FetchFailed, src.Status.LastSuccessTime)
		return outcome{}, fetchError(err)
	}
	prev, hasPrev := r.Store.Get(key)
	full := !hasPrev || src.Status.ObservedGeneration != src.Generation || src.Status.LastFullSyncTime == nil ||
		now.Sub(src.Status.LastFullSyncTime.Time) >= fullSyncInterval(src)
	var prevResult *source.Result
	if hasPrev {
		prevResult = prev.Result
	}
	res, err := fetcher.Fetch(ctx, prevResult, full)
	if err != nil {
		metrics.SourceFetched(src.Namespace, src.Name, metrics.FetchFailed, src.Status.LastSuccessTime)
		return outcome{}, fetchError(err)
	}

	day := roster.DateOf(now)
	counts := res.Counts(day)
	var hash string
	if res.Unchanged && hasPrev {
		hash = prev.Hash
	} else {
		hash = res.Hash()
	}
	// The guard compares with the counts in status, not only the store, so a
	// restarted manager (empty store) still refuses a shrunken register.
	if err := res.Guard(previousCounts(src.Status.Counts), day, maxShrinkPercent(src, tenant)); err != nil {
		var ge *source.GuardError
		if errors.As(err, &ge) && src.Annotations[elevsynkv1.ApproveSnapshotAnnotation] != hash {
			metrics.SourceFetched(src.Namespace, src.Name, metrics.FetchRefused, src.Status.LastSuccessTime)
			return stalledOutcome(ge.Reason, "%s; the last good snapshot stays in use. If the change is real, approve this snapshot with the annotation %s=%s",
				ge.Message, elevsynkv1.ApproveSnapshotAnnotation, hash), nil
		}
	}

	r.Store.Put(key, snapshots.Register{Result: res, Hash: hash})
	st := &src.Status
	st.Counts = registerCounts(counts)
	st.ContentHash = hash
	st.LastSuccessTime = &metav1.Time{Time: now}
	metrics.SourceFetched(src.Namespace, src.Name, metrics.FetchSuccess, st.LastSuccessTime)
	if res.Full {
		st.LastFullSyncTime = &metav1.Time{Time: now}
	}
	if !res.Unchanged || !hasPrev {
		findings := res.Findings()
		st.Findings = make([]elevsynkv1.ReasonCount, 0, len(findings))
		for _, f := range findings {
			st.Findings = append(st.Findings, elevsynkv1.ReasonCount{Reason: string(f.Kind), Count: int32(f.Count)})
		}
	}
	total := 0
	for _, f := range st.Findings {
		total += int(f.Count)
	}
	switch {
	case res.Directory != nil:
		return readyOutcome(ReasonFetched, "%d directory entries with the join attribute; %d data-quality findings",
			counts.Persons, total), nil
	case res.Groups != nil:
		return readyOutcome(ReasonFetched, "%d groups kept by hand with %d owners and members", counts.Groups, counts.Memberships), nil
	}
	return readyOutcome(ReasonFetched, "%d persons, %d groups, %d activities at %d school units; %d data-quality findings",
		counts.Persons, counts.Groups, counts.Activities, counts.SchoolUnits, total), nil
}

// fetchError sorts a failed fetch into what an administrator must do.
// Messages come from our own error types, which name endpoints, pages and
// Secret keys but never register content. Secrets are not watched, so a
// source waiting for one looks again each interval, as the pacer has it.
func fetchError(err error) error {
	var (
		ce  *conditionError
		mge *target.ManagedGroupError
		gne *target.GroupNotFoundError
		se  *source.SecretError
		ae  *ss12000.AuthError
		ste *ss12000.StatusError
		be  *ldap.BindError
		te  *ldap.TLSError
		sle *ldap.SizeLimitError
		fe  *ldap.FieldError
		ise *source.InvalidSpecError
		hke *fileget.HostKeyError
		fae *fileget.AuthError
		fse *fileget.StatusError
	)
	switch {
	case errors.As(err, &ce): // already says what to do (a missing Target)
		return err
	case apierrors.IsNotFound(err):
		return waitFor(ReasonSecretNotFound, "%v", err)
	case errors.As(err, &mge):
		return stallOn(ReasonManagedGroup, "spec.directoryGroups: %v", err)
	case errors.As(err, &gne):
		return stallOn(ReasonGroupNotFound, "spec.directoryGroups.ids: %v", err)
	case errors.As(err, &se):
		return stallOn(ReasonSecretNotFound, "%v", err)
	case errors.As(err, &ae), errors.As(err, &be), errors.As(err, &fae),
		errors.As(err, &ste) && (ste.StatusCode == http.StatusUnauthorized || ste.StatusCode == http.StatusForbidden),
		errors.As(err, &fse) && (fse.Status == http.StatusUnauthorized || fse.Status == http.StatusForbidden):
		return stallOn(ReasonAuthenticationFailed, "%v", err)
	case errors.As(err, &te):
		return stallOn(ReasonTLSFailed, "%v", err)
	case errors.As(err, &sle):
		return stallOn(ReasonSizeLimitExceeded, "%v", err)
	case errors.As(err, &fe), errors.As(err, &ise):
		return stallOn(elevsynkv1.ReasonInvalidSpec, "%v", err)
	case errors.As(err, &hke):
		return stallOn(ReasonHostKeyMismatch, "%v", err)
	}
	return failWith(ReasonFetchFailed, err)
}

func (r *RegisterSourceReconciler) secretData(namespace string) source.Secrets {
	return func(ctx context.Context, name string) (map[string][]byte, error) {
		var s corev1.Secret
		if err := r.Secrets.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, &s); err != nil {
			if apierrors.IsNotFound(err) {
				return nil, apierrors.NewNotFound(corev1.Resource("secrets"), name)
			}
			return nil, fmt.Errorf("reading Secret %q: %w", name, err)
		}
		return s.Data, nil
	}
}

// groupReaders connect to the directory of a Target in namespace, with
// the Secret its auth names, for a directoryGroups source.
func (r *RegisterSourceReconciler) groupReaders(namespace string) source.GroupReaders {
	return func(ctx context.Context, name string) (target.GroupReader, error) {
		var t elevsynkv1.Target
		if err := getReferenced(ctx, r.Client, namespace, "Target", name, &t); err != nil {
			return nil, err
		}
		var data map[string][]byte
		if s := platform.SecretName(&t.Spec); s != "" {
			var err error
			if data, err = r.secretData(namespace)(ctx, s); err != nil {
				return nil, err
			}
		}
		gr, err := platform.GroupReader(ctx, r.Connect, &t, data)
		if err != nil {
			return nil, stallOn(ReasonConnectFailed, "spec.directoryGroups.targetRef: %v", err)
		}
		return gr, nil
	}
}

func durationOr(d *metav1.Duration, def time.Duration) time.Duration {
	if d == nil || d.Duration <= 0 {
		return def
	}
	return d.Duration
}

func fullSyncInterval(src *elevsynkv1.RegisterSource) time.Duration {
	if src.Spec.SS12000 != nil {
		return durationOr(src.Spec.SS12000.FullSyncInterval, defaultFullSyncInterval)
	}
	return defaultFullSyncInterval
}

func maxShrinkPercent(src *elevsynkv1.RegisterSource, tenant *elevsynkv1.Tenant) int {
	switch {
	case src.Spec.MaxShrinkPercent != nil:
		return int(*src.Spec.MaxShrinkPercent)
	case tenant.Spec.Safety.MaxSourceShrinkPercent > 0:
		return int(tenant.Spec.Safety.MaxSourceShrinkPercent)
	}
	return defaultMaxShrinkPercent
}

func previousCounts(c *elevsynkv1.RegisterCounts) *roster.Counts {
	if c == nil {
		return nil
	}
	return &roster.Counts{
		Organisations: int(c.Organisations), SchoolUnits: int(c.SchoolUnits), Persons: int(c.Persons),
		Students: int(c.Students), Staff: int(c.Staff), Groups: int(c.Groups), Duties: int(c.Duties),
		Activities: int(c.Activities), Syllabuses: int(c.Syllabuses), Memberships: int(c.Memberships), Teachers: int(c.Teachers),
	}
}

func registerCounts(c roster.Counts) *elevsynkv1.RegisterCounts {
	return &elevsynkv1.RegisterCounts{
		Organisations: int32(c.Organisations), SchoolUnits: int32(c.SchoolUnits), Persons: int32(c.Persons),
		Students: int32(c.Students), Staff: int32(c.Staff), Groups: int32(c.Groups), Duties: int32(c.Duties),
		Activities: int32(c.Activities), Syllabuses: int32(c.Syllabuses), Memberships: int32(c.Memberships), Teachers: int32(c.Teachers),
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func isReady(obj object) bool {
	return apimeta.IsStatusConditionTrue(obj.GetReconcileStatus().Conditions, elevsynkv1.ConditionReady)
}

// SetupWithManager watches RegisterSources and their namespace's Tenant,
// each for changes someone made, not for status.
func (r *RegisterSourceReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	r.warnings = newWarner(r.Recorder, r.Now)
	return ctrl.NewControllerManagedBy(mgr).
		For(&elevsynkv1.RegisterSource{}, builder.WithPredicates(changedBySomeone())).
		Watches(&elevsynkv1.Tenant{}, enqueueNamespace(mgr, &elevsynkv1.RegisterSourceList{}), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(opts).
		Complete(r)
}
