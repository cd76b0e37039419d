package plan

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/target"
)

// Summary counts a plan's room writes and the people it adds and removes.
type Summary struct {
	Creates int
	// Updates are renames, description changes and unarchivals.
	Updates  int
	Archives int
	Deletes  int
	// The people counts; an OpCreate's owners count as OwnerAdds.
	MemberAdds, MemberRemoves, OwnerAdds, OwnerRemoves int
}

// Summary counts the plan's actions.
func (p Plan) Summary() Summary {
	var s Summary
	for i := range p.Actions {
		a := &p.Actions[i]
		n := len(a.People)
		switch a.Op {
		case target.OpCreate:
			s.Creates++
			s.OwnerAdds += n
		case target.OpRename, target.OpSetDescription, target.OpUnarchive:
			s.Updates++
		case target.OpArchive:
			s.Archives++
		case target.OpDelete:
			s.Deletes++
		case target.OpAddMembers:
			s.MemberAdds += n
		case target.OpRemoveMembers:
			s.MemberRemoves += n
		case target.OpAddOwners:
			s.OwnerAdds += n
		case target.OpRemoveOwners:
			s.OwnerRemoves += n
		}
	}
	return s
}

// ToAPI is the summary as a Target's status shows it, for the plan with
// the given hash computed at time t.
func (s Summary) ToAPI(hash string, t metav1.Time) elevsynkv1.PlanSummary {
	return elevsynkv1.PlanSummary{
		Hash: hash, Time: t,
		Creates: count(s.Creates), Updates: count(s.Updates), Archives: count(s.Archives), Deletes: count(s.Deletes),
		MemberAdds: count(s.MemberAdds), MemberRemoves: count(s.MemberRemoves),
		OwnerAdds: count(s.OwnerAdds), OwnerRemoves: count(s.OwnerRemoves),
	}
}

// count narrows a count to the API's int32, saturating rather than
// wrapping to a negative number.
func count(n int) int32 {
	return int32(min(n, 1<<31-1))
}
