package mapping

import (
	"errors"
	"strings"
	"testing"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name      string
		rule      elevsynkv1.Rule
		field     string
		line, col int
		msg       string
	}{
		{"CEL syntax error", elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: `group.type == "Klass" &&`},
			"filter", 1, 25, "Syntax error"},
		{"CEL undeclared variable", elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: `grop.type == "Klass"`},
			"filter", 1, 1, "undeclared reference to 'grop'"},
		{"CEL variable of another from", elevsynkv1.Rule{From: elevsynkv1.RegisterActivity, Filter: `group.type == "Klass"`},
			"filter", 1, 1, "undeclared reference to 'group'"},
		{"CEL unknown field", elevsynkv1.Rule{From: elevsynkv1.RegisterGroup, Filter: "group.type == \"Klass\" &&\n  group.kind == \"x\""},
			"filter", 2, 8, "undefined field 'kind'"},
		{"CEL non-bool result", elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Filter: `school.displayName`},
			"filter", 1, 7, "must be true or false"},
		{"template syntax", elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Room: elevsynkv1.RoomTemplate{Name: `{{ .School.DisplayName `}},
			"room.name", 1, 1, "unclosed action"},
		{"template unknown function", elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Room: elevsynkv1.RoomTemplate{Name: `SG {{ shout .School.DisplayName }}`}},
			"room.name", 1, 7, `function "shout" not defined`},
		{"template unknown field", elevsynkv1.Rule{From: elevsynkv1.RegisterActivity, Room: elevsynkv1.RoomTemplate{Name: `{{ .School.Abbreviation }} {{ .Activity.Dispalyname }}`}},
			"room.name", 1, 40, "can't evaluate field Dispalyname in type Activity"},
		{"template object of another from", elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Room: elevsynkv1.RoomTemplate{Name: `{{ .Group.DisplayName }}`}},
			"room.name", 1, 10, "nil pointer evaluating Group.DisplayName"},
		{"description template", elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Room: elevsynkv1.RoomTemplate{Name: "x", Description: "line one\n{{ truncate }}"}},
			"room.description", 2, 4, "wrong number of args for truncate"},
		{"mail nickname on a kind without one", elevsynkv1.Rule{From: elevsynkv1.RegisterActivity, Room: elevsynkv1.RoomTemplate{Kind: elevsynkv1.RoomClassTeam, Name: "x", MailNickname: "y"}},
			"room.mailNickname", 0, 0, "no mail nickname"},
		{"ClassTeam from School", elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Room: elevsynkv1.RoomTemplate{Kind: elevsynkv1.RoomClassTeam, Name: "x"}},
			"room.kind", 0, 0, "made from an Activity or a Group"},
		{"dutyRoles without Staff", elevsynkv1.Rule{From: elevsynkv1.RegisterSchool, Owners: []elevsynkv1.PeopleSelector{{Role: elevsynkv1.RolePrincipals, DutyRoles: []string{"Rektor"}}}},
			"owners[0].dutyRoles", 0, 0, "only be set with role Staff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.rule.Name = "my-rule"
			_, err := Compile(oneRule(tt.rule), Options{})
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile error = %v, want a *CompileError", err)
			}
			if len(ce.Problems) != 1 {
				t.Fatalf("problems = %v, want one", ce.Problems)
			}
			p := ce.Problems[0]
			if p.Rule != "my-rule" || p.Field != tt.field || p.Line != tt.line || p.Column != tt.col || !strings.Contains(p.Message, tt.msg) {
				t.Errorf("problem = %+v\nwant rule my-rule, field %s at %d:%d, message containing %q", p, tt.field, tt.line, tt.col, tt.msg)
			}
			if !strings.Contains(err.Error(), `rule "my-rule": `+tt.field) {
				t.Errorf("Error() = %q does not name rule and field", err)
			}
			if re := ce.RuleErrors(); len(re) != 1 || re[0].Rule != "my-rule" || re[0].Field != tt.field {
				t.Errorf("RuleErrors = %+v", re)
			}
		})
	}
}

// Every failing rule is reported, not only the first.
func TestCompileCollectsAllRules(t *testing.T) {
	spec := sampleSpec(t)
	spec.Rules[0].Filter = "activity.nope"
	spec.Rules[2].Room.Name = "{{ nope }}"
	spec.Rules = append(spec.Rules, spec.Rules[1])
	_, err := Compile(spec, Options{Rollover: "13-01"})
	var ce *CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	var got []string
	for _, p := range ce.Problems {
		got = append(got, p.Rule+"/"+p.Field)
	}
	want := "/tenant.calendar undervisning/filter personal/room.name klasser/name"
	if strings.Join(got, " ") != want {
		t.Errorf("problems at %v, want %s", got, want)
	}
}

func TestCompileSpecDefaults(t *testing.T) {
	spec := sampleSpec(t)
	spec.AccountKey, spec.JoinKey, spec.Exclusions = nil, "", elevsynkv1.Exclusions{}
	p := mustCompile(t, spec, Options{})
	if p.spec.AccountKey.Attribute != elevsynkv1.JoinKeyEduPersonPrincipalName || p.spec.JoinKey != elevsynkv1.JoinKeyPersonID ||
		strings.Join(p.spec.Exclusions.PersonStatuses, ",") != "Utvandrad,Avliden" {
		t.Errorf("defaults not applied: %+v", p.spec)
	}
	spec.AccountKey = &elevsynkv1.AccountKey{Attribute: elevsynkv1.JoinKeyExternalIdentifier}
	if _, err := Compile(spec, Options{}); err == nil || !strings.Contains(err.Error(), "accountKey.context") {
		t.Errorf("ExternalIdentifier without context: %v", err)
	}
}

func TestCompileRefusesFewerMarkingsThanTheTenant(t *testing.T) {
	var (
		protected    = elevsynkv1.SecurityMarkingProtected
		confidential = elevsynkv1.SecurityMarkingConfidential
	)
	tests := []struct {
		name    string
		mapping []elevsynkv1.SecurityMarking
		tenant  []elevsynkv1.SecurityMarking
		refused []elevsynkv1.SecurityMarking // named in the problems, in order
	}{
		{"unset takes the tenant's", nil, []elevsynkv1.SecurityMarking{protected}, nil},
		{"the same as the tenant", []elevsynkv1.SecurityMarking{protected}, []elevsynkv1.SecurityMarking{protected}, nil},
		{"more than the tenant", []elevsynkv1.SecurityMarking{protected, confidential}, []elevsynkv1.SecurityMarking{protected}, nil},
		{"lets in Skyddad folkbokföring", []elevsynkv1.SecurityMarking{confidential}, []elevsynkv1.SecurityMarking{protected, confidential}, []elevsynkv1.SecurityMarking{protected}},
		{"the tenant's default excludes both", []elevsynkv1.SecurityMarking{elevsynkv1.SecurityMarkingNone}, nil, []elevsynkv1.SecurityMarking{confidential, protected}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := oneRule(elevsynkv1.Rule{Name: "r", From: elevsynkv1.RegisterGroup})
			spec.Exclusions.SecurityMarkings = tt.mapping
			_, err := Compile(spec, Options{ExcludedSecurityMarkings: tt.tenant})
			if len(tt.refused) == 0 {
				if err != nil {
					t.Fatalf("Compile: %v", err)
				}
				return
			}
			var ce *CompileError
			if !errors.As(err, &ce) || len(ce.Problems) != len(tt.refused) {
				t.Fatalf("Compile error = %v, want %d problems", err, len(tt.refused))
			}
			for i, p := range ce.Problems {
				if p.Field != "exclusions.securityMarkings" || !strings.Contains(p.Message, `"`+string(tt.refused[i])+`"`) ||
					!strings.Contains(p.Message, "never fewer") {
					t.Errorf("problem %d = %+v, want exclusions.securityMarkings naming %q", i, p, tt.refused[i])
				}
			}
		})
	}
}
