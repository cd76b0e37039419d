package plan

import (
	"fmt"
	"slices"
	"strings"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Uncorrected is the drift that stays after the plan: all of it when the
// plan was not applied, otherwise the reasons no action of the plan fixes
// (those the policy only reports, the owners of a room with no desired
// owner, the differences of a room that stays archived). It is what a
// Target's DriftDetected condition counts.
func (p Plan) Uncorrected(applied bool) []Drift {
	if !applied {
		return p.Drift
	}
	return unexplained(p.Drift, p.Actions)
}

// WithoutEchoes drops from drift the reasons that recent writes explain. A
// target read soon after a write may not show it yet (Graph and Directory
// replicate with a delay: "Designing for eventual consistency",
// https://learn.microsoft.com/en-us/entra/identity-platform/howto-handle-eventual-consistency),
// and reporting our own write as drift would alarm for nothing. The plan
// still sends the write again, which is idempotent.
func WithoutEchoes(drift []Drift, recent []target.Action) []Drift {
	return unexplained(drift, recent)
}

// fixedBy are the ops that fix each reason.
var fixedBy = map[Reason][]target.Op{
	Missing:            {target.OpCreate},
	Renamed:            {target.OpRename},
	DescriptionChanged: {target.OpSetDescription},
	MissingMembers:     {target.OpAddMembers},
	ExtraMembers:       {target.OpRemoveMembers},
	MissingOwners:      {target.OpAddOwners},
	ExtraOwners:        {target.OpRemoveOwners},
	Archived:           {target.OpUnarchive},
	Orphaned:           {target.OpArchive, target.OpDelete},
	Duplicate:          {target.OpArchive, target.OpDelete},
}

// unexplained is drift less the reasons that actions on the same room fix.
func unexplained(drift []Drift, actions []target.Action) []Drift {
	type room struct {
		kind elevsynkv1.RoomKind
		key  string
	}
	ops := map[room]map[target.Op]bool{}
	for _, a := range actions {
		k := room{a.Kind, a.Key}
		if ops[k] == nil {
			ops[k] = map[target.Op]bool{}
		}
		ops[k][a.Op] = true
	}
	var out []Drift
	for _, d := range drift {
		done := ops[room{d.Kind, d.Key}]
		var left []Reason
		for _, reason := range d.Reasons {
			if !slices.ContainsFunc(fixedBy[reason], func(op target.Op) bool { return done[op] }) {
				left = append(left, reason)
			}
		}
		if len(left) > 0 {
			out = append(out, Drift{Kind: d.Kind, Key: d.Key, Name: d.Name, Reasons: left})
		}
	}
	return out
}

// String is the summary in words for conditions and events, leaving out
// what is zero: "2 creates, 1 update, +130/-2 members, +4 owners".
func (s Summary) String() string {
	var parts []string
	for _, c := range []struct {
		n          int
		one, other string
	}{{s.Creates, "create", "creates"}, {s.Updates, "update", "updates"}, {s.Archives, "archival", "archivals"}, {s.Deletes, "deletion", "deletions"}} {
		switch {
		case c.n == 1:
			parts = append(parts, "1 "+c.one)
		case c.n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.other))
		}
	}
	for _, c := range []struct {
		add, remove int
		what        string
	}{{s.MemberAdds, s.MemberRemoves, "members"}, {s.OwnerAdds, s.OwnerRemoves, "owners"}} {
		switch {
		case c.add > 0 && c.remove > 0:
			parts = append(parts, fmt.Sprintf("+%d/-%d %s", c.add, c.remove, c.what))
		case c.add > 0:
			parts = append(parts, fmt.Sprintf("+%d %s", c.add, c.what))
		case c.remove > 0:
			parts = append(parts, fmt.Sprintf("-%d %s", c.remove, c.what))
		}
	}
	if len(parts) == 0 {
		return "no changes"
	}
	return strings.Join(parts, ", ")
}
