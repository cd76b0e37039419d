package controllers

import (
	"fmt"

	"k8s.io/apimachinery/pkg/types"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

// keptPlan is a Target's last plan that wrote nothing, and what it was
// computed from. Each interval a Target observes again (that is how drift
// is found), but when the desired rooms and the observed ones are what
// they were, planning again gives the same plan: across many tenants that
// re-plan would be most of a quiet cycle's work.
type keptPlan struct {
	inputs string
	have   []target.Room // as Observe returned them, which no one changes
	o      outcome
}

// planInputs is everything a plan and its outcome depend on besides the
// Target's adapter and the observed rooms (compared as they are, see
// keptOutcome): the spec (generation), the approval, the Tenant (suspend,
// guards), the desired rooms, the day (archive dates) and whether echoes
// of our own writes are still being left out of the drift shown.
func planInputs(t *elevsynkv1.Target, tenant *elevsynkv1.Tenant, desiredHash string, day roster.Date, echoes bool) string {
	return fmt.Sprintf("%d/%s/%s@%d/%s/%s/%t", t.Generation, t.Annotations[elevsynkv1.ApprovePlanAnnotation],
		tenant.UID, tenant.Generation, desiredHash, day, echoes)
}

// wroteNothing are the outcomes of a plan that was not applied and so
// holds as long as its inputs do; an applied plan changes the target,
// and a failure is tried again.
var wroteNothing = map[string]bool{ReasonInSync: true, ReasonPlanned: true, ReasonObserved: true, elevsynkv1.ReasonSuspended: true}

// keptOutcome is the outcome of the Target's last plan if it was computed
// from inputs and the observed rooms have.
func (r *TargetReconciler) keptOutcome(key types.NamespacedName, inputs string, have []target.Room) (outcome, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k, ok := r.kept[key]
	return k.o, ok && k.inputs == inputs && target.SameRooms(k.have, have)
}

// keep remembers a plan's outcome for its inputs if it wrote nothing, and
// forgets any earlier one otherwise.
func (r *TargetReconciler) keep(key types.NamespacedName, inputs string, have []target.Room, o outcome, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil || !o.ready || !wroteNothing[o.reason] {
		delete(r.kept, key)
		return
	}
	if r.kept == nil {
		r.kept = map[types.NamespacedName]keptPlan{}
	}
	r.kept[key] = keptPlan{inputs: inputs, have: have, o: o}
}
