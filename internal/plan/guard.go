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

// Guard reports whether the plan's archivals plus deletions exceed the
// guard. A nil guard sets no limit (limit -1, never exceeded). maxDeletions
// is a count (25, or the string "25") or a percentage of the managed and
// orphaned rooms ("5%"), rounded down, so 0 and "0%" stop every archival.
func Guard(p Plan, g *elevsynkv1.DeletionGuard) (limit int, exceeded bool, err error) {
	if g == nil {
		return -1, false, nil
	}
	rooms := int(p.Inventory.Managed) + int(p.Inventory.Orphaned)
	limit, err = maxDeletions(g.MaxDeletions, rooms)
	if err != nil {
		return 0, false, err
	}
	s := p.Summary()
	return limit, s.Archives+s.Deletes > limit, nil
}

// maxDeletions reads v against a total of rooms. The CRD's validation
// admits only counts and percentages, but a Target read from a file has
// not been through it.
func maxDeletions(v intstr.IntOrString, rooms int) (int, error) {
	if v.Type == intstr.Int {
		if v.IntVal < 0 {
			return 0, ErrMaxDeletions
		}
		return int(v.IntVal), nil
	}
	digits, percent := strings.CutSuffix(v.StrVal, "%")
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || digits != strconv.Itoa(n) || (percent && n > 100) {
		return 0, ErrMaxDeletions
	}
	if !percent {
		return n, nil
	}
	return rooms * n / 100, nil
}
