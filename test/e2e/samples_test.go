package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/controlplane"
	"github.com/elevsynk/elevsynk/internal/manifests"
)

// The README's path for a new user, with the real binaries: `elevsynk
// sandbox`, config/samples applied unchanged but for the sandbox ports
// (free ones, so the test cannot clash with anything), and the manager
// with its default flags, probes on :8081 and metrics on :8080 included.
// Every object must become Ready, as `kubectl wait --for=condition=Ready`
// waits for; the Microsoft 365 Target signs in at the Graph sandbox's own
// authority with the sample's client secret.
func TestSamplesAsANewUserRunsThem(t *testing.T) {
	ports := freePorts(t, 3)
	startCLISandbox(t, ports)
	dir := samplesOn(t, map[string]string{"18081": ports[0], "18082": ports[1], "18083": ports[2]})

	set, err := manifests.Read(dir, cp.Scheme)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var objs []client.Object
	for _, o := range set.Objects {
		obj := o.Object.(client.Object)
		if _, ok := obj.(*corev1.Namespace); ok {
			if err := cp.Client.Create(ctx, obj); err != nil {
				t.Fatal(err)
			}
			continue
		}
		objs = append(objs, obj)
	}
	for _, obj := range objs {
		if err := cp.Client.Create(ctx, obj); err != nil {
			t.Fatalf("applying %T %s: %v", obj, obj.GetName(), err)
		}
	}
	// The next test's managers watch every namespace: this tenant, its
	// sandbox gone, must not keep their workers busy.
	t.Cleanup(func() {
		for _, obj := range objs {
			if err := client.IgnoreNotFound(cp.Client.Delete(context.Background(), obj)); err != nil {
				t.Errorf("deleting %T %s: %v", obj, obj.GetName(), err)
			}
		}
	})

	m := &replica{name: "manager", logs: logDir(t), ports: true}
	m.start(t)
	t.Cleanup(m.stop)
	done, _ := m.current()
	deadline := time.After(2 * time.Minute)
	waitFor(t, deadline, done, "the manager's readiness probe on :8081", func() error { return get("http://127.0.0.1:8081/readyz", "ok") })

	kinds := 0
	for _, obj := range objs {
		st, ok := obj.(interface {
			client.Object
			GetReconcileStatus() *elevsynkv1.ReconcileStatus
		})
		if !ok {
			continue // a Secret
		}
		kinds++
		key := client.ObjectKeyFromObject(obj)
		waitFor(t, deadline, done, fmt.Sprintf("%T %s Ready", obj, key.Name), func() error {
			if err := cp.Client.Get(ctx, key, st); err != nil {
				return err
			}
			reason, ready := readyReason(st)
			if observed := st.GetReconcileStatus().ObservedGeneration; !ready || observed != st.GetGeneration() {
				return fmt.Errorf("%T %s: Ready reason %q, generation %d observed %d", st, key.Name, reason, st.GetGeneration(), observed)
			}
			return nil
		})
	}
	if kinds != 5 {
		t.Fatalf("waited for %d objects, want the samples' Tenant, RegisterSource, Mapping and two Targets", kinds)
	}
	waitFor(t, deadline, done, "elevsynk metrics on :8080", func() error {
		return get("http://127.0.0.1:8080/metrics", `elevsynk_ready{kind="Target",name="microsoft365",namespace="exempelstad"} 1`)
	})
}

// freePorts are n loopback ports free a moment ago.
func freePorts(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		out = append(out, port)
		defer ln.Close()
	}
	return out
}

// startCLISandbox runs `elevsynk sandbox` on the ports (register, Graph,
// Google) and waits until it has said where it serves each.
func startCLISandbox(t *testing.T, ports []string) {
	t.Helper()
	cmd := exec.Command(cliBin, "sandbox", "-ss12000-addr", "127.0.0.1:"+ports[0],
		"-graph-addr", "127.0.0.1:"+ports[1], "-google-addr", "127.0.0.1:"+ports[2])
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	for serving := 0; serving < len(ports); {
		if !sc.Scan() {
			t.Fatalf("elevsynk sandbox stopped before serving: %v", sc.Err())
		}
		if strings.Contains(sc.Text(), " on http") {
			serving++
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
}

// samplesOn copies config/samples with the sandbox ports replaced, and
// nothing else.
func samplesOn(t *testing.T, ports map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(controlplane.Root(), "config", "samples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		for from, to := range ports {
			s = strings.ReplaceAll(s, "127.0.0.1:"+from, "127.0.0.1:"+to)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// waitFor polls check until it passes, the deadline passes or the
// manager exits.
func waitFor(t *testing.T, deadline <-chan time.Time, exited <-chan struct{}, what string, check func() error) {
	t.Helper()
	for {
		err := check()
		if err == nil {
			return
		}
		select {
		case <-deadline:
			t.Fatalf("waiting for %s: %v", what, err)
		case <-exited:
			t.Fatalf("the manager exited while waiting for %s (its log is in the test's log directory)", what)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// get fetches url and wants want in the answer.
func get(url, want string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
		return fmt.Errorf("%s: HTTP %d without %q", url, resp.StatusCode, want)
	}
	return nil
}
