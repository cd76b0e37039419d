// Package scale runs the real manager with many tenants, each with its own
// SS 12000, Microsoft Graph and Google sandbox, and measures what a
// 15-minute cycle costs: CPU seconds of the manager's process (the
// sandboxes, kube-apiserver and etcd run in processes of their own), its
// peak heap, and the requests the sandboxes answered and the CPU seconds
// they took. Only benchmarks live here: `go test ./...` runs nothing.
package scale

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/go-logr/logr"
	dto "github.com/prometheus/client_model/go"
	"golang.org/x/sys/unix"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	"github.com/elevsynk/elevsynk/internal/benchdata"
	"github.com/elevsynk/elevsynk/internal/controlplane"
)

// cycle is the sync interval the benchmark stands for.
const cycle = 15 * time.Minute

// BenchmarkManager runs N tenants of municipalitySizes through a first
// full pass, a cycle right after it (which reads back the pass's own
// writes), then per iteration a cycle when nothing changed, one when 1 %
// of the register memberships changed, and the cycle after that, which
// reads back the change's writes (Graph's delta and the Google roster
// recheck show them, and the register's overlap window fetches the change
// again). Without that echo cycle of its own, every quiet cycle but the
// first would be measured with the previous change's echo in it. A cycle
// is what the 15-minute interval does, asked for at once with the
// reconcile-request annotation on every RegisterSource and Target.
func BenchmarkManager(b *testing.B) {
	for _, n := range []int{10, 50} {
		b.Run(fmt.Sprintf("tenants=%d", n), func(b *testing.B) {
			sizes := municipalitySizes(n, 2026)
			total := 0
			for _, s := range sizes {
				total += s
			}
			b.Logf("pupils per tenant %v, %d in all", sizes, total)
			run(b, sizes, elevsynkv1.ModeApply)
		})
	}
}

// BenchmarkManagerLarge is one 120 000-pupil tenant with two Targets, for
// the manager's peak heap. The Targets plan (mode Plan) against empty
// sandboxes: that plan, every create and member add, is the largest a
// Target holds, and provisioning 120 000 pupils through the sandboxes
// would take far longer than the measurement needs.
func BenchmarkManagerLarge(b *testing.B) {
	run(b, []int{120000}, elevsynkv1.ModePlan)
}

func run(b *testing.B, sizes []int, mode elevsynkv1.Mode) {
	logf.SetLogger(logr.Discard())
	env, err := controlplane.Start("")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = env.Stop() })
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)

	sb := startSandboxes(b, sizes)
	namespaces := make([]string, len(sizes))
	for i, ep := range sb.Tenants {
		namespaces[i] = fmt.Sprintf("kommun-%02d", i)
		if err := applyTenant(ctx, env, namespaces[i], ep, mode); err != nil {
			b.Fatal(err)
		}
	}
	mgr, err := controllers.NewManager(env.Config, env.Scheme, controllers.ManagerOptions{
		MetricsAddr: "0", ProbeAddr: "0", SkipNameValidation: true})
	if err != nil {
		b.Fatal(err)
	}
	w := &watcher{cache: mgr.GetCache(), sandboxes: sb, env: env, namespaces: namespaces}
	// What the test's clients and the manager, not yet started, hold;
	// held figures are above it.
	w.baseline = liveHeap()
	b.ResetTimer()
	// The first pass: from the manager's start, with every object applied
	// and nothing fetched yet, until every Target has planned or applied.
	first := w.measure(b, "", func() {
		go func() {
			if err := mgr.Start(ctx); err != nil {
				b.Error(err)
			}
		}()
	})
	first.report(b, "first", first)
	b.ReportMetric(float64(w.baseline)/(1<<20), "baseline-MiB")
	w.measure(b, "settle", nil).report(b, "settle", first)
	var quiet, change, echo []figures
	for i := 0; i < b.N; i++ {
		quiet = append(quiet, w.measure(b, "nochange"+strconv.Itoa(i), nil))
		change = append(change, w.measure(b, "change"+strconv.Itoa(i), func() {
			if err := sb.changeMemberships(0.01); err != nil {
				b.Fatal(err)
			}
		}))
		echo = append(echo, w.measure(b, "echo"+strconv.Itoa(i), nil))
	}
	// With -benchtime Nx, each kind of cycle reports its median run by
	// CPU, a typical cycle (one run's CPU varies by a third on this
	// machine), and its mean CPU: the Graph Targets read everything every
	// 12th sync (msgraph.Options.FullEvery), a cycle the median leaves out
	// and the mean counts, once in 12 with -benchtime 12x.
	for kind, fs := range map[string][]figures{"nochange": quiet, "change1pct": change, "echo1pct": echo} {
		median(fs).report(b, kind, first)
		mean := 0.0
		for _, f := range fs {
			mean += f.cpu / float64(len(fs))
		}
		b.ReportMetric(mean, kind+"-mean-cpu-s")
		b.ReportMetric(100*mean/first.cpu, kind+"-mean-%first-cpu")
	}
}

func median(fs []figures) figures {
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b figures) int { return cmp.Compare(a.cpu, b.cpu) })
	return fs[len(fs)/2]
}

// figures are what one cycle cost.
type figures struct {
	// cpu is the manager's process, seconds, user and system, less
	// harnessCPU: what the benchmark's own reconcile requests, polls and
	// heap samples took in that process (onThread).
	cpu, harnessCPU float64
	peakHeap        uint64 // bytes of heap objects, sampled
	// held is the bytes live after the cycle above the baseline.
	held       uint64
	reqs       [sandboxKinds]int64
	sandboxCPU float64 // seconds the sandboxes took to answer
	// kubeWrites are the manager's writes to the API server (status
	// patches, events), each of which its informers then read back.
	kubeWrites int
}

// report reports f under prefix, and its CPU as a share of first's.
func (f figures) report(b *testing.B, prefix string, first figures) {
	b.ReportMetric(f.cpu, prefix+"-cpu-s")
	b.ReportMetric(f.harnessCPU, prefix+"-harness-cpu-s")
	b.ReportMetric(float64(f.peakHeap)/(1<<20), prefix+"-peak-MiB")
	b.ReportMetric(float64(f.held)/(1<<20), prefix+"-held-MiB")
	b.ReportMetric(f.sandboxCPU, prefix+"-sandbox-cpu-s")
	b.ReportMetric(float64(f.kubeWrites), prefix+"-kube-writes")
	for k, n := range f.reqs {
		b.ReportMetric(float64(n), prefix+"-"+sandboxNames[k]+"-req")
	}
	if prefix != "first" {
		b.ReportMetric(100*f.cpu/first.cpu, prefix+"-%first-cpu")
	}
}

type watcher struct {
	cache      client.Reader
	env        *controlplane.Env
	sandboxes  *sandboxes
	namespaces []string // one a tenant
	baseline   uint64   // live heap bytes before the manager started
}

// measure runs one cycle: start (if any), then a reconcile request on
// every RegisterSource and Target unless this is the first pass, and
// waits until all are done. Each cycle starts on a collected heap whose
// free memory is back with the OS: after a collection alone, the runtime's
// background scavenger returned the previous cycle's garbage during the
// next, a tenth of a quiet cycle's CPU.
func (w *watcher) measure(b *testing.B, request string, start func()) figures {
	debug.FreeOSMemory()
	served0, err := w.sandboxes.figures()
	if err != nil {
		b.Fatal(err)
	}
	writes0 := kubeWrites()
	cpu0 := benchdata.CPUTime().Seconds()
	stopProfile := startProfile(b, request)
	peak := sampleHeap()
	if start != nil {
		start()
	}
	requested, harness := 0, time.Duration(0)
	if request != "" {
		harness = onThread(func() { requested = w.request(b, request) })
	}
	harness += w.wait(b, request)
	peakHeap, sampling := peak()
	harness += sampling
	f := figures{cpu: (benchdata.CPUTime() - harness).Seconds() - cpu0, harnessCPU: harness.Seconds(), peakHeap: peakHeap}
	stopProfile()
	live := liveHeap()
	f.held = live - min(w.baseline, live)
	served1, err := w.sandboxes.figures()
	if err != nil {
		b.Fatal(err)
	}
	for k := range f.reqs {
		f.reqs[k] = served1.Requests[k] - served0.Requests[k]
	}
	f.sandboxCPU = served1.CPU - served0.CPU
	f.kubeWrites = kubeWrites() - writes0 - requested
	return f
}

// startProfile writes a CPU profile of the cycle to
// $SCALE_CPUPROFILE-<cycle>.pprof, if that is set: how the costs of a
// quiet cycle were found. It returns the function that ends it.
func startProfile(b *testing.B, request string) func() {
	prefix := os.Getenv("SCALE_CPUPROFILE")
	if prefix == "" {
		return func() {}
	}
	if request == "" {
		request = "first"
	}
	f, err := os.Create(prefix + "-" + request + ".pprof")
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// request patches the reconcile-request annotation to value on every
// source and Target, and returns how many patches it sent.
func (w *watcher) request(b *testing.B, value string) int {
	n := 0
	for _, ns := range w.namespaces {
		objs := []client.Object{&elevsynkv1.RegisterSource{}, &elevsynkv1.Target{}, &elevsynkv1.Target{}}
		for i, name := range []string{"register", "microsoft365", "google"} {
			objs[i].SetNamespace(ns)
			objs[i].SetName(name)
			patch := client.RawPatch("application/merge-patch+json",
				fmt.Appendf(nil, `{"metadata":{"annotations":{%q:%q}}}`, elevsynkv1.ReconcileRequestAnnotation, value))
			if err := w.env.Client.Patch(context.Background(), objs[i], patch); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	return n
}

// wait polls the manager's cache until every object handled request (if
// any) and is Ready, and no controller has work queued or under way, two
// polls a second apart (a status patch takes a moment to re-queue its
// readers). The polls run in the measured process, so it returns the CPU
// time they took (onThread), which the cycle's figure leaves out: gathering the
// manager's metrics for busy was a twelfth of a quiet cycle's CPU (and
// five times a second, a twentieth more). It asserts no speed: the
// deadline only stops a run that hangs.
func (w *watcher) wait(b *testing.B, request string) time.Duration {
	deadline := time.Now().Add(30 * time.Minute)
	calm, polling := 0, time.Duration(0)
	for calm < 2 {
		if time.Now().After(deadline) {
			b.Fatalf("cycle %q: not done after 30 minutes: %v", request, w.pending(request))
		}
		time.Sleep(time.Second)
		done := false
		polling += onThread(func() { done = w.pending(request) == nil && !busy() })
		if !done {
			calm = 0
			continue
		}
		calm++
	}
	return polling
}

// pending says which object is not done yet, or nil.
func (w *watcher) pending(request string) error {
	ctx := context.Background()
	var (
		sources  elevsynkv1.RegisterSourceList
		mappings elevsynkv1.MappingList
		targets  elevsynkv1.TargetList
	)
	for _, l := range []client.ObjectList{&sources, &mappings, &targets} {
		if err := w.cache.List(ctx, l); err != nil {
			return err
		}
	}
	var objs []interface {
		client.Object
		GetReconcileStatus() *elevsynkv1.ReconcileStatus
	}
	for i := range sources.Items {
		objs = append(objs, &sources.Items[i])
	}
	for i := range mappings.Items {
		objs = append(objs, &mappings.Items[i])
	}
	for i := range targets.Items {
		objs = append(objs, &targets.Items[i])
	}
	if len(objs) != 4*len(w.namespaces) {
		return fmt.Errorf("%d objects in the cache", len(objs))
	}
	for _, o := range objs {
		st := o.GetReconcileStatus()
		if _, isMapping := o.(*elevsynkv1.Mapping); !isMapping && st.LastHandledReconcileAt != request {
			return fmt.Errorf("%s/%s has not handled request %q", o.GetNamespace(), o.GetName(), request)
		}
		if c := apimeta.FindStatusCondition(st.Conditions, elevsynkv1.ConditionReady); c == nil || c.Status != "True" {
			return fmt.Errorf("%s/%s is not Ready: %v", o.GetNamespace(), o.GetName(), c)
		}
	}
	return nil
}

// busy says whether any controller has work queued or under way.
func busy() bool {
	families, err := crmetrics.Registry.Gather()
	if err != nil {
		return true
	}
	for _, f := range families {
		switch f.GetName() {
		case "workqueue_depth", "controller_runtime_active_workers":
			for _, m := range f.GetMetric() {
				if gaugeOf(m) > 0 {
					return true
				}
			}
		}
	}
	return false
}

func gaugeOf(m *dto.Metric) float64 { return m.GetGauge().GetValue() }

// kubeWrites counts the process's writes to the API server so far, the
// test's own included.
func kubeWrites() int {
	families, err := crmetrics.Registry.Gather()
	if err != nil {
		panic(err)
	}
	n := 0.0
	for _, f := range families {
		if f.GetName() != "rest_client_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "method" && l.GetValue() != http.MethodGet {
					n += m.GetCounter().GetValue()
				}
			}
		}
	}
	return int(n)
}

// onThread runs f locked to an OS thread and returns the CPU time that
// thread took: the benchmark's own work in the manager's process, told
// apart from the manager's, which runs on other threads at the same time
// (the process's CPU time around f counted the reconciles f's patches set
// off). Work f hands to other goroutines, such as the HTTP transport's
// reads and writes, stays in the manager's figure, which errs on the side
// of charging the manager.
func onThread(f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := threadCPU()
	f()
	return threadCPU() - t0
}

func threadCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// liveHeap collects garbage and returns the bytes of heap objects left:
// what the process holds, where the peak (sampleHeap) also counts garbage
// the collector had not reached yet.
func liveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampleHeap samples the bytes of heap objects (live and not yet swept)
// every 5 ms until the returned function is called, which gives the peak
// and the CPU time the sampling took. It samples on a thread of its own
// (onThread), so that the cycle's figure can leave it out: 200 reads a
// second of the runtime's metrics are the benchmark's work, not the
// manager's.
func sampleHeap() func() (peak uint64, took time.Duration) {
	done := make(chan struct{})
	type result struct {
		peak uint64
		took time.Duration
	}
	out := make(chan result)
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		var r result
		r.took = onThread(func() {
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				metrics.Read(s)
				r.peak = max(r.peak, s[0].Value.Uint64())
				select {
				case <-done:
					return
				case <-t.C:
				}
			}
		})
		out <- r
	}()
	return func() (uint64, time.Duration) {
		close(done)
		r := <-out
		return r.peak, r.took
	}
}
