package plan

import (
	"errors"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/intstr"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// ErrMaxDeletions is returned by Guard for a maxDeletions that is neither a
// count of at least 0 nor a percentage from 0% to 100%.
var ErrMaxDeletions = errors.New("plan: deletionGuard.maxDeletions must be a count such as 25 or a percentage from 0% to 100% such as 5%")

// ErrMaxMemberRemovals is ErrMaxDeletions for maxMemberRemovals.
var ErrMaxMemberRemovals = errors.New("plan: deletionGuard.maxMemberRemovals must be a count such as 200 or a percentage from 0% to 100% such as 20%")

// DefaultGuard is the guard of a Target whose Target and Tenant set none:
// a first sync of a new Target archives nothing it does not own, and a
// shrunk register past the source guard is still stopped here.
var DefaultGuard = elevsynkv1.DeletionGuard{MaxDeletions: intstr.FromString("10%")}

// Effective is the guard that holds for a Target: its own, else its
// Tenant's, else DefaultGuard.
func Effective(target, tenant *elevsynkv1.DeletionGuard) *elevsynkv1.DeletionGuard {
	switch {
	case target != nil:
		return target
	case tenant != nil:
		return tenant
	}
	return &DefaultGuard
}

// DefaultMaxMemberRemovals applies when a guard leaves maxMemberRemovals unset.
var DefaultMaxMemberRemovals = intstr.FromString("20%")

// Guard reports whether the plan's archivals plus deletions exceed the
// guard. A nil guard sets no limit (limit -1, never exceeded). maxDeletions
// is a count (25, or the string "25") or a percentage of the managed and
// orphaned rooms ("5%"), rounded down, so 0 and "0%" stop every archival.
func Guard(p Plan, g *elevsynkv1.DeletionGuard) (limit int, exceeded bool, err error) {
	if g == nil {
		return -1, false, nil
	}
	rooms := int(p.Inventory.Managed) + int(p.Inventory.Orphaned)
	limit, ok := bound(g.MaxDeletions, rooms)
	if !ok {
		return 0, false, ErrMaxDeletions
	}
	s := p.Summary()
	return limit, s.Archives+s.Deletes > limit, nil
}

// RemovalGuard reports whether the plan's member plus owner removals exceed
// the guard's maxMemberRemovals (DefaultMaxMemberRemovals when unset), a
// count or a percentage of p.Memberships. A nil guard sets no limit.
func RemovalGuard(p Plan, g *elevsynkv1.DeletionGuard) (limit int, exceeded bool, err error) {
	if g == nil {
		return -1, false, nil
	}
	v := DefaultMaxMemberRemovals
	if g.MaxMemberRemovals != nil {
		v = *g.MaxMemberRemovals
	}
	limit, ok := bound(v, p.Memberships)
	if !ok {
		return 0, false, ErrMaxMemberRemovals
	}
	s := p.Summary()
	return limit, s.MemberRemoves+s.OwnerRemoves > limit, nil
}

// bound reads v against a total. The CRD's validation admits only counts
// and percentages, but a Target read from a file has not been through it.
func bound(v intstr.IntOrString, total int) (int, bool) {
	if v.Type == intstr.Int {
		return int(v.IntVal), v.IntVal >= 0
	}
	digits, percent := strings.CutSuffix(v.StrVal, "%")
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || digits != strconv.Itoa(n) || (percent && n > 100) {
		return 0, false
	}
	if !percent {
		return n, true
	}
	return total * n / 100, true
}
