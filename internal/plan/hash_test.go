package plan

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// TestHashIgnoresInputOrder computes plans from random pairs, then again
// from the same rooms and people in shuffled order: actions, drift and
// hash must not change.
func TestHashIgnoresInputOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	policy := elevsynkv1.Policy{Deletion: elevsynkv1.DeletionDelete}
	nonEmpty := 0
	for n := range 300 {
		want, have := randomPair(rng)
		p := Compute(want, have, policy, day)
		if !p.Empty() {
			nonEmpty++
		}
		want, have = cloneState(want), target.CloneRooms(have)
		shuffle(rng, want.Rooms)
		shuffle(rng, have)
		for i := range have {
			shuffle(rng, have[i].Owners)
			shuffle(rng, have[i].Members)
		}
		q := Compute(want, have, policy, day)
		if diff := cmp.Diff(p, q); diff != "" {
			t.Fatalf("case %d: plan depends on input order (-first +shuffled):\n%s", n, diff)
		}
		if p.Hash() != q.Hash() {
			t.Fatalf("case %d: hash depends on input order", n)
		}
	}
	if nonEmpty < 200 {
		t.Fatalf("only %d of 300 plans had actions; the generator is too tame", nonEmpty)
	}
}

func shuffle[T any](rng *rand.Rand, s []T) {
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
}

// TestHashChangesWithAnyAction changes each field of each action in turn,
// and the list itself, and wants a new hash every time.
func TestHashChangesWithAnyAction(t *testing.T) {
	base := Plan{Actions: []target.Action{
		{Op: target.OpCreate, Kind: team, Key: "a", Name: "n", Description: "d", MailNickname: "m", Template: "standard", People: people("t@x")},
		act(target.OpAddMembers, team, "a", "", "p1@x", "p2@x"),
		act(target.OpArchive, class, "b", "7"),
	}}
	h := base.Hash()
	if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(h) {
		t.Fatalf("hash %q is not sha256:<hex>", h)
	}
	if (Plan{}).Hash() == h || (Plan{}).Hash() != (Plan{Drift: []Drift{{Key: "x"}}}).Hash() {
		t.Error("the empty plan's hash should differ from this one and ignore drift")
	}
	edits := map[string]func(p *Plan){
		"op":            func(p *Plan) { p.Actions[2].Op = target.OpDelete },
		"kind":          func(p *Plan) { p.Actions[2].Kind = team },
		"key":           func(p *Plan) { p.Actions[2].Key = "c" },
		"id":            func(p *Plan) { p.Actions[2].ID = "8" },
		"name":          func(p *Plan) { p.Actions[0].Name = "N" },
		"description":   func(p *Plan) { p.Actions[0].Description = "" },
		"mailNickname":  func(p *Plan) { p.Actions[0].MailNickname = "m2" },
		"template":      func(p *Plan) { p.Actions[0].Template = "educationStaff" },
		"person":        func(p *Plan) { p.Actions[1].People[1] = "p3@x" },
		"person case":   func(p *Plan) { p.Actions[1].People[1] = "P2@x" },
		"person added":  func(p *Plan) { p.Actions[1].People = append(p.Actions[1].People, "p3@x") },
		"person gone":   func(p *Plan) { p.Actions[1].People = p.Actions[1].People[:1] },
		"owners empty":  func(p *Plan) { p.Actions[0].People = nil },
		"field borders": func(p *Plan) { p.Actions[0].Name, p.Actions[0].Description = "nd", "" },
		"people border": func(p *Plan) { p.Actions[1].People = people("p1@xp2@x") },
		"action gone":   func(p *Plan) { p.Actions = p.Actions[:2] },
		"action added":  func(p *Plan) { p.Actions = append(p.Actions, act(target.OpDelete, class, "b", "7")) },
		"order":         func(p *Plan) { p.Actions[0], p.Actions[1] = p.Actions[1], p.Actions[0] },
	}
	seen := map[string]string{h: "base"}
	for name, edit := range edits {
		p := Plan{Actions: slices.Clone(base.Actions)}
		for i := range p.Actions {
			p.Actions[i].People = slices.Clone(p.Actions[i].People)
		}
		edit(&p)
		got := p.Hash()
		if other, dup := seen[got]; dup {
			t.Errorf("%s: same hash as %s", name, other)
		}
		seen[got] = name
	}
	if base.Hash() != h {
		t.Error("edits leaked into the base plan")
	}
}
