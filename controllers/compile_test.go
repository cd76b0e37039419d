package controllers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// The compiled rules are kept while the Mapping and its Tenant keep their
// generation, and compiled again when either changes: a new rule or a new
// calendar must not go unseen.
func TestMappingCompileKeptPerGeneration(t *testing.T) {
	r := &MappingReconciler{}
	m := &elevsynkv1.Mapping{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "skolor", UID: "m-1", Generation: 1},
		Spec: elevsynkv1.MappingSpec{SourceRefs: []elevsynkv1.LocalReference{{Name: "register"}}, Rules: []elevsynkv1.Rule{
			{Name: "klasser", From: elevsynkv1.RegisterGroup, Filter: `group.type == "Klass"`,
				Room:    elevsynkv1.RoomTemplate{Kind: elevsynkv1.RoomTeam, Name: "Klass {{ .Group.DisplayName }}"},
				Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStudents}}}}}}
	ten := &elevsynkv1.Tenant{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "exempelstad", UID: "t-1", Generation: 1}}
	first, err := r.compile(m, ten)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		change func()
		same   bool
	}{
		{"nothing changed", func() {}, true},
		{"a new Mapping generation", func() { m.Generation++ }, false},
		{"a new Tenant generation", func() { ten.Generation++ }, false},
		{"a Mapping of the same name made again", func() { m.UID = "m-2" }, false},
	} {
		tt.change()
		got, err := r.compile(m, ten)
		if err != nil {
			t.Fatal(err)
		}
		if (got == first) != tt.same {
			t.Errorf("%s: the same program %t, want %t", tt.name, got == first, tt.same)
		}
		first = got
	}
	m.Spec.Rules[0].Filter = "no such"
	m.Generation++
	if _, err := r.compile(m, ten); err == nil {
		t.Errorf("a broken rule in a new generation compiled from the kept program")
	}
}
