package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"k8s.io/apimachinery/pkg/types"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

// planOutput is what `elevsynk plan -o json` prints, the contract a
// configuration repository's CI reads; fields are only ever added. It holds
// counts, never an account key:
//
//	{"targets": [{
//	  "target": "exempelstad/google",   namespace/name, targets sorted by it
//	  "mode": "Plan",                    spec.mode after the CRD's default
//	  "hash": "sha256:…",                the value elevsynk.io/approve-plan takes
//	  "empty": false,                    the plan writes nothing
//	  "summary": {"creates", "updates", "archives", "deletes",
//	              "memberAdds", "memberRemoves", "ownerAdds", "ownerRemoves"},
//	  "inventory": {"managed", "inSync", "drifted", "missing", "orphaned"},
//	  "notes": "…",                      desired rooms left out, or ""
//	  "guard": {"limit", "removals", "exceeded", "approved", "blocks"},
//	                                     limit -1: no deletion guard
//	  "outcome": "…",                    what the controller would do
//	  "observed": 0, "requests": 2,      rooms observed, API requests made
//	  "rooms": [{"kind", "key", "name",
//	             "actions": ["Create", "AddMembers"],  ops in apply order
//	             "renameTo",                           with a Rename
//	             "memberAdds", "memberRemoves", "ownerAdds", "ownerRemoves",
//	             "drift": ["Missing"]}]                 reasons, if drifted
//	}]}
type planOutput struct {
	Targets []targetPlan `json:"targets"`
}

type targetPlan struct {
	Target    string          `json:"target"`
	Mode      elevsynkv1.Mode `json:"mode"`
	Hash      string          `json:"hash"`
	Empty     bool            `json:"empty"`
	Summary   planCounts      `json:"summary"`
	Inventory roomCounts      `json:"inventory"`
	Notes     string          `json:"notes"`
	Guard     guardVerdict    `json:"guard"`
	Outcome   string          `json:"outcome"`
	Observed  int             `json:"observed"`
	Requests  int64           `json:"requests"`
	Rooms     []roomPlan      `json:"rooms"`
}

// planCounts is plan.Summary with the JSON names of the contract; the
// conversion from it stops compiling if Summary gains a field.
type planCounts struct {
	Creates       int `json:"creates"`
	Updates       int `json:"updates"`
	Archives      int `json:"archives"`
	Deletes       int `json:"deletes"`
	MemberAdds    int `json:"memberAdds"`
	MemberRemoves int `json:"memberRemoves"`
	OwnerAdds     int `json:"ownerAdds"`
	OwnerRemoves  int `json:"ownerRemoves"`
}

// roomCounts is elevsynkv1.Inventory without omitempty, so a zero count
// is printed rather than left for the reader to guess.
type roomCounts struct {
	Managed  int32 `json:"managed"`
	InSync   int32 `json:"inSync"`
	Drifted  int32 `json:"drifted"`
	Missing  int32 `json:"missing"`
	Orphaned int32 `json:"orphaned"`
}

type guardVerdict struct {
	Limit    int `json:"limit"`
	Removals int `json:"removals"` // archivals plus deletions
	// MemberLimit bounds MemberRemovals, the members plus owners removed.
	MemberLimit    int  `json:"memberLimit"`
	MemberRemovals int  `json:"memberRemovals"`
	Exceeded       bool `json:"exceeded"`
	// Approved: the Target's elevsynk.io/approve-plan names this plan.
	Approved bool `json:"approved"`
	// Blocks: the controller would stop at the guard and write nothing.
	Blocks bool `json:"blocks"`
}

type roomPlan struct {
	Kind          elevsynkv1.RoomKind `json:"kind"`
	Key           string              `json:"key"`
	Name          string              `json:"name"`
	Actions       []target.Op         `json:"actions"`
	RenameTo      string              `json:"renameTo,omitempty"`
	MemberAdds    int                 `json:"memberAdds"`
	MemberRemoves int                 `json:"memberRemoves"`
	OwnerAdds     int                 `json:"ownerAdds"`
	OwnerRemoves  int                 `json:"ownerRemoves"`
	Drift         []plan.Reason       `json:"drift,omitempty"`
}

const planHelp = `usage: elevsynk plan -f DIR [-o table|json]

Shows what each Target in DIR would write, as the Target controller would
plan it today: its Mapping evaluated from the live RegisterSources, the
target observed with the Secret in DIR, then the plan, the deletion guard's
verdict and what the controller would do with it. Only reads: nothing is
written to any target. Output holds counts, never account keys.

Exit status: 0 when every plan is empty, 2 when any plan would write
something (for CI to show the change), 1 on errors.

Endpoints must be https. A Target annotated elevsynk.io/sandbox=true may
use plain http on a loopback host (localhost, 127.0.0.0/8, ::1); such a
sandbox is observed without client-side rate limits and with short
backoff, so a local run is quick, as the controller does. Real endpoints
get the production settings, which follow the vendors' published quotas.

flags:
`

func runPlan(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	var mf manifestFlags
	mf.register(fs, "Tenant, RegisterSources, Mappings, Targets and their Secrets", "table or json")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), planHelp)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	set, err := mf.read()
	if err != nil {
		return err
	}
	plans, err := planTargets(ctx, mf.dir, set, time.Now())
	if err != nil {
		return err
	}
	if mf.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		err = enc.Encode(planOutput{Targets: plans})
	} else {
		err = printPlans(out, plans)
	}
	if err != nil {
		return err
	}
	for _, p := range plans {
		if !p.Empty {
			return exitError{code: 2}
		}
	}
	return nil
}

// planTargets plans every Target in set, sorted by namespace and name,
// evaluating each Mapping once.
func planTargets(ctx context.Context, dir string, set *manifests.Set, now time.Time) ([]targetPlan, error) {
	var objs []manifests.Object
	for _, o := range set.Objects {
		if _, ok := o.Object.(*elevsynkv1.Target); ok {
			objs = append(objs, o)
		}
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("the directory holds no Target")
	}
	name := func(o manifests.Object) string {
		t := o.Object.(*elevsynkv1.Target)
		return t.Namespace + "/" + t.Name
	}
	slices.SortFunc(objs, func(a, b manifests.Object) int { return cmp.Compare(name(a), name(b)) })
	states := map[types.NamespacedName]desired.State{}
	plans := make([]targetPlan, 0, len(objs))
	for _, o := range objs {
		t := o.Object.(*elevsynkv1.Target)
		key := types.NamespacedName{Namespace: t.Namespace, Name: t.Spec.MappingRef.Name}
		st, ok := states[key]
		if !ok {
			var err error
			if st, err = evaluateMapping(ctx, set, key, now); err != nil {
				return nil, fmt.Errorf("target %s: %w", name(o), err)
			}
			states[key] = st
		}
		p, err := planTarget(ctx, set, t, st, now)
		if err != nil {
			return nil, fmt.Errorf("target %s: %w", name(o), err)
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// observer is the part of a target.Target the plan may use: it cannot
// write.
type observer interface {
	Observe(ctx context.Context) ([]target.Room, error)
	Stats() target.Stats
}

// planTarget does what the Target controller's reconcile does up to the
// apply: connect, observe, prepare, plan and weigh the guard.
func planTarget(ctx context.Context, set *manifests.Set, t *elevsynkv1.Target, want desired.State, now time.Time) (targetPlan, error) {
	o, err := observePlan(ctx, set, t, want, now)
	if err != nil {
		return targetPlan{}, err
	}
	tenant, p, prep, have := o.tenant, o.plan, o.prep, o.have
	hash := p.Hash()
	var tenantGuard *elevsynkv1.DeletionGuard
	if tenant != nil {
		tenantGuard = tenant.Spec.Safety.DeletionGuard
	}
	guard := plan.Effective(t.Spec.Policy.DeletionGuard, tenantGuard)
	limit, exceeded, err := plan.Guard(p, guard)
	if err != nil {
		return targetPlan{}, fmt.Errorf("deletion guard: %w", err)
	}
	memberLimit, membersOver, err := plan.RemovalGuard(p, guard)
	if err != nil {
		return targetPlan{}, fmt.Errorf("deletion guard: %w", err)
	}
	sum := p.Summary()
	exceeded = exceeded || membersOver
	g := guardVerdict{Limit: limit, Removals: sum.Archives + sum.Deletes, Exceeded: exceeded,
		MemberLimit: memberLimit, MemberRemovals: sum.MemberRemoves + sum.OwnerRemoves,
		Approved: exceeded && t.Annotations[elevsynkv1.ApprovePlanAnnotation] == hash}
	mode := cmp.Or(t.Spec.Mode, elevsynkv1.ModePlan)
	var outcome string
	outcome, g.Blocks = controllerOutcome(mode, tenant != nil && tenant.Spec.Suspend, p.Empty(), g, hash)
	return targetPlan{
		Target: t.Namespace + "/" + t.Name, Mode: mode, Hash: hash, Empty: p.Empty(),
		Summary: planCounts(sum), Inventory: roomCounts(p.Inventory), Notes: prep.Notes(platform.Of(&t.Spec)),
		Guard: g, Outcome: outcome, Observed: len(have), Requests: o.requests,
		Rooms: roomsOf(p, namesOf(prep)),
	}, nil
}

// observed is a Target observed and planned.
type observed struct {
	tenant   *elevsynkv1.Tenant // nil when the directory holds none
	have     []target.Room
	prep     platform.Prepared
	plan     plan.Plan
	requests int64
}

// observePlan connects to the Target with the Secret in the directory,
// observes it, and plans want against what it holds.
func observePlan(ctx context.Context, set *manifests.Set, t *elevsynkv1.Target, want desired.State, now time.Time) (observed, error) {
	var secret map[string][]byte
	if name := platform.SecretName(&t.Spec); name != "" {
		s, ok := set.Secret(t.Namespace, name)
		if !ok {
			return observed{}, fmt.Errorf("the directory holds no Secret %s/%s", t.Namespace, name)
		}
		secret = s.Data
	}
	var o observed
	if ts := manifests.In[*elevsynkv1.Tenant](set, t.Namespace); len(ts) == 1 {
		o.tenant = ts[0]
	}
	tg, err := platform.Connect(ctx, t, secret)
	if err != nil {
		return observed{}, fmt.Errorf("connecting: %w", err)
	}
	var obs observer = tg
	if o.have, err = obs.Observe(ctx); err != nil {
		return observed{}, fmt.Errorf("observing the target: %w", err)
	}
	o.prep = platform.Prepare(want, o.have, &t.Spec)
	day := roster.DateOf(now.In(stockholm()))
	if o.tenant != nil {
		if day, err = tenantDay(o.tenant, now); err != nil {
			return observed{}, err
		}
	}
	o.plan = plan.Compute(o.prep.Want, o.prep.Have, t.Spec.Policy, day)
	o.requests = obs.Stats().Requests
	return o, nil
}

// controllerOutcome is what the controller's act does with a plan, checked
// in the same order (controllers/target_controller.go), and whether the
// deletion guard is what stops it.
func controllerOutcome(mode elevsynkv1.Mode, suspended, empty bool, g guardVerdict, hash string) (string, bool) {
	switch {
	case mode == elevsynkv1.ModeObserve:
		return "mode Observe writes nothing", false
	case empty:
		return "in sync: nothing to write", false
	case mode == elevsynkv1.ModePlan:
		return "mode Plan writes nothing", false
	case suspended:
		return "the Tenant is suspended: nothing is written", false
	case g.Exceeded && !g.Approved:
		return fmt.Sprintf("blocked by the deletion guard: nothing is written until this plan is approved with %s=%s",
			elevsynkv1.ApprovePlanAnnotation, hash), true
	}
	return "would apply this plan", false
}

type roomRef struct {
	kind elevsynkv1.RoomKind
	key  string
}

// namesOf is each room's desired name, or its observed one when it is not
// desired.
func namesOf(prep platform.Prepared) map[roomRef]string {
	names := make(map[roomRef]string, len(prep.Have)+len(prep.Want.Rooms))
	for _, h := range prep.Have {
		names[roomRef{h.Kind, h.Key}] = h.Name
	}
	for _, w := range prep.Want.Rooms {
		names[roomRef{w.Kind, w.Key}] = w.Name
	}
	return names
}

// roomsOf is one entry per room with actions or drift, sorted by kind and
// key; rooms sharing both (duplicates) are one entry.
func roomsOf(p plan.Plan, names map[roomRef]string) []roomPlan {
	at := map[roomRef]int{}
	rooms := []roomPlan{}
	room := func(kind elevsynkv1.RoomKind, key string) *roomPlan {
		ref := roomRef{kind, key}
		i, ok := at[ref]
		if !ok {
			i = len(rooms)
			at[ref] = i
			rooms = append(rooms, roomPlan{Kind: kind, Key: key, Name: names[ref], Actions: []target.Op{}})
		}
		return &rooms[i]
	}
	for _, a := range p.Actions {
		r := room(a.Kind, a.Key)
		if !slices.Contains(r.Actions, a.Op) {
			r.Actions = append(r.Actions, a.Op)
		}
		n := len(a.People)
		switch a.Op {
		case target.OpRename:
			r.RenameTo = a.Name
		case target.OpCreate, target.OpAddOwners: // a create's people are its owners
			r.OwnerAdds += n
		case target.OpRemoveOwners:
			r.OwnerRemoves += n
		case target.OpAddMembers:
			r.MemberAdds += n
		case target.OpRemoveMembers:
			r.MemberRemoves += n
		}
	}
	for _, d := range p.Drift {
		r := room(d.Kind, d.Key)
		r.Drift = append(r.Drift, d.Reasons...)
	}
	slices.SortFunc(rooms, func(a, b roomPlan) int { return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key)) })
	return rooms
}

// changes says in words what happens to the room.
func (r roomPlan) changes() string {
	var parts []string
	for _, op := range r.Actions {
		switch op {
		case target.OpCreate:
			parts = append(parts, "create")
		case target.OpRename:
			parts = append(parts, fmt.Sprintf("rename to %q", r.RenameTo))
		case target.OpSetDescription:
			parts = append(parts, "set description")
		case target.OpUnarchive:
			parts = append(parts, "unarchive")
		case target.OpArchive:
			parts = append(parts, "archive")
		case target.OpDelete:
			parts = append(parts, "delete")
		}
	}
	parts = appendPeople(parts, r.MemberAdds, r.MemberRemoves, "members")
	parts = appendPeople(parts, r.OwnerAdds, r.OwnerRemoves, "owners")
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, ", ")
}

// appendPeople adds "+N/-M what", leaving out a zero side.
func appendPeople(parts []string, add, remove int, what string) []string {
	switch {
	case add > 0 && remove > 0:
		return append(parts, fmt.Sprintf("+%d/-%d %s", add, remove, what))
	case add > 0:
		return append(parts, fmt.Sprintf("+%d %s", add, what))
	case remove > 0:
		return append(parts, fmt.Sprintf("-%d %s", remove, what))
	}
	return parts
}

// words is the guard's verdict in a sentence.
func (g guardVerdict) words(mode elevsynkv1.Mode) string {
	s := fmt.Sprintf("%d archivals and deletions, at most %d allowed; %d member and owner removals, at most %d allowed",
		g.Removals, g.Limit, g.MemberRemovals, g.MemberLimit)
	switch {
	case !g.Exceeded:
		return s + ": within the guard"
	case g.Approved:
		return s + ": over the guard, but this plan is approved"
	case g.Blocks:
		return s + ": over the guard, blocks"
	case mode != elevsynkv1.ModeApply:
		return s + ": over the guard, would block in mode Apply until approved"
	}
	return s + ": over the guard"
}

func printPlans(out io.Writer, plans []targetPlan) error {
	for i, p := range plans {
		if i > 0 {
			fmt.Fprintln(out)
		}
		inv := p.Inventory
		fmt.Fprintf(out, "Target %s (mode %s)\n", p.Target, p.Mode)
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  plan\t%s\n", p.Hash)
		fmt.Fprintf(tw, "  summary\t%s\n", plan.Summary(p.Summary))
		fmt.Fprintf(tw, "  inventory\t%d managed (%d in sync, %d drifted), %d missing, %d orphaned; %d rooms observed in %d requests\n",
			inv.Managed, inv.InSync, inv.Drifted, inv.Missing, inv.Orphaned, p.Observed, p.Requests)
		if p.Notes != "" {
			fmt.Fprintf(tw, "  notes\t%s\n", p.Notes)
		}
		fmt.Fprintf(tw, "  deletion guard\t%s\n", p.Guard.words(p.Mode))
		fmt.Fprintf(tw, "  outcome\t%s\n", p.Outcome)
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(p.Rooms) == 0 {
			fmt.Fprintln(out, "  no room changes or drift")
			continue
		}
		fmt.Fprintln(out)
		tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  KIND\tKEY\tNAME\tCHANGES\tDRIFT")
		for _, r := range p.Rooms {
			drift := make([]string, len(r.Drift))
			for j, d := range r.Drift {
				drift[j] = string(d)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", r.Kind, r.Key, r.Name, r.changes(), strings.Join(drift, ", "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
