package controllers_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/controllers"
	evaluation "github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// schoolMapping has a class team per activity and a team per class, reading
// the register and a manual source.
func schoolMapping(ns string) *elevsynkv1.Mapping {
	m := mapping(ns, "skolor", "register", "extra")
	m.Spec.Rules = []elevsynkv1.Rule{
		{Name: "undervisning", From: elevsynkv1.RegisterActivity,
			Room:    elevsynkv1.RoomTemplate{Kind: elevsynkv1.RoomClassTeam, Name: "{{ .School.Abbreviation }} {{ .Activity.DisplayName }}"},
			Owners:  []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleTeachers}},
			Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStudents}}},
		{Name: "klasser", From: elevsynkv1.RegisterGroup, Filter: `group.type == "Klass"`,
			Room:    elevsynkv1.RoomTemplate{Kind: elevsynkv1.RoomTeam, Name: "Klass {{ .Group.DisplayName }}"},
			Owners:  []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleMentors}},
			Members: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RoleStudents}}},
	}
	return m
}

// school is a tenant in a namespace of its own reading a generated
// 300-pupil register and a manual source through the school mapping: the
// start of every Target test. It returns the namespace, the Mapping (not
// waited for) and the register.
func school(t *testing.T) (string, *elevsynkv1.Mapping, *roster.Snapshot) {
	t.Helper()
	ns := newNamespace(t)
	_, hs, snap := registerSandbox(t)
	create(t, tenant(ns, "exempelstad"))
	create(t, credentials(ns, "elevsynk", "s3cret"))
	create(t, manualSource(ns))
	create(t, registerSource(ns, hs.URL))
	m := schoolMapping(ns)
	create(t, m)
	return ns, m, snap
}

func manualSource(ns string) *elevsynkv1.RegisterSource {
	return &elevsynkv1.RegisterSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "extra"},
		Spec: elevsynkv1.RegisterSourceSpec{Manual: &elevsynkv1.ManualSource{Groups: []elevsynkv1.ManualGroup{
			{ID: "it-grupp", DisplayName: "IT-gruppen", Owners: []string{"it.admin@exempelstad.se"}}}}}}
}

func TestMappingEvaluatesSnapshots(t *testing.T) {
	ns := newNamespace(t)
	_, hs, snap := registerSandbox(t)
	create(t, tenant(ns, "exempelstad"))
	m := schoolMapping(ns)
	create(t, m)
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionFalse, elevsynkv1.ReasonDependencyMissing)

	create(t, manualSource(ns))
	create(t, credentials(ns, "elevsynk", "s3cret"))
	src := registerSource(ns, hs.URL)
	create(t, src)
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)

	// The status equals an evaluation of the generated register done here.
	prog, err := evaluation.Compile(m.Spec, evaluation.Options{})
	if err != nil {
		t.Fatal(err)
	}
	waitForCondition(t, src, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonFetched)
	day := roster.DateOf(src.Status.LastSuccessTime.Time)
	_, rep, err := prog.Evaluate(snap, []evaluation.Supplement{{Source: "extra", Groups: manualSource(ns).Spec.Manual.Groups}}, day)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status.DesiredHash != rep.DesiredHash || m.Status.TotalRooms != rep.TotalRooms || m.Status.Memberships != rep.Memberships {
		t.Errorf("status hash %s, %d rooms, %d memberships; evaluated here %s, %d, %d",
			m.Status.DesiredHash, m.Status.TotalRooms, m.Status.Memberships, rep.DesiredHash, rep.TotalRooms, rep.Memberships)
	}
	if len(m.Status.Rooms) != 2 || m.Status.TotalRooms < 10 {
		t.Errorf("rooms by kind %v, total %d: want class teams and teams", m.Status.Rooms, m.Status.TotalRooms)
	}
	if msg := readyMessage(m); !strings.Contains(msg, "ClassTeam") || strings.Contains(msg, "@") {
		t.Errorf("ready message %q should count rooms by kind and name nobody", msg)
	}
	good := m.Status.DesiredHash

	// A bad filter stalls with the rule, field and position, and the last
	// good rooms stay (the hash in status does not change).
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(m), m); err != nil {
			return err
		}
		m.Spec.Rules[1].Filter = `group.type == `
		return k8s.Update(context.Background(), m)
	})
	waitForCondition(t, m, elevsynkv1.ConditionStalled, metav1.ConditionTrue, controllers.ReasonRuleError)
	msg := readyMessage(m)
	if !strings.Contains(msg, `rule "klasser", filter: 1:`) || !strings.Contains(msg, "last good rooms stay in use") {
		t.Errorf("stall message %q should name rule, field and position and say the last rooms stay", msg)
	}
	if len(m.Status.RuleErrors) != 1 || m.Status.RuleErrors[0].Rule != "klasser" || m.Status.RuleErrors[0].Field != "filter" {
		t.Errorf("rule errors %+v, want one for klasser's filter", m.Status.RuleErrors)
	}
	if m.Status.DesiredHash != good {
		t.Errorf("desired hash changed to %s on a rule error", m.Status.DesiredHash)
	}

	// A template naming a field that does not exist is caught too.
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(m), m); err != nil {
			return err
		}
		m.Spec.Rules[1].Filter = `group.type == "Klass"`
		m.Spec.Rules[0].Room.Name = "{{ .Activity.Nope }}"
		return k8s.Update(context.Background(), m)
	})
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(m), m); err != nil {
			return err
		}
		if len(m.Status.RuleErrors) != 1 || m.Status.RuleErrors[0].Rule != "undervisning" || m.Status.RuleErrors[0].Field != "room.name" {
			return fmt.Errorf("rule errors %+v, want one for undervisning's room.name", m.Status.RuleErrors)
		}
		return nil
	})

	// Fixed, it is Ready again with the same rooms as before.
	eventually(t, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(m), m); err != nil {
			return err
		}
		m.Spec.Rules[0].Room.Name = schoolMapping(ns).Spec.Rules[0].Room.Name
		return k8s.Update(context.Background(), m)
	})
	waitForCondition(t, m, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonEvaluated)
	if m.Status.DesiredHash != good || len(m.Status.RuleErrors) != 0 {
		t.Errorf("after the fix: hash %s (want %s), rule errors %v", m.Status.DesiredHash, good, m.Status.RuleErrors)
	}
}

// A Mapping may exclude more security markings than its Tenant, never
// fewer: one that would let in people with a protected identity stalls,
// and its Target writes no room. Fixed, no protected person is in a room.
func TestMappingCannotLetInProtectedIdentities(t *testing.T) {
	ns := newNamespace(t)
	_, hs, snap := registerSandbox(t)
	tn := tenant(ns, "exempelstad")
	tn.Spec.Privacy.ExcludedSecurityMarkings = []elevsynkv1.SecurityMarking{elevsynkv1.SecurityMarkingProtected}
	create(t, tn)
	create(t, credentials(ns, "elevsynk", "s3cret"))
	create(t, manualSource(ns))
	create(t, registerSource(ns, hs.URL))
	m := schoolMapping(ns)
	m.Spec.Exclusions.SecurityMarkings = []elevsynkv1.SecurityMarking{elevsynkv1.SecurityMarkingConfidential}
	create(t, m)
	dir := t.TempDir()
	tg := target(ns, "export", "skolor")
	tg.Spec.File.Path = dir
	tg.Spec.Mode = elevsynkv1.ModeApply
	create(t, tg)

	waitForCondition(t, m, elevsynkv1.ConditionStalled, metav1.ConditionTrue, controllers.ReasonRuleError)
	if msg := readyMessage(m); !strings.Contains(msg, `exclusions.securityMarkings: the Tenant excludes people marked "Skyddad folkbokföring"`) ||
		!strings.Contains(msg, "never fewer") {
		t.Errorf("stall message %q does not say what is wrong", msg)
	}
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionFalse, controllers.ReasonNoDesired)
	if _, err := os.Stat(filepath.Join(dir, ns+"-export.json")); !os.IsNotExist(err) {
		t.Fatalf("the Target wrote rooms from a refused Mapping (stat: %v)", err)
	}

	change(t, m, func(m *elevsynkv1.Mapping) {
		m.Spec.Exclusions.SecurityMarkings = append(m.Spec.Exclusions.SecurityMarkings, elevsynkv1.SecurityMarkingProtected)
	})
	waitForCondition(t, tg, elevsynkv1.ConditionReady, metav1.ConditionTrue, controllers.ReasonApplied)
	data, err := os.ReadFile(filepath.Join(dir, ns+"-export.json"))
	if err != nil {
		t.Fatal(err)
	}
	var marked int
	for _, p := range snap.Persons {
		if p.SecurityMarking == roster.SecurityMarking(elevsynkv1.SecurityMarkingNone) || p.SecurityMarking == "" {
			continue
		}
		marked++
		for _, k := range p.AccountKeys() {
			if strings.Contains(string(data), `"`+k+`"`) {
				t.Errorf("a person marked %s is in a room", p.SecurityMarking)
			}
		}
	}
	if marked == 0 {
		t.Fatal("the generated register has no marked person: the check above checked nothing")
	}
}
