package scale

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/benchdata"
	"github.com/elevsynk/elevsynk/internal/controlplane"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	gsandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	graphsandbox "github.com/elevsynk/elevsynk/internal/sandbox/graph"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	"github.com/elevsynk/elevsynk/internal/source"
)

// municipalitySizes draws n register sizes the way Swedish municipalities
// spread: log-normal, most a few hundred to a few thousand pupils, a few
// large. The median (900 pupils) and spread are scaled down from SCB's
// (median municipality about 1 700 pupils in compulsory school and upper
// secondary) so that 50 tenants are provisioned in minutes on two cores;
// 200 and 8 000 bound the draw so one tenant cannot dominate a run.
func municipalitySizes(n int, seed uint64) []int {
	r := rand.New(rand.NewPCG(seed, 17))
	out := make([]int, n)
	for i := range out {
		v := math.Exp(math.Log(900) + 0.9*r.NormFloat64())
		out[i] = min(8000, max(200, int(v)))
	}
	return out
}

// Sandbox kinds, for counting requests.
const (
	register = iota
	graph
	google
	sandboxKinds
)

var sandboxNames = [sandboxKinds]string{"register", "graph", "google"}

// The sandboxes run in a process of their own, this test binary started
// again with sandboxEnv set to the tenants' sizes: in the manager's
// process, answering the manager was a third of a first pass's CPU and a
// sixth of a quiet cycle's, and their data was in its heap; what the
// benchmark measures is the manager.
const sandboxEnv = "ELEVSYNK_SCALE_SANDBOXES"

func TestMain(m *testing.M) {
	if sizes := os.Getenv(sandboxEnv); sizes != "" {
		if err := serveSandboxes(sizes, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "sandboxes:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// endpoints are one tenant's sandbox URLs.
type endpoints struct{ Register, Graph, Google string }

// world is what the sandbox process announces: every tenant's endpoints,
// and the URL it is driven at (see serveSandboxes).
type world struct {
	Tenants []endpoints
	Control string
}

// sandboxes is the sandbox process as the benchmark drives it.
type sandboxes struct {
	world
	cmd   *exec.Cmd
	stdin io.Closer
}

// startSandboxes starts the sandbox process for tenants of sizes pupils
// and waits until it serves. It stops when the benchmark ends.
func startSandboxes(b *testing.B, sizes []int) *sandboxes {
	b.Helper()
	list := make([]string, len(sizes))
	for i, n := range sizes {
		list[i] = strconv.Itoa(n)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), sandboxEnv+"="+strings.Join(list, ","))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	s := &sandboxes{cmd: cmd, stdin: stdin}
	b.Cleanup(s.stop)
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		b.Fatalf("the sandbox process announced nothing: %v", err)
	}
	if err := json.Unmarshal(line, &s.world); err != nil {
		b.Fatalf("the sandbox process announced %q: %v", line, err)
	}
	return s
}

// stop closes the process's stdin, on which it ends, and waits for it.
func (s *sandboxes) stop() {
	_ = s.stdin.Close()
	_ = s.cmd.Wait()
}

// served is what the sandboxes did so far: the requests they answered,
// by kind, and the CPU seconds their process used.
type served struct {
	Requests [sandboxKinds]int64
	CPU      float64
}

func (s *sandboxes) figures() (served, error) {
	var f served
	err := s.call(http.MethodGet, "/figures", &f)
	return f, err
}

// changeMemberships has every tenant's register change share of its
// memberships (see tenant.changeMemberships).
func (s *sandboxes) changeMemberships(share float64) error {
	return s.call(http.MethodPost, "/change?share="+strconv.FormatFloat(share, 'f', -1, 64), nil)
}

func (s *sandboxes) call(method, path string, out any) error {
	req, err := http.NewRequest(method, s.Control+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, msg)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// serveSandboxes is the sandbox process: it serves a register, a Graph
// and a Google sandbox for each size in the comma-separated sizes,
// announces them on out as one line of JSON, and serves until in ends.
// At the control URL, GET /figures answers the requests served by kind
// and the process's CPU seconds, and POST /change?share= changes that
// share of every register's memberships.
func serveSandboxes(sizes string, in io.Reader, out io.Writer) error {
	var (
		reqs    [sandboxKinds]atomic.Int64
		tenants []*tenant
		w       world
	)
	for i, s := range strings.Split(sizes, ",") {
		pupils, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("size %q: %w", s, err)
		}
		t, ep := serveTenant(i, pupils, &reqs)
		defer t.close()
		tenants = append(tenants, t)
		w.Tenants = append(w.Tenants, ep)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /figures", func(rw http.ResponseWriter, _ *http.Request) {
		var f served
		for k := range reqs {
			f.Requests[k] = reqs[k].Load()
		}
		f.CPU = benchdata.CPUTime().Seconds()
		_ = json.NewEncoder(rw).Encode(f)
	})
	mux.HandleFunc("POST /change", func(rw http.ResponseWriter, r *http.Request) {
		share, err := strconv.ParseFloat(r.URL.Query().Get("share"), 64)
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		for _, t := range tenants {
			if err := t.changeMemberships(share); err != nil {
				http.Error(rw, err.Error(), http.StatusInternalServerError)
				return
			}
		}
	})
	control := httptest.NewServer(mux)
	defer control.Close()
	w.Control = control.URL
	line, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(out, "%s\n", line); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, in)
	return err
}

// tenant is one organiser's sandboxes: its own SS 12000 register, its own
// Microsoft 365 and Google.
type tenant struct {
	snap    *roster.Snapshot
	reg     *sandbox.Server
	servers []*httptest.Server
	rng     *rand.Rand
}

func (t *tenant) close() {
	for _, s := range t.servers {
		s.Close()
	}
}

// serveTenant generates a register of pupils people (seed i) and serves
// the three sandboxes, counting their requests in reqs.
func serveTenant(i, pupils int, reqs *[sandboxKinds]atomic.Int64) (*tenant, endpoints) {
	snap, _ := rostergen.Generate(rostergen.Config{Seed: int64(i + 1), Pupils: pupils})
	t := &tenant{snap: snap, rng: rand.New(rand.NewPCG(uint64(i), 99))}
	// The register was last edited an hour ago, and its clock then runs
	// source.SinceMargin behind ours. An incremental fetch asks for changes
	// since that margin before the last fetch began: the cycles of a run
	// come seconds apart, not 15 minutes, so a register on our clock would
	// be fetched whole by every cycle that lasts minutes, and each change
	// again by every cycle in the 5 minutes after it. On the lagging clock
	// a change is fetched by the next cycle only, as 15-minute cycles do
	// but for one made in the 5 minutes before a fetch, which production
	// fetches twice.
	var back atomic.Int64
	back.Store(int64(time.Hour))
	t.reg = sandbox.New(sandbox.Options{ClientID: "elevsynk", ClientSecret: "sandbox-secret",
		Now: func() time.Time { return time.Now().Add(-time.Duration(back.Load())) }})
	t.reg.FromSnapshot(snap)
	back.Store(int64(source.SinceMargin))
	var (
		gusers []gsandbox.User
		musers []graphsandbox.User
	)
	for _, p := range snap.Persons {
		for _, k := range p.EduPersonPrincipalNames {
			gusers = append(gusers, gsandbox.User{Email: k})
			musers = append(musers, graphsandbox.User{UserPrincipalName: k})
		}
	}
	url := func(kind int, h http.Handler) string {
		s := httptest.NewServer(counted(&reqs[kind], h))
		t.servers = append(t.servers, s)
		return s.URL
	}
	return t, endpoints{
		Register: url(register, t.reg),
		Graph:    url(graph, graphsandbox.New(graphsandbox.Options{Users: musers})),
		Google:   url(google, gsandbox.New(gsandbox.Options{Domain: "exempelstad.se", Users: gusers})),
	}
}

func counted(n *atomic.Int64, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h.ServeHTTP(w, r)
	})
}

// applyTenant applies config/samples into namespace ns, pointed at ep,
// with both Targets in mode.
func applyTenant(ctx context.Context, env *controlplane.Env, ns string, ep endpoints, mode elevsynkv1.Mode) error {
	set, err := manifests.Read(filepath.Join(controlplane.Root(), "config", "samples"), env.Scheme)
	if err != nil {
		return err
	}
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		return err
	}
	for _, o := range set.Objects {
		obj := o.Object.(client.Object)
		if _, ok := obj.(*corev1.Namespace); ok {
			continue
		}
		obj.SetNamespace(ns)
		switch x := obj.(type) {
		case *elevsynkv1.RegisterSource:
			x.Spec.SS12000.URL = ep.Register + "/v2.0"
			x.Spec.SS12000.Auth.OAuth2.TokenURL = ep.Register + "/token"
		case *elevsynkv1.Target:
			// The cycle the benchmark measures: what spreads over syncs
			// (the Google roster recheck) is spread over 15-minute ones.
			x.Spec.Mode, x.Spec.Interval = mode, &metav1.Duration{Duration: cycle}
			if m := x.Spec.Microsoft365; m != nil {
				m.Endpoint, m.AuthorityHost = ep.Graph, ""
			}
			if g := x.Spec.Google; g != nil {
				g.Endpoint = ep.Google
			}
		}
		if err := env.Client.Create(ctx, obj); err != nil {
			return fmt.Errorf("%s: %w", o.Where(), err)
		}
	}
	return nil
}

// changeMemberships adds share of the register's group memberships anew:
// each a person of one group of a school unit joining another group of
// the same unit from today, as when pupils change class or course.
func (t *tenant) changeMemberships(share float64) error {
	bySchool := map[string][]*roster.Group{}
	total := 0
	for i := range t.snap.Groups {
		g := &t.snap.Groups[i]
		if len(g.Memberships) > 0 {
			bySchool[g.SchoolUnitID] = append(bySchool[g.SchoolUnitID], g)
			total += len(g.Memberships)
		}
	}
	want := int(math.Ceil(share * float64(total)))
	groups := make([]*roster.Group, 0, len(bySchool))
	for i := range t.snap.Groups {
		if g := &t.snap.Groups[i]; len(g.Memberships) > 0 {
			groups = append(groups, g)
		}
	}
	for range want {
		to := groups[t.rng.IntN(len(groups))]
		peers := bySchool[to.SchoolUnitID]
		from := peers[t.rng.IntN(len(peers))]
		who := from.Memberships[t.rng.IntN(len(from.Memberships))].PersonID
		if err := t.reg.AddMembership(to.ID, who, time.Now()); err != nil {
			return err
		}
	}
	return nil
}
