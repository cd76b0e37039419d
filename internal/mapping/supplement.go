package mapping

import (
	"fmt"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
)

// SupplementOf is what a RegisterSource listed after the first in a
// Mapping's sourceRefs contributes. Manual sources need no fetch: their
// groups are in the spec. Other kinds supplement people's attributes once
// their readers exist; until then they are refused by name.
func SupplementOf(src *elevsynkv1.RegisterSource) (Supplement, error) {
	if src.Spec.Manual == nil {
		return Supplement{}, fmt.Errorf("RegisterSource %q: only manual sources can supplement the primary register in this version", src.Name)
	}
	return Supplement{Source: src.Name, Groups: src.Spec.Manual.Groups}, nil
}
