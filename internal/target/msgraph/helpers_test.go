package msgraph

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/sandbox/graph"
	"github.com/elevsynk/elevsynk/internal/target"
)

const (
	tenantID     = "11111111-2222-3333-4444-555555555555"
	clientID     = "00000000-0000-0000-0000-000000000001"
	clientSecret = "sandbox-secret"
)

// clock is the shared test clock: the sandbox reads it, and the adapter's
// Sleep moves it, so replication delays, Retry-After and team operations
// pass without waiting.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 9, 14, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Add(d)
	return nil
}

// env is a sandbox tenant behind TLS (MSAL wants https authorities) with
// its clock.
type env struct {
	t     testing.TB
	clock *clock
	sb    *graph.Server
	srv   *httptest.Server
}

func newEnv(t testing.TB, users []graph.User, tune func(*graph.Options)) *env {
	t.Helper()
	c := newClock()
	opts := graph.Options{Users: users, Now: c.Now, TenantID: tenantID, ClientID: clientID, ClientSecret: clientSecret,
		PageSize: 50, ReplicationDelay: 40 * time.Second, TeamDelay: 20 * time.Second}
	if tune != nil {
		tune(&opts)
	}
	sb := graph.New(opts)
	srv := httptest.NewTLSServer(sb)
	t.Cleanup(srv.Close)
	return &env{t: t, clock: c, sb: sb, srv: srv}
}

func (e *env) spec() elevsynkv1.Microsoft365Target {
	return elevsynkv1.Microsoft365Target{Endpoint: e.srv.URL, AuthorityHost: e.srv.URL, TenantID: tenantID, MailNicknamePrefix: "elevsynk-",
		Auth: elevsynkv1.Microsoft365Auth{ClientSecret: &elevsynkv1.SecretReference{Name: "graph"}}}
}

type hookTransport struct {
	base http.RoundTripper
	hook func(*http.Request, http.RoundTripper) (*http.Response, error)
}

func (h hookTransport) RoundTrip(r *http.Request) (*http.Response, error) { return h.hook(r, h.base) }

// adapter makes a Target on the sandbox with the client secret; hook, if
// set, sees every HTTP request, token requests included.
func (e *env) adapter(hook func(*http.Request, http.RoundTripper) (*http.Response, error)) *Target {
	e.t.Helper()
	hc := e.srv.Client()
	if hook != nil {
		hc = &http.Client{Transport: hookTransport{base: hc.Transport, hook: hook}}
	}
	tg, err := FromSpec(context.Background(), e.spec(), map[string][]byte{"clientID": []byte(clientID), "clientSecret": []byte(clientSecret)},
		Options{HTTPClient: hc, Sleep: e.clock.Sleep, Now: e.clock.Now, PollInterval: 10 * time.Second, FullEvery: 5})
	if err != nil {
		e.t.Fatal(err)
	}
	return tg
}

// usersFor seeds one user per account key of the state, skipping those in
// missing.
func usersFor(st desired.State, missing ...string) []graph.User {
	seen := map[string]bool{}
	var out []graph.User
	for _, r := range st.Rooms {
		for _, k := range slices.Concat(r.Owners, r.Members) {
			if seen[k] || slices.Contains(missing, k) {
				continue
			}
			seen[k] = true
			out = append(out, graph.User{ID: "u-" + strings.ReplaceAll(k, "@", "-at-"), UserPrincipalName: k})
		}
	}
	return out
}

var day = roster.MustParseDate("2026-09-14")

var policy = elevsynkv1.Policy{}

// sync observes, plans and applies once and returns the plan and result.
func sync1(t testing.TB, ctx context.Context, tg *Target, st desired.State) (plan.Plan, target.Result) {
	t.Helper()
	have, err := tg.Observe(ctx)
	if err != nil {
		t.Fatalf("Observe: %v", err)
	}
	p := plan.Compute(st, have, policy, day)
	return p, tg.Apply(ctx, p.Actions)
}

// converge syncs until a plan has no actions, at most rounds times.
func converge(t testing.TB, tg *Target, st desired.State, rounds int) {
	t.Helper()
	for i := range rounds {
		p, res := sync1(t, context.Background(), tg, st)
		if len(p.Actions) == 0 {
			return
		}
		if i == rounds-1 {
			t.Fatalf("not converged after %d rounds: %d actions, result %+v", rounds, len(p.Actions), res)
		}
	}
}

// project is what a desired room should look like observed.
func project(st desired.State) []target.Room {
	var out []target.Room
	for _, r := range st.Rooms {
		tr := target.Room{Key: r.Key, Kind: r.Kind, Name: r.Name, Description: r.Description, MailNickname: r.MailNickname,
			Owners: r.Owners, Members: r.Members}
		if r.Kind == elevsynkv1.RoomClassTeam {
			tr.MailNickname = ""
		}
		out = append(out, tr)
	}
	sortRooms(out)
	return out
}

func sortRooms(rs []target.Room) {
	slices.SortFunc(rs, func(a, b target.Room) int {
		if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}

// checkObserved observes and compares with the desired state.
func checkObserved(t *testing.T, tg *Target, st desired.State) {
	t.Helper()
	have, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatalf("Observe: %v", err)
	}
	if d := cmp.Diff(project(st), have, cmpopts.IgnoreFields(target.Room{}, "ID"), cmp.Comparer(func(a, b []string) bool {
		return len(a) == len(b) && (len(a) == 0 || cmp.Equal(a, b))
	})); d != "" {
		t.Errorf("observed differs from desired (-want +got):\n%s", d)
	}
}

// checkNoDuplicates checks the tenant holds one group per uniqueName, one
// class per externalId and one team per team room.
func checkNoDuplicates(t *testing.T, sb *graph.Server) {
	t.Helper()
	unique, ext := map[string]int{}, map[string]int{}
	for _, g := range sb.Groups() {
		if g.UniqueName != "" {
			unique[g.UniqueName]++
		}
		if g.IsClass {
			ext[g.ClassExternalID]++
		}
	}
	for k, n := range unique {
		if n > 1 {
			t.Errorf("%d groups with uniqueName %s", n, k)
		}
	}
	for k, n := range ext {
		if n > 1 {
			t.Errorf("%d classes with externalId %s", n, k)
		}
	}
}
