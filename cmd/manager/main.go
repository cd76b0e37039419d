// Command manager runs the elevsynk controllers.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // Tenants' time zones in an image without /usr/share/zoneinfo

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/memlimit"
)

func main() {
	var opts controllers.ManagerOptions
	flag.StringVar(&opts.MetricsAddr, "metrics-bind-address", ":8080", "Address the metrics endpoint binds to; 0 disables it.")
	flag.StringVar(&opts.ProbeAddr, "health-probe-bind-address", ":8081", "Address the health and readiness probes bind to.")
	flag.BoolVar(&opts.LeaderElection, "leader-elect", false, "Elect a leader, so only one replica of a shard acts at a time.")
	flag.StringVar(&opts.LeaderElectionID, "leader-election-id", "elevsynk.io", "Name of the lease; give each shard its own.")
	flag.StringVar(&opts.LeaderElectionNamespace, "leader-election-namespace", "",
		"Namespace of the lease; empty means the manager's own (needed outside a cluster).")
	flag.DurationVar(&opts.LeaseDuration, "leader-election-lease-duration", 15*time.Second,
		"How long a replica waits after the leader's last renewal before it takes over.")
	flag.DurationVar(&opts.RenewDeadline, "leader-election-renew-deadline", 10*time.Second,
		"How long the leader tries to renew its lease before it gives up leading (and exits).")
	flag.DurationVar(&opts.RetryPeriod, "leader-election-retry-period", 2*time.Second,
		"How often replicas try to acquire or renew the lease.")
	flag.StringVar(&opts.WatchLabelSelector, "watch-label-selector", "",
		"Watch only elevsynk objects whose labels match this selector, e.g. 'sharding.elevsynk.io/key=shard1', to split tenants across managers.")
	flag.IntVar(&opts.Concurrency, "concurrency", 4, "How many objects of each kind are reconciled at once, so one slow tenant cannot hold up the others.")
	flag.DurationVar(&opts.ReconcileTimeout, "reconcile-timeout", 30*time.Minute, "Longest one reconcile may take; a longer first provisioning continues in the next.")
	var namespaces string
	flag.StringVar(&namespaces, "watch-namespaces", "",
		"Comma-separated tenant namespaces to watch (the namespaced install mode, with Roles in each); empty watches every namespace.")
	zapOpts := zap.Options{}
	zapOpts.BindFlags(flag.CommandLine)
	flag.Parse()
	for _, ns := range strings.Split(namespaces, ",") {
		if ns = strings.TrimSpace(ns); ns != "" {
			opts.WatchNamespaces = append(opts.WatchNamespaces, ns)
		}
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts)))

	if err := run(opts); err != nil {
		fmt.Fprintln(os.Stderr, "manager:", err)
		os.Exit(1)
	}
}

func run(opts controllers.ManagerOptions) error {
	if _, err := labels.Parse(opts.WatchLabelSelector); err != nil {
		return fmt.Errorf("--watch-label-selector: %w", err)
	}
	if opts.Concurrency < 1 {
		return fmt.Errorf("--concurrency must be at least 1, not %d", opts.Concurrency)
	}
	if opts.ReconcileTimeout < time.Minute {
		return fmt.Errorf("--reconcile-timeout must be at least 1m, not %s", opts.ReconcileTimeout)
	}
	switch n, err := memlimit.FromCgroup(); {
	case err != nil:
		ctrl.Log.Error(err, "the container's memory limit is unreadable; the Go memory limit is not set")
	case n > 0:
		ctrl.Log.Info("Go memory limit set from the container's", "bytes", n)
	}
	scheme := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(elevsynkv1.AddToScheme(scheme))

	mgr, err := controllers.NewManager(ctrl.GetConfigOrDie(), scheme, opts)
	if err != nil {
		return err
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	return mgr.Start(ctrl.SetupSignalHandler())
}
