package mapping

import (
	"fmt"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// CheckPrimary refuses, by name, a RegisterSource that cannot be the
// first of a Mapping's sourceRefs: a supplement has no register of its own.
func CheckPrimary(src *elevsynkv1.RegisterSource) error {
	if src.Spec.Manual != nil || src.Spec.LDAP != nil {
		return fmt.Errorf("RegisterSource %q is a supplement (manual groups or an LDAP directory); the first source must be a register, supplements only add to it", src.Name)
	}
	return nil
}

// CheckSupplement refuses, by name, a RegisterSource that cannot follow
// the first in a Mapping's sourceRefs: a register cannot supplement
// another register.
func CheckSupplement(src *elevsynkv1.RegisterSource) error {
	if src.Spec.Manual == nil && src.Spec.LDAP == nil {
		return fmt.Errorf("RegisterSource %q: only manual and LDAP sources can supplement the primary register", src.Name)
	}
	return nil
}

// SupplementOf is what a RegisterSource listed after the first in a
// Mapping's sourceRefs contributes. Manual sources need no fetch: their
// groups are in the spec. An LDAP source contributes the entries of its
// last good directory, dir, which the caller must have: a Mapping waits
// for the first fetch rather than join nothing.
func SupplementOf(src *elevsynkv1.RegisterSource, dir *roster.Directory) (Supplement, error) {
	if err := CheckSupplement(src); err != nil {
		return Supplement{}, err
	}
	s := src.Spec
	if s.Manual != nil {
		return Supplement{Source: src.Name, Groups: s.Manual.Groups}, nil
	}
	if dir == nil {
		return Supplement{}, fmt.Errorf("RegisterSource %q: no directory has been read yet", src.Name)
	}
	return Supplement{Source: src.Name, JoinKey: s.LDAP.JoinKey, First: s.LDAP.Precedence == elevsynkv1.PrecedenceDirectory,
		People: dir.Entries}, nil
}
