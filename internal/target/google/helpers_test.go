package google

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/time/rate"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/roster"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	"github.com/elevsynk/elevsynk/internal/target"
)

const domain = "example.edu"

var day = roster.MustParseDate("2026-09-14")

// env is a sandbox with a clock for the adapters made on it.
type env struct {
	s     *sandbox.Server
	url   string
	clock *fakeClock
}

// newEnv starts a sandbox knowing the account keys of st and extra, on
// the env's clock unless opts has one.
func newEnv(t testing.TB, opts sandbox.Options, st desired.State, extra ...string) *env {
	t.Helper()
	opts.Domain = domain
	clock := newClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	for _, e := range append(accounts(st), extra...) {
		opts.Users = append(opts.Users, sandbox.User{Email: e, GivenName: "G", FamilyName: "F"})
	}
	s := sandbox.New(opts)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return &env{s: s, url: hs.URL, clock: clock}
}

func accounts(st desired.State) []string {
	var out []string
	for _, r := range st.Rooms {
		out = append(out, r.Owners...)
		out = append(out, r.Members...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// adapter makes a Target on e as FromSpec does for a sandbox endpoint,
// with no rate limit, no real sleeps and quick backoff.
func (e *env) adapter(t testing.TB, opts Options) *Target {
	t.Helper()
	if opts.ClassroomQPS == 0 {
		opts.ClassroomQPS, opts.DirectoryQPS = rate.Inf, rate.Inf
	}
	opts.Now, opts.Sleep, opts.Sandbox = e.clock.Now, e.clock.Sleep, true
	spec := elevsynkv1.GoogleTarget{Endpoint: e.url, Domain: domain, AdminSubject: "admin@" + domain,
		Auth: elevsynkv1.GoogleAuth{ServiceAccount: &elevsynkv1.SecretReference{Name: "google"}}}
	tg, err := FromSpec(context.Background(), spec, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// pass observes, plans under the default policy and applies once.
func pass(t testing.TB, tg *Target, st desired.State) (plan.Plan, target.Result) {
	t.Helper()
	have, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Compute(st, have, elevsynkv1.Policy{}, day)
	return p, tg.Apply(context.Background(), p.Actions)
}

// expected is what Observe should report for st: e-mails in lower case,
// a group's mail nickname, no ids.
func expected(st desired.State) []target.Room {
	var out []target.Room
	for _, r := range st.Rooms {
		if def.Caps(r) != nil {
			continue
		}
		tr := target.Room{Key: r.Key, Kind: r.Kind, Name: r.Name, Description: r.Description,
			Owners: lower(r.Owners), Members: lower(r.Members)}
		if r.Kind != elevsynkv1.RoomCourse {
			tr.MailNickname = r.MailNickname
		}
		out = append(out, tr)
	}
	slices.SortFunc(out, func(a, b target.Room) int {
		if c := strings.Compare(string(a.Kind), string(b.Kind)); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

func lower(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = strings.ToLower(x)
	}
	slices.Sort(out)
	return out
}

// noID leaves the target's ids out of a comparison of rooms.
var noID = cmpopts.IgnoreFields(target.Room{}, "ID")

// observedEquals fails t unless tg observes exactly want.
func observedEquals(t *testing.T, tg *Target, want []target.Room) {
	t.Helper()
	got, err := tg.Observe(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, noID, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("observed (-want +got):\n%s", diff)
	}
}

// noPeople fails t if a failure message looks like it names a person.
func noPeople(t *testing.T, fs []target.Failure) {
	t.Helper()
	for _, f := range fs {
		if strings.Contains(f.Message, "@") {
			t.Errorf("failure message names an address: %q", f.Message)
		}
	}
}

// room is a desired room of kind with owners and members.
func room(kind elevsynkv1.RoomKind, key, name string, owners, members []string) desired.Room {
	r := desired.Room{Key: key, Kind: kind, Name: name, Description: "about " + name}
	if desired.NeedsMailNickname(kind) {
		r.MailNickname = strings.ReplaceAll(strings.ToLower(name), " ", "-")
	}
	r.SetPeople(slices.Clone(owners), slices.Clone(members))
	return r
}

// def are the markers of a Target with the default prefix.
var def = MarkersOf("")
