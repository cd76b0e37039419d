package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

func drifting(field func(*elevsynkv1.DriftPolicy, elevsynkv1.DriftAction), a elevsynkv1.DriftAction) elevsynkv1.Policy {
	var p elevsynkv1.Policy
	field(&p.Drift, a)
	return p
}

var (
	name     = func(p *elevsynkv1.DriftPolicy, a elevsynkv1.DriftAction) { p.Name = a }
	descr    = func(p *elevsynkv1.DriftPolicy, a elevsynkv1.DriftAction) { p.Description = a }
	members  = func(p *elevsynkv1.DriftPolicy, a elevsynkv1.DriftAction) { p.Members = a }
	owners   = func(p *elevsynkv1.DriftPolicy, a elevsynkv1.DriftAction) { p.Owners = a }
	archived = func(p *elevsynkv1.DriftPolicy, a elevsynkv1.DriftAction) { p.Archived = a }
)

const (
	correct = elevsynkv1.DriftCorrect
	report  = elevsynkv1.DriftReport
	ignore  = elevsynkv1.DriftIgnore
)

func TestCompute(t *testing.T) {
	a := room(team, "a", people("t@x"), people("p1@x", "p2@x"))
	b := room(class, "b", people("t@x"), people("p1@x"))
	noOwner := room(sg, "s", nil, people("p1@x"))
	ended := with(a, func(r *desired.Room) { r.Lifetime.ArchiveAfter = day })
	endsTomorrow := with(a, func(r *desired.Room) { r.Lifetime.ArchiveAfter = day.AddDays(1) })
	renamed := with(seen(a, "1"), func(r *target.Room) { r.Name = "old" })
	redescribed := with(seen(a, "1"), func(r *target.Room) { r.Description = "old" })
	archivedA := with(seen(a, "1"), func(r *target.Room) { r.Archived = true })
	// p2 missing, x extra.
	memberDrift := with(seen(a, "1"), func(r *target.Room) { r.Members = people("p1@x", "x@x") })
	// t missing as owner, o extra.
	ownerDrift := with(seen(a, "1"), func(r *target.Room) { r.Owners = people("o@x") })
	orphan := seen(room(team, "z", people("t@x"), nil), "9")
	inSync := elevsynkv1.Inventory{Managed: 1, InSync: 1}
	oneDrifted := elevsynkv1.Inventory{Managed: 1, Drifted: 1}
	oneOrphan := elevsynkv1.Inventory{Orphaned: 1}
	tests := []struct {
		name      string
		want      desired.State
		have      []target.Room
		policy    elevsynkv1.Policy
		on        roster.Date
		actions   []target.Action
		drift     []Drift
		inventory elevsynkv1.Inventory
	}{
		{name: "nothing"},
		{name: "in sync", want: state(a), have: []target.Room{seen(a, "1")}, inventory: inSync},
		{name: "missing", want: state(a),
			actions: []target.Action{
				{Op: target.OpCreate, Kind: team, Key: "a", Name: "name a", Description: "desc a", People: people("t@x")},
				act(target.OpAddMembers, team, "a", "", "p1@x", "p2@x")},
			drift: []Drift{drifted(team, "a", Missing)}, inventory: elevsynkv1.Inventory{Missing: 1}},
		{name: "missing without members, under a policy that corrects nothing",
			want:   state(with(a, func(r *desired.Room) { r.Members = nil; r.MailNickname = "a-nick" })),
			policy: elevsynkv1.Policy{Drift: elevsynkv1.DriftPolicy{Name: ignore, Description: ignore, Members: ignore, Owners: ignore}},
			actions: []target.Action{
				{Op: target.OpCreate, Kind: team, Key: "a", Name: "name a", Description: "desc a", MailNickname: "a-nick", People: people("t@x")}},
			drift: []Drift{drifted(team, "a", Missing)}, inventory: elevsynkv1.Inventory{Missing: 1}},
		{name: "missing and ended is not created", want: state(ended)},

		{name: "renamed, default corrects", want: state(a), have: []target.Room{renamed},
			actions: []target.Action{{Op: target.OpRename, Kind: team, Key: "a", ID: "1", Name: "name a"}},
			drift:   []Drift{drifted(team, "a", Renamed)}, inventory: oneDrifted},
		{name: "renamed, Correct", want: state(a), have: []target.Room{renamed}, policy: drifting(name, correct),
			actions: []target.Action{{Op: target.OpRename, Kind: team, Key: "a", ID: "1", Name: "name a"}},
			drift:   []Drift{drifted(team, "a", Renamed)}, inventory: oneDrifted},
		{name: "renamed, Report", want: state(a), have: []target.Room{renamed}, policy: drifting(name, report),
			drift: []Drift{drifted(team, "a", Renamed)}, inventory: oneDrifted},
		{name: "renamed, Ignore", want: state(a), have: []target.Room{renamed}, policy: drifting(name, ignore),
			inventory: inSync},
		{name: "renamed, unknown value reports", want: state(a), have: []target.Room{renamed}, policy: drifting(name, "Fix"),
			drift: []Drift{drifted(team, "a", Renamed)}, inventory: oneDrifted},
		{name: "names compare exactly", want: state(a), have: []target.Room{with(seen(a, "1"), func(r *target.Room) { r.Name = "Name a" })},
			actions: []target.Action{{Op: target.OpRename, Kind: team, Key: "a", ID: "1", Name: "name a"}},
			drift:   []Drift{drifted(team, "a", Renamed)}, inventory: oneDrifted},

		{name: "description, default corrects", want: state(a), have: []target.Room{redescribed},
			actions: []target.Action{{Op: target.OpSetDescription, Kind: team, Key: "a", ID: "1", Description: "desc a"}},
			drift:   []Drift{drifted(team, "a", DescriptionChanged)}, inventory: oneDrifted},
		{name: "description, Report", want: state(a), have: []target.Room{redescribed}, policy: drifting(descr, report),
			drift: []Drift{drifted(team, "a", DescriptionChanged)}, inventory: oneDrifted},
		{name: "description, Ignore", want: state(a), have: []target.Room{redescribed}, policy: drifting(descr, ignore),
			inventory: inSync},
		{name: "description cleared", want: state(with(a, func(r *desired.Room) { r.Description = "" })), have: []target.Room{seen(a, "1")},
			actions: []target.Action{{Op: target.OpSetDescription, Kind: team, Key: "a", ID: "1"}},
			drift:   []Drift{drifted(team, "a", DescriptionChanged)}, inventory: oneDrifted},

		{name: "members, default corrects, adds first", want: state(a), have: []target.Room{memberDrift},
			actions: []target.Action{act(target.OpAddMembers, team, "a", "1", "p2@x"), act(target.OpRemoveMembers, team, "a", "1", "x@x")},
			drift:   []Drift{drifted(team, "a", MissingMembers, ExtraMembers)}, inventory: oneDrifted},
		{name: "members, Report", want: state(a), have: []target.Room{memberDrift}, policy: drifting(members, report),
			drift: []Drift{drifted(team, "a", MissingMembers, ExtraMembers)}, inventory: oneDrifted},
		{name: "members, Ignore", want: state(a), have: []target.Room{memberDrift}, policy: drifting(members, ignore),
			inventory: inSync},

		{name: "owners, default corrects, adds first", want: state(a), have: []target.Room{ownerDrift},
			actions: []target.Action{act(target.OpAddOwners, team, "a", "1", "t@x"), act(target.OpRemoveOwners, team, "a", "1", "o@x")},
			drift:   []Drift{drifted(team, "a", MissingOwners, ExtraOwners)}, inventory: oneDrifted},
		{name: "owners, Report", want: state(a), have: []target.Room{ownerDrift}, policy: drifting(owners, report),
			drift: []Drift{drifted(team, "a", MissingOwners, ExtraOwners)}, inventory: oneDrifted},
		{name: "owners, Ignore", want: state(a), have: []target.Room{ownerDrift}, policy: drifting(owners, ignore),
			inventory: inSync},
		{name: "no desired owner: extra owners reported, never removed", want: state(noOwner),
			have:  []target.Room{with(seen(noOwner, "1"), func(r *target.Room) { r.Owners = people("admin@x") })},
			drift: []Drift{{Kind: sg, Key: "s", Name: "name s", Reasons: []Reason{ExtraOwners}}}, inventory: oneDrifted},
		{name: "no desired owner, Ignore", want: state(noOwner), policy: drifting(owners, ignore),
			have:      []target.Room{with(seen(noOwner, "1"), func(r *target.Room) { r.Owners = people("admin@x") })},
			inventory: inSync},
		{name: "member to owner: promoted, membership kept", want: state(a),
			have:    []target.Room{with(seen(a, "1"), func(r *target.Room) { r.Owners, r.Members = nil, people("p1@x", "p2@x", "t@x") })},
			actions: []target.Action{act(target.OpAddOwners, team, "a", "1", "t@x")},
			drift:   []Drift{drifted(team, "a", MissingOwners)}, inventory: oneDrifted},
		{name: "member to owner, owners Report: not removed as a member", want: state(a), policy: drifting(owners, report),
			have:  []target.Room{with(seen(a, "1"), func(r *target.Room) { r.Owners, r.Members = nil, people("p1@x", "p2@x", "t@x") })},
			drift: []Drift{drifted(team, "a", MissingOwners)}, inventory: oneDrifted},
		{name: "owner to member: added as member before the owner goes", want: state(a),
			have:    []target.Room{with(seen(a, "1"), func(r *target.Room) { r.Owners, r.Members = people("p2@x", "t@x"), people("p1@x") })},
			actions: []target.Action{act(target.OpAddMembers, team, "a", "1", "p2@x"), act(target.OpRemoveOwners, team, "a", "1", "p2@x")},
			drift:   []Drift{drifted(team, "a", MissingMembers, ExtraOwners)}, inventory: oneDrifted},
		{name: "owner to member, owners Report: stays owner, not added as member", want: state(a), policy: drifting(owners, report),
			have:  []target.Room{with(seen(a, "1"), func(r *target.Room) { r.Owners, r.Members = people("p2@x", "t@x"), people("p1@x") })},
			drift: []Drift{drifted(team, "a", ExtraOwners)}, inventory: oneDrifted},
		{name: "no desired owner, a desired member observed as owner stays owner", want: state(noOwner),
			have:  []target.Room{with(seen(noOwner, "1"), func(r *target.Room) { r.Owners, r.Members = people("p1@x"), nil })},
			drift: []Drift{{Kind: sg, Key: "s", Name: "name s", Reasons: []Reason{ExtraOwners}}}, inventory: oneDrifted},
		{name: "an owner respelt among the desired members is one person, an owner",
			want:      state(room(team, "a", people("T@x"), people("p1@x", "t@X"))),
			have:      []target.Room{{Key: "a", Kind: team, ID: "1", Name: "name a", Description: "desc a", Owners: people("t@x"), Members: people("p1@x")}},
			inventory: inSync},
		{name: "account keys fold case; adds in desired spelling, removes in observed",
			want: state(room(team, "a", people("T@X"), people("Anna@x.se", "bo@x", "Cy@x"))),
			have: []target.Room{{Key: "a", Kind: team, ID: "1", Name: "name a", Description: "desc a",
				Owners: people("t@x"), Members: people("ANNA@X.SE", "Bo@X", "Dag@x", "dag@X")}},
			actions: []target.Action{act(target.OpAddMembers, team, "a", "1", "Cy@x"), act(target.OpRemoveMembers, team, "a", "1", "Dag@x")},
			drift:   []Drift{drifted(team, "a", MissingMembers, ExtraMembers)}, inventory: oneDrifted},
		{name: "non-ASCII keys fold too", want: state(room(team, "a", people("åsa@x"), nil)),
			have:      []target.Room{{Key: "a", Kind: team, ID: "1", Name: "name a", Description: "desc a", Owners: people("ÅSA@x"), Members: []string{}}},
			inventory: inSync},

		{name: "archived, default reports and writes nothing", want: state(a),
			have:  []target.Room{with(archivedA, func(r *target.Room) { r.Name, r.Members = "old", nil })},
			drift: []Drift{drifted(team, "a", Renamed, MissingMembers, Archived)}, inventory: oneDrifted},
		{name: "archived, Ignore: in sync", want: state(a), have: []target.Room{archivedA}, policy: drifting(archived, ignore),
			inventory: inSync},
		{name: "archived, Correct: unarchived first", want: state(a), policy: drifting(archived, correct),
			have: []target.Room{with(archivedA, func(r *target.Room) { r.Name, r.Members = "old", people("p1@x") })},
			actions: []target.Action{act(target.OpUnarchive, team, "a", "1"),
				{Op: target.OpRename, Kind: team, Key: "a", ID: "1", Name: "name a"}, act(target.OpAddMembers, team, "a", "1", "p2@x")},
			drift: []Drift{drifted(team, "a", Renamed, MissingMembers, Archived)}, inventory: oneDrifted},

		{name: "ended: archived, nothing else, not drift", want: state(ended), have: []target.Room{memberDrift},
			actions: []target.Action{act(target.OpArchive, team, "a", "1")}, inventory: inSync},
		{name: "ended and archived", want: state(ended), have: []target.Room{archivedA}, inventory: inSync},
		{name: "ends tomorrow: still corrected", want: state(endsTomorrow), have: []target.Room{renamed},
			actions: []target.Action{{Op: target.OpRename, Kind: team, Key: "a", ID: "1", Name: "name a"}},
			drift:   []Drift{drifted(team, "a", Renamed)}, inventory: oneDrifted},
		{name: "ended yesterday, archived with its drift left", want: state(ended), have: []target.Room{renamed}, on: day.AddDays(1),
			actions: []target.Action{act(target.OpArchive, team, "a", "1")}, inventory: inSync},

		{name: "orphan, default archives", have: []target.Room{orphan},
			actions: []target.Action{act(target.OpArchive, team, "z", "9")},
			drift:   []Drift{drifted(team, "z", Orphaned)}, inventory: oneOrphan},
		{name: "orphan already archived", have: []target.Room{with(orphan, func(r *target.Room) { r.Archived = true })},
			policy:    elevsynkv1.Policy{Deletion: elevsynkv1.DeletionArchive},
			inventory: oneOrphan},
		{name: "orphan group, Archive: groups cannot be archived, so it stays, reported",
			have:   []target.Room{with(orphan, func(r *target.Room) { r.Kind = sg })},
			policy: elevsynkv1.Policy{Deletion: elevsynkv1.DeletionArchive},
			drift:  []Drift{drifted(sg, "z", Orphaned)}, inventory: oneOrphan},
		{name: "orphan, Delete, archived or not", policy: elevsynkv1.Policy{Deletion: elevsynkv1.DeletionDelete},
			have:    []target.Room{orphan, with(orphan, func(r *target.Room) { r.Key, r.Name, r.ID, r.Archived = "y", "name y", "8", true })},
			actions: []target.Action{act(target.OpDelete, team, "y", "8"), act(target.OpDelete, team, "z", "9")},
			drift:   []Drift{drifted(team, "y", Orphaned), drifted(team, "z", Orphaned)}, inventory: elevsynkv1.Inventory{Orphaned: 2}},
		{name: "orphan, Orphan", have: []target.Room{orphan}, policy: elevsynkv1.Policy{Deletion: elevsynkv1.DeletionOrphan},
			drift: []Drift{drifted(team, "z", Orphaned)}, inventory: oneOrphan},
		{name: "orphan, unknown deletion leaves it", have: []target.Room{orphan}, policy: elevsynkv1.Policy{Deletion: "Shred"},
			drift: []Drift{drifted(team, "z", Orphaned)}, inventory: oneOrphan},
		{name: "orphan named as observed", have: []target.Room{with(orphan, func(r *target.Room) { r.Name = "Gamla 6A" })},
			actions: []target.Action{act(target.OpArchive, team, "z", "9")},
			drift:   []Drift{{Kind: team, Key: "z", Name: "Gamla 6A", Reasons: []Reason{Orphaned}}}, inventory: oneOrphan},
		{name: "same key, other kind: orphan and missing", want: state(with(b, func(r *desired.Room) { r.Key = "a" })),
			have: []target.Room{seen(a, "1")},
			actions: []target.Action{
				{Op: target.OpCreate, Kind: class, Key: "a", Name: "name b", Description: "desc b", People: people("t@x")},
				act(target.OpAddMembers, class, "a", "", "p1@x"),
				act(target.OpArchive, team, "a", "1")},
			drift:     []Drift{{Kind: class, Key: "a", Name: "name b", Reasons: []Reason{Missing}}, drifted(team, "a", Orphaned)},
			inventory: elevsynkv1.Inventory{Missing: 1, Orphaned: 1}},
		{name: "duplicates: lowest id kept, numeric ids by value", want: state(a),
			have: []target.Room{seen(a, "10"), renamed, with(seen(a, "9"), func(r *target.Room) { r.Archived = true })},
			actions: []target.Action{{Op: target.OpRename, Kind: team, Key: "a", ID: "1", Name: "name a"},
				act(target.OpArchive, team, "a", "10")},
			drift:     []Drift{drifted(team, "a", Renamed), drifted(team, "a", Duplicate)},
			inventory: elevsynkv1.Inventory{Managed: 1, Drifted: 1, Orphaned: 2}},
		{name: "duplicates of an orphan", have: []target.Room{with(orphan, func(r *target.Room) { r.ID = "b" }), with(orphan, func(r *target.Room) { r.ID = "a" })},
			actions: []target.Action{act(target.OpArchive, team, "z", "a"), act(target.OpArchive, team, "z", "b")},
			drift:   []Drift{drifted(team, "z", Orphaned), drifted(team, "z", Duplicate)}, inventory: elevsynkv1.Inventory{Orphaned: 2}},
		{name: "a desired key twice: the first wins",
			want: state(a, with(a, func(r *desired.Room) { r.Name = "second" })), have: []target.Room{seen(a, "1")}, inventory: inSync},

		{name: "phases across rooms", policy: elevsynkv1.Policy{Deletion: elevsynkv1.DeletionDelete},
			want: state(ended, room(team, "c", people("t@x"), nil), with(b, func(r *desired.Room) { r.Key = "d" }), b),
			have: []target.Room{orphan, memberDrift, with(seen(b, "2"), func(r *target.Room) { r.Name = "old" })},
			actions: []target.Action{
				{Op: target.OpCreate, Kind: class, Key: "d", Name: "name b", Description: "desc b", People: people("t@x")},
				{Op: target.OpCreate, Kind: team, Key: "c", Name: "name c", Description: "desc c", People: people("t@x")},
				{Op: target.OpRename, Kind: class, Key: "b", ID: "2", Name: "name b"},
				act(target.OpAddMembers, class, "d", "", "p1@x"),
				act(target.OpArchive, team, "a", "1"),
				act(target.OpDelete, team, "z", "9")},
			drift: []Drift{drifted(class, "b", Renamed), {Kind: class, Key: "d", Name: "name b", Reasons: []Reason{Missing}},
				drifted(team, "c", Missing), drifted(team, "z", Orphaned)},
			inventory: elevsynkv1.Inventory{Managed: 2, InSync: 1, Drifted: 1, Missing: 2, Orphaned: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			on := tt.on
			if on.IsZero() {
				on = day
			}
			got := Compute(tt.want, tt.have, tt.policy, on)
			if diff := cmp.Diff(tt.actions, got.Actions, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("actions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.drift, got.Drift, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("drift (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.inventory, got.Inventory); diff != "" {
				t.Errorf("inventory (-want +got):\n%s", diff)
			}
		})
	}
}
