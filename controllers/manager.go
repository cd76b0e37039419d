package controllers

import (
	"cmp"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/snapshots"
)

// ManagerOptions are the manager's settings, from flags.
type ManagerOptions struct {
	MetricsAddr      string
	ProbeAddr        string
	LeaderElection   bool
	LeaderElectionID string
	// LeaderElectionNamespace holds the lease; empty means the manager's
	// own namespace, which only a manager in a cluster knows.
	LeaderElectionNamespace string
	// LeaseDuration, RenewDeadline and RetryPeriod pace leader election;
	// 0 means controller-runtime's 15 s, 10 s and 2 s. Tests shorten them
	// to see a failover in seconds.
	LeaseDuration, RenewDeadline, RetryPeriod time.Duration
	WatchLabelSelector                        string // shards tenants across managers, as Flux does
	// WatchNamespaces, when set, limits the manager to these tenant
	// namespaces (the namespaced install mode: Roles instead of a
	// ClusterRole, Secrets read only there).
	WatchNamespaces []string

	// Concurrency is how many objects of each kind are reconciled at once,
	// so one slow tenant cannot hold up the others; 0 means 4.
	Concurrency int
	// ReconcileTimeout bounds one reconcile; 0 means 30 minutes.
	ReconcileTimeout time.Duration

	// SkipNameValidation lets tests run two managers in one process.
	SkipNameValidation bool
}

// NewManager builds a manager with every elevsynk controller registered. The
// operator binary and the tests build it the same way.
func NewManager(cfg *rest.Config, scheme *runtime.Scheme, opts ManagerOptions) (ctrl.Manager, error) {
	sel, err := labels.Parse(opts.WatchLabelSelector)
	if err != nil {
		return nil, fmt.Errorf("watch label selector: %w", err)
	}
	// The selector applies to elevsynk's own kinds only: the Secrets and
	// ConfigMaps they name are the customer's and carry no shard label.
	byObject := map[client.Object]cache.ByObject{}
	for _, obj := range []client.Object{&elevsynkv1.Tenant{}, &elevsynkv1.RegisterSource{}, &elevsynkv1.Mapping{}, &elevsynkv1.Target{}} {
		byObject[obj] = cache.ByObject{Label: sel}
	}
	cacheOpts := cache.Options{ByObject: byObject}
	if len(opts.WatchNamespaces) > 0 {
		cacheOpts.DefaultNamespaces = map[string]cache.Config{}
		for _, ns := range opts.WatchNamespaces {
			cacheOpts.DefaultNamespaces[ns] = cache.Config{}
		}
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                  scheme,
		Metrics:                 metricsserver.Options{BindAddress: opts.MetricsAddr},
		HealthProbeBindAddress:  opts.ProbeAddr,
		LeaderElection:          opts.LeaderElection,
		LeaderElectionID:        opts.LeaderElectionID,
		LeaderElectionNamespace: opts.LeaderElectionNamespace,
		LeaseDuration:           new(cmp.Or(opts.LeaseDuration, 15*time.Second)),
		RenewDeadline:           new(cmp.Or(opts.RenewDeadline, 10*time.Second)),
		RetryPeriod:             new(cmp.Or(opts.RetryPeriod, 2*time.Second)),
		Cache:                   cacheOpts,
		Controller:              config.Controller{SkipNameValidation: &opts.SkipNameValidation},
	})
	if err != nil {
		return nil, fmt.Errorf("creating manager: %w", err)
	}
	c := mgr.GetClient()
	registers := snapshots.New[snapshots.Register]()
	desired := snapshots.New[snapshots.Desired]()
	workers := controller.Options{MaxConcurrentReconciles: opts.Concurrency}
	if workers.MaxConcurrentReconciles <= 0 {
		workers.MaxConcurrentReconciles = 4
	}
	timeout := opts.ReconcileTimeout
	recorder := mgr.GetEventRecorder("elevsynk")
	setups := []interface {
		SetupWithManager(ctrl.Manager, controller.Options) error
	}{
		&TenantReconciler{Client: c, Recorder: recorder},
		&RegisterSourceReconciler{Client: c, Secrets: mgr.GetAPIReader(), Store: registers, Connect: platform.Connect,
			Recorder: recorder, Now: time.Now, Timeout: timeout},
		&MappingReconciler{Client: c, Registers: registers, Desired: desired, Recorder: recorder, Now: time.Now, Timeout: timeout},
		&TargetReconciler{Client: c, Secrets: mgr.GetAPIReader(), Desired: desired, Connect: platform.Connect,
			Recorder: recorder, Now: time.Now, Timeout: timeout},
	}
	for _, s := range setups {
		if err := s.SetupWithManager(mgr, workers); err != nil {
			return nil, fmt.Errorf("setting up %T: %w", s, err)
		}
	}
	return mgr, nil
}
