package charts_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/config/argocd"
	"github.com/elevsynk/elevsynk/internal/controlplane"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	regsandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
)

var (
	cp         *controlplane.Env
	managerBin string // the built ./cmd/manager
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// run builds the manager and starts a control plane with the chart's CRDs,
// as `helm install` applies crds/ first, and the Prometheus Operator's,
// for the chart's ServiceMonitor and PrometheusRule.
func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "elevsynk-chart-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	managerBin = filepath.Join(dir, "manager")
	// Built as the image's (hack/image, the Dockerfile), which also shares
	// the build cache with hack/image's test.
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", managerBin, "./cmd/manager")
	build.Dir = controlplane.Root()
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the manager:", err)
		return 1
	}
	monitoring := os.Getenv("MONITORING_CRDS")
	if monitoring == "" {
		fmt.Fprintln(os.Stderr, "MONITORING_CRDS is not set: run `make test`, or `export MONITORING_CRDS=$(hack/tools.sh monitoring-crds)`")
		return 1
	}
	if cp, err = controlplane.Start(filepath.Join(controlplane.Root(), "charts", "elevsynk", "crds")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = cp.Stop() }()
	if _, err := envtest.InstallCRDs(cp.Config, envtest.CRDInstallOptions{Paths: []string{monitoring}, ErrorIfPathMissing: true}); err != nil {
		fmt.Fprintln(os.Stderr, "installing the Prometheus Operator CRDs:", err)
		return 1
	}
	return m.Run()
}

// TestInstall applies every object each install renders, server-side as
// Argo CD and `kubectl apply --server-side` do (unknown fields refused),
// into its namespaces; then runs the manager the way the rendered
// Deployment would, as the chart's ServiceAccount, so the chart's RBAC is
// what it gets, and checks that it is ready and that a tenant becomes Ready.
func TestInstall(t *testing.T) {
	for _, in := range installs {
		t.Run(in.name, func(t *testing.T) {
			objs := render(t, in)
			for _, ns := range append([]string{in.namespace}, watchNamespaces(t, in)...) {
				ensureNamespace(t, ns)
			}
			for _, o := range objs {
				if err := cp.Client.Apply(context.Background(), client.ApplyConfigurationFromUnstructured(o),
					client.FieldOwner("chart-test"), client.ForceOwnership); err != nil {
					t.Errorf("applying %s %s/%s: %v", o.GetKind(), o.GetNamespace(), o.GetName(), err)
				}
			}
		})
	}
	t.Run("managers", func(t *testing.T) {
		for _, c := range []struct {
			install    string
			deployment string
			namespace  string // of the tenant
			labels     map[string]string
		}{
			{install: "default", deployment: "elevsynk", namespace: "kommun"},
			{install: "namespaced", deployment: "elevsynk", namespace: "friskolan"},
			{install: "sharded", deployment: "sharded-elevsynk-shard2", namespace: "storstad",
				labels: map[string]string{"sharding.elevsynk.io/key": "shard2"}},
		} {
			t.Run(c.install, func(t *testing.T) {
				in := installs[slices.IndexFunc(installs, func(i install) bool { return i.name == c.install })]
				d := deployments(t, render(t, in))[c.deployment]
				if d == nil {
					t.Fatalf("%s renders no Deployment %s", in.name, c.deployment)
				}
				mgr := startManager(t, in.namespace, d.Spec.Template.Spec.ServiceAccountName, d.Spec.Template.Spec.Containers[0].Args)
				objs := tenant(t, c.namespace, c.labels)
				for _, o := range objs {
					waitFor(t, mgr, o, "Ready", func(o client.Object) bool { return condition(o, "Ready") == "True" })
				}
				if !strings.Contains(mgr.metrics(t), `elevsynk_ready{kind="Tenant",name="exempelstad",namespace="`+c.namespace+`"} 1`) {
					t.Errorf("the manager's metrics do not show the Tenant ready")
				}
				if c.install == "default" {
					statusOfLiveObjects(t, mgr, objs)
				}
			})
		}
	})
}

func ensureNamespace(t *testing.T, name string) {
	t.Helper()
	err := cp.Client.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
}

// manager is the manager binary running against the control plane.
type manager struct {
	probes, metricsAddr string
	log                 string
}

// startManager runs the manager with the rendered container's arguments,
// authenticated as the ServiceAccount by a token from the TokenRequest
// API, as the kubelet mounts one. Three values only work inside a pod and
// are overridden: the metrics and probe addresses (the pod's own ports;
// here free loopback ports) and the leader election namespace (a pod reads
// it from its ServiceAccount's mount). It waits for /readyz.
func startManager(t *testing.T, namespace, serviceAccount string, args []string) *manager {
	t.Helper()
	ctx := context.Background()
	cs, err := kubernetes.NewForConfig(cp.Config)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cs.CoreV1().ServiceAccounts(namespace).CreateToken(ctx, serviceAccount,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: new(int64(3600))}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("a token for the ServiceAccount %s/%s: %v", namespace, serviceAccount, err)
	}
	dir := t.TempDir()
	kc := clientcmdapi.NewConfig()
	kc.Clusters["envtest"] = &clientcmdapi.Cluster{Server: cp.Config.Host, CertificateAuthorityData: cp.Config.CAData}
	kc.AuthInfos["sa"] = &clientcmdapi.AuthInfo{Token: tok.Status.Token}
	kc.Contexts["sa"] = &clientcmdapi.Context{Cluster: "envtest", AuthInfo: "sa"}
	kc.CurrentContext = "sa"
	kubeconfig := filepath.Join(dir, "kubeconfig")
	if err := clientcmd.WriteToFile(*kc, kubeconfig); err != nil {
		t.Fatal(err)
	}
	m := &manager{probes: freeAddr(t), metricsAddr: freeAddr(t), log: filepath.Join(dir, "manager.log")}
	logFile, err := os.Create(m.log)
	if err != nil {
		t.Fatal(err)
	}
	args = append(slices.Clone(args), "--health-probe-bind-address="+m.probes, "--metrics-bind-address="+m.metricsAddr,
		"--leader-election-namespace="+namespace)
	cmd := exec.Command(managerBin, args...)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// A test binary that dies (a timeout) takes its manager with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); logFile.Close() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			m.dumpLog(t)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			m.dumpLog(t)
			t.Fatalf("the manager exited: %v", err)
		default:
		}
		if resp, err := http.Get("http://" + m.probes + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the manager's /readyz did not answer 200 within 30 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (m *manager) metrics(t *testing.T) string {
	t.Helper()
	resp, err := http.Get("http://" + m.metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func (m *manager) dumpLog(t *testing.T) {
	data, _ := os.ReadFile(m.log)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	t.Logf("manager log, last lines:\n%s", strings.Join(lines[max(0, len(lines)-40):], "\n"))
}

// freeAddr is a loopback address with a port nobody listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// tenant applies config/samples' Tenant, register Secret, RegisterSource
// and Mapping in ns, the source pointed at a register sandbox serving a
// small generated municipality, and a file Target in mode Apply writing
// into a temporary directory; every object carries labels.
func tenant(t *testing.T, ns string, labels map[string]string) []client.Object {
	t.Helper()
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 15, Pupils: 40})
	reg := regsandbox.New(regsandbox.Options{ClientID: "elevsynk", ClientSecret: "sandbox-secret"})
	reg.FromSnapshot(snap)
	srv := httptest.NewServer(reg)
	t.Cleanup(srv.Close)
	set, err := manifests.Read(filepath.Join(controlplane.Root(), "config", "samples"), cp.Scheme)
	if err != nil {
		t.Fatal(err)
	}
	ensureNamespace(t, ns)
	var objs []client.Object
	for _, o := range set.Objects {
		switch v := o.Object.(type) {
		case *corev1.Secret:
			if v.Name != "register-credentials" {
				continue
			}
		case *elevsynkv1.RegisterSource:
			v.Spec.SS12000.URL = srv.URL + "/v2.0"
			v.Spec.SS12000.Auth.OAuth2.TokenURL = srv.URL + "/token"
		case *elevsynkv1.Tenant, *elevsynkv1.Mapping:
		default:
			continue
		}
		objs = append(objs, o.Object.(client.Object))
	}
	objs = append(objs, &elevsynkv1.Target{ObjectMeta: metav1.ObjectMeta{Name: "export"},
		Spec: elevsynkv1.TargetSpec{MappingRef: elevsynkv1.LocalReference{Name: "skolor"}, Mode: elevsynkv1.ModeApply,
			File: &elevsynkv1.FileTarget{Path: t.TempDir()}}})
	var elevsynk []client.Object
	for _, o := range objs {
		o.SetNamespace(ns)
		o.SetLabels(labels)
		if err := cp.Client.Create(context.Background(), o); err != nil {
			t.Fatalf("creating %T %s: %v", o, o.GetName(), err)
		}
		if _, ok := o.(*corev1.Secret); !ok {
			elevsynk = append(elevsynk, o)
		}
	}
	if len(elevsynk) != 4 {
		t.Fatalf("config/samples lacks the Tenant, the RegisterSource or the Mapping: %d objects", len(elevsynk))
	}
	return elevsynk
}

// condition is the status of obj's condition typ, "" when absent.
func condition(obj client.Object, typ string) string {
	for _, c := range obj.(interface {
		GetReconcileStatus() *elevsynkv1.ReconcileStatus
	}).GetReconcileStatus().Conditions {
		if c.Type == typ {
			return string(c.Status)
		}
	}
	return ""
}

// waitFor reads obj until ok holds, for up to 60 s.
func waitFor(t *testing.T, m *manager, obj client.Object, what string, ok func(client.Object) bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if err := cp.Client.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			t.Fatal(err)
		}
		if ok(obj) {
			return
		}
		if time.Now().After(deadline) {
			m.dumpLog(t)
			t.Fatalf("%T %s/%s not %s within 60 s: %+v", obj, obj.GetNamespace(), obj.GetName(), what,
				obj.(interface {
					GetReconcileStatus() *elevsynkv1.ReconcileStatus
				}).GetReconcileStatus().Conditions)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// statusOfLiveObjects computes kstatus (what Flux, kpt and cli-utils'
// apply wait on) and runs the Argo CD health scripts on objects the
// running manager reconciled: ready objects, a RegisterSource in the
// middle of a fetch and two Tenants in one namespace, which stall.
func statusOfLiveObjects(t *testing.T, m *manager, ready []client.Object) {
	t.Helper()
	check := func(obj client.Object, wantStatus status.Status, wantHealth string) {
		t.Helper()
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
		if err != nil {
			t.Fatal(err)
		}
		live := &unstructured.Unstructured{Object: u}
		live.SetGroupVersionKind(elevsynkv1.GroupVersion.WithKind(kindOf(obj)))
		res, err := status.Compute(live)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != wantStatus {
			t.Errorf("kstatus of %s %s/%s: %s (%s), want %s", live.GetKind(), live.GetNamespace(), live.GetName(), res.Status, res.Message, wantStatus)
		}
		h, err := argocd.Evaluate(live)
		if err != nil {
			t.Fatal(err)
		}
		if h.Status != wantHealth {
			t.Errorf("Argo CD health of %s %s/%s: %s (%s), want %s", live.GetKind(), live.GetNamespace(), live.GetName(), h.Status, h.Message, wantHealth)
		}
	}
	for _, o := range ready {
		check(o, status.CurrentStatus, "Healthy")
	}

	// A register that answers nothing until the manager's client gives up
	// (5 s for a sandbox): the source is Reconciling meanwhile.
	release := make(chan struct{})
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		http.Error(w, "gone", http.StatusServiceUnavailable)
	}))
	t.Cleanup(hung.Close)
	t.Cleanup(func() { close(release) })
	src := &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ready[0].GetNamespace(), Name: "hung",
		Annotations: map[string]string{elevsynkv1.SandboxAnnotation: "true"}},
		Spec: elevsynkv1.RegisterSourceSpec{SS12000: &elevsynkv1.SS12000Source{URL: hung.URL + "/v2.0",
			Auth: elevsynkv1.SS12000Auth{OAuth2: &elevsynkv1.OAuth2ClientCredentials{TokenURL: hung.URL + "/token",
				SecretRef: elevsynkv1.SecretReference{Name: "register-credentials"}}}}}}
	if err := cp.Client.Create(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	waitFor(t, m, src, "Reconciling", func(o client.Object) bool { return condition(o, "Reconciling") == "True" })
	check(src, status.InProgressStatus, "Progressing")

	ns := "two-tenants"
	ensureNamespace(t, ns)
	var tenants []client.Object
	for _, name := range []string{"a", "b"} {
		tn := &elevsynkv1.Tenant{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Spec: elevsynkv1.TenantSpec{DisplayName: name}}
		if err := cp.Client.Create(context.Background(), tn); err != nil {
			t.Fatal(err)
		}
		tenants = append(tenants, tn)
	}
	for _, tn := range tenants {
		waitFor(t, m, tn, "Stalled", func(o client.Object) bool { return condition(o, "Stalled") == "True" })
		check(tn, status.FailedStatus, "Degraded")
	}
}

func kindOf(obj client.Object) string {
	gvks, _, err := cp.Scheme.ObjectKinds(obj)
	if err != nil || len(gvks) == 0 {
		panic(errors.New("not a kind of the scheme"))
	}
	return gvks[0].Kind
}
