package scale

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
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

// counts are the requests each kind of sandbox answered, over all tenants.
type counts [sandboxKinds]atomic.Int64

func (c *counts) snapshot() [sandboxKinds]int64 {
	var out [sandboxKinds]int64
	for i := range c {
		out[i] = c[i].Load()
	}
	return out
}

func counted(n *atomic.Int64, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h.ServeHTTP(w, r)
	})
}

// tenant is one organiser: a namespace with the sample objects, its own
// SS 12000 register and its own Microsoft 365 and Google.
type tenant struct {
	ns      string
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

// newTenant generates a register of pupils people (seed i), serves the
// three sandboxes and applies config/samples into a namespace of its own
// with both Targets in mode.
func newTenant(ctx context.Context, env *controlplane.Env, i, pupils int, mode elevsynkv1.Mode, reqs *counts) (*tenant, error) {
	snap, _ := rostergen.Generate(rostergen.Config{Seed: int64(i + 1), Pupils: pupils})
	t := &tenant{ns: fmt.Sprintf("kommun-%02d", i), snap: snap, rng: rand.New(rand.NewPCG(uint64(i), 99))}
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
	regURL := url(register, t.reg)
	graphURL := url(graph, graphsandbox.New(graphsandbox.Options{Users: musers}))
	googleURL := url(google, gsandbox.New(gsandbox.Options{Domain: "exempelstad.se", Users: gusers}))

	set, err := manifests.Read(filepath.Join(controlplane.Root(), "config", "samples"), env.Scheme)
	if err != nil {
		return nil, err
	}
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: t.ns}}); err != nil {
		return nil, err
	}
	for _, o := range set.Objects {
		obj := o.Object.(client.Object)
		if _, ok := obj.(*corev1.Namespace); ok {
			continue
		}
		obj.SetNamespace(t.ns)
		switch x := obj.(type) {
		case *elevsynkv1.RegisterSource:
			x.Spec.SS12000.URL = regURL + "/v2.0"
			x.Spec.SS12000.Auth.OAuth2.TokenURL = regURL + "/token"
		case *elevsynkv1.Target:
			// The cycle the benchmark measures: what spreads over syncs
			// (the Google roster recheck) is spread over 15-minute ones.
			x.Spec.Mode, x.Spec.Interval = mode, &metav1.Duration{Duration: cycle}
			if m := x.Spec.Microsoft365; m != nil {
				m.Endpoint, m.AuthorityHost = graphURL, ""
			}
			if g := x.Spec.Google; g != nil {
				g.Endpoint = googleURL
			}
		}
		if err := env.Client.Create(ctx, obj); err != nil {
			return nil, fmt.Errorf("%s: %w", o.Where(), err)
		}
	}
	return t, nil
}

// changeMemberships adds share of the register's group memberships anew:
// each a person of one group of a school unit joining another group of
// the same unit from today, as when pupils change class or course.
func (t *tenant) changeMemberships(share float64) (int, error) {
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
			return 0, err
		}
	}
	return want, nil
}
