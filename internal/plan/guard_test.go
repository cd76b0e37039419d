package plan

import (
	"strconv"

	"errors"
	"testing"

	"k8s.io/apimachinery/pkg/util/intstr"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/target"
)

func TestGuard(t *testing.T) {
	// 150 managed and 50 orphaned rooms: percentages are of 200. The plan
	// archives 9 and deletes 1; other actions do not count.
	var acts []target.Action
	for range 9 {
		acts = append(acts, act(target.OpArchive, team, "a", "1"))
	}
	acts = append(acts, act(target.OpDelete, team, "b", "2"), act(target.OpRename, team, "c", "3"),
		act(target.OpRemoveMembers, team, "c", "3", "p@x"))
	p := Plan{Actions: acts, Inventory: elevsynkv1.Inventory{Managed: 150, InSync: 150, Orphaned: 50}}
	guard := func(v intstr.IntOrString) *elevsynkv1.DeletionGuard {
		return &elevsynkv1.DeletionGuard{MaxDeletions: v}
	}
	tests := []struct {
		name     string
		plan     Plan
		guard    *elevsynkv1.DeletionGuard
		limit    int
		exceeded bool
		err      error
	}{
		{name: "nil guard: no limit", plan: p, limit: -1},
		{name: "count above", plan: p, guard: guard(intstr.FromInt32(11)), limit: 11},
		{name: "count equal", plan: p, guard: guard(intstr.FromInt32(10)), limit: 10},
		{name: "count below", plan: p, guard: guard(intstr.FromInt32(9)), limit: 9, exceeded: true},
		{name: "count as a string", plan: p, guard: guard(intstr.FromString("9")), limit: 9, exceeded: true},
		{name: "0 stops any archival", plan: p, guard: guard(intstr.FromInt32(0)), limit: 0, exceeded: true},
		{name: "0 with nothing to archive", plan: Plan{}, guard: guard(intstr.FromInt32(0)), limit: 0},
		{name: "5% of 200", plan: p, guard: guard(intstr.FromString("5%")), limit: 10},
		{name: "4% of 200", plan: p, guard: guard(intstr.FromString("4%")), limit: 8, exceeded: true},
		{name: "percent rounds down", plan: Plan{Actions: acts[:1], Inventory: elevsynkv1.Inventory{Managed: 39}},
			guard: guard(intstr.FromString("5%")), limit: 1},
		{name: "percent rounds down to 0", plan: Plan{Actions: acts[:1], Inventory: elevsynkv1.Inventory{Managed: 19}},
			guard: guard(intstr.FromString("5%")), limit: 0, exceeded: true},
		{name: "0%", plan: p, guard: guard(intstr.FromString("0%")), limit: 0, exceeded: true},
		{name: "100%", plan: p, guard: guard(intstr.FromString("100%")), limit: 200},
		{name: "negative count", plan: p, guard: guard(intstr.FromInt32(-1)), err: ErrMaxDeletions},
		{name: "over 100%", plan: p, guard: guard(intstr.FromString("101%")), err: ErrMaxDeletions},
		{name: "fraction", plan: p, guard: guard(intstr.FromString("2.5%")), err: ErrMaxDeletions},
		{name: "leading zero", plan: p, guard: guard(intstr.FromString("05%")), err: ErrMaxDeletions},
		{name: "sign", plan: p, guard: guard(intstr.FromString("+5")), err: ErrMaxDeletions},
		{name: "empty string", plan: p, guard: guard(intstr.FromString("")), err: ErrMaxDeletions},
		{name: "only a percent sign", plan: p, guard: guard(intstr.FromString("%")), err: ErrMaxDeletions},
		{name: "words", plan: p, guard: guard(intstr.FromString("many")), err: ErrMaxDeletions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit, exceeded, err := Guard(tt.plan, tt.guard)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if limit != tt.limit || exceeded != tt.exceeded {
				t.Errorf("Guard = %d, %t; want %d, %t", limit, exceeded, tt.limit, tt.exceeded)
			}
		})
	}
}

func TestRemovalGuard(t *testing.T) {
	// 400 memberships observed; the plan removes 30 members and 10 owners
	// and adds 50 (adds never count).
	people := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "p" + strconv.Itoa(i) + "@x"
		}
		return out
	}
	acts := []target.Action{
		act(target.OpAddMembers, team, "a", "1", people(50)...),
		act(target.OpRemoveMembers, team, "a", "1", people(30)...),
		act(target.OpRemoveOwners, team, "b", "2", people(10)...),
		act(target.OpArchive, team, "c", "3"),
	}
	p := Plan{Actions: acts, Memberships: 400}
	guard := func(v *intstr.IntOrString) *elevsynkv1.DeletionGuard {
		return &elevsynkv1.DeletionGuard{MaxDeletions: intstr.FromInt32(0), MaxMemberRemovals: v}
	}
	ptr := func(v intstr.IntOrString) *intstr.IntOrString { return &v }
	tests := []struct {
		name     string
		plan     Plan
		guard    *elevsynkv1.DeletionGuard
		limit    int
		exceeded bool
		err      error
	}{
		{name: "nil guard: no limit", plan: p, limit: -1},
		{name: "unset: the default 20% of 400", plan: p, guard: guard(nil), limit: 80},
		{name: "10% of 400", plan: p, guard: guard(ptr(intstr.FromString("10%"))), limit: 40},
		{name: "9% of 400", plan: p, guard: guard(ptr(intstr.FromString("9%"))), limit: 36, exceeded: true},
		{name: "count", plan: p, guard: guard(ptr(intstr.FromInt32(39))), limit: 39, exceeded: true},
		{name: "every membership dropped", plan: Plan{Actions: []target.Action{act(target.OpRemoveMembers, team, "a", "1", people(400)...)}, Memberships: 400},
			guard: guard(nil), limit: 80, exceeded: true},
		{name: "first sync adds only", plan: Plan{Actions: acts[:1]}, guard: guard(nil), limit: 0},
		{name: "bad value", plan: p, guard: guard(ptr(intstr.FromString("lots"))), err: ErrMaxMemberRemovals},
		{name: "negative", plan: p, guard: guard(ptr(intstr.FromInt32(-3))), err: ErrMaxMemberRemovals},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit, exceeded, err := RemovalGuard(tt.plan, tt.guard)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if limit != tt.limit || exceeded != tt.exceeded {
				t.Errorf("RemovalGuard = %d, %t; want %d, %t", limit, exceeded, tt.limit, tt.exceeded)
			}
		})
	}
}

func TestComputeCountsMemberships(t *testing.T) {
	have := []target.Room{
		{Kind: team, Key: "a", Owners: []string{"t@x"}, Members: []string{"p1@x", "p2@x"}},
		{Kind: team, Key: "b", Owners: []string{"t@x"}},
	}
	if got := Compute(desired.State{}, have, elevsynkv1.Policy{}, roster.Date{}).Memberships; got != 4 {
		t.Errorf("Memberships = %d, want 4", got)
	}
}
