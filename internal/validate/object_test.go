package validate

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		name      string
		err       *field.Error
		path, msg string
	}{
		{"enum keeps its value", field.NotSupported(field.NewPath("spec", "mode"), "Sometimes", []string{"Apply", "Plan"}),
			"spec.mode", `Unsupported value: "Sometimes": supported values: "Apply", "Plan"`},
		{"account key in a manual group", field.Duplicate(field.NewPath("spec", "manual", "groups").Index(0).Child("members").Index(1), "anna@skola.example"),
			"spec.manual.groups[0].members[1]", "Duplicate value"},
		{"extra owner without an @", field.Duplicate(field.NewPath("spec", "rules").Index(0).Child("extraOwners").Index(1), "anna.svensson"),
			"spec.rules[0].extraOwners[1]", "Duplicate value"},
		{"excluded account key", field.Invalid(field.NewPath("spec", "exclusions", "accountKeys").Index(0), "19120101-1234", "bad"),
			"spec.exclusions.accountKeys[0]", "Invalid value: bad"},
		{"admin address", field.Invalid(field.NewPath("spec", "google", "adminSubject"), "ab", "too short"),
			"spec.google.adminSubject", "Invalid value: too short"},
		{"address anywhere", field.Invalid(field.NewPath("spec", "google", "domain"), "admin@skola.example", "not a domain"),
			"spec.google.domain", "Invalid value: not a domain"},
		{"a list may be a member list", field.Invalid(field.NewPath("spec", "x"), []any{"anna"}, "bad"),
			"spec.x", "Invalid value: bad"},
		{"a rule selector is not personal", field.NotSupported(field.NewPath("spec", "rules").Index(0).Child("owners").Index(0).Child("role"), "Boss", []string{"Teachers"}),
			"spec.rules[0].owners[0].role", `Unsupported value: "Boss": supported values: "Teachers"`},
		{"whole object", field.Invalid(nil, nil, "some validation rules were not checked"),
			"", "some validation rules were not checked"},
		{"required", field.Required(field.NewPath("metadata", "namespace"), ""),
			"metadata.namespace", "Required value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, msg := describe(tt.err)
			if path != tt.path || msg != tt.msg {
				t.Errorf("describe = %q, %q; want %q, %q", path, msg, tt.path, tt.msg)
			}
		})
	}
}
