package mapping

import (
	"fmt"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// isSupplement: manual groups, an LDAP directory, or groups kept in a
// Target's directory.
func isSupplement(s elevsynkv1.RegisterSourceSpec) bool {
	return s.Manual != nil || s.LDAP != nil || s.DirectoryGroups != nil
}

// CheckPrimary refuses, by name, a RegisterSource that cannot be the
// first of a Mapping's sourceRefs: a supplement has no register of its own.
func CheckPrimary(src *elevsynkv1.RegisterSource) error {
	if isSupplement(src.Spec) {
		return fmt.Errorf("RegisterSource %q is a supplement (manual groups, an LDAP directory or directory groups); the first source must be a register, supplements only add to it", src.Name)
	}
	return nil
}

// CheckSupplement refuses, by name, a RegisterSource that cannot follow
// the first in a Mapping's sourceRefs: a register cannot supplement
// another register.
func CheckSupplement(src *elevsynkv1.RegisterSource) error {
	if !isSupplement(src.Spec) {
		return fmt.Errorf("RegisterSource %q: only manual, LDAP and directoryGroups sources can supplement the primary register", src.Name)
	}
	return nil
}

// Fetched is what a supplement that reads from outside its spec read last:
// an LDAP source's directory, or a directoryGroups source's groups.
type Fetched struct {
	Directory *roster.Directory
	Groups    []elevsynkv1.ManualGroup
}

// SupplementOf is what a RegisterSource listed after the first in a
// Mapping's sourceRefs contributes. Manual sources need no fetch: their
// groups are in the spec. LDAP and directoryGroups sources contribute
// their last good read, fetched, which the caller must have (nil before
// the first): a Mapping waits for it rather than join nothing.
func SupplementOf(src *elevsynkv1.RegisterSource, fetched *Fetched) (Supplement, error) {
	if err := CheckSupplement(src); err != nil {
		return Supplement{}, err
	}
	s := src.Spec
	switch {
	case s.Manual != nil:
		return Supplement{Source: src.Name, Groups: s.Manual.Groups}, nil
	case fetched == nil:
		return Supplement{}, fmt.Errorf("RegisterSource %q has not been read yet", src.Name)
	case s.LDAP != nil:
		if fetched.Directory == nil {
			return Supplement{}, fmt.Errorf("RegisterSource %q: its last read holds no directory", src.Name)
		}
		return Supplement{Source: src.Name, JoinKey: s.LDAP.JoinKey, First: s.LDAP.Precedence == elevsynkv1.PrecedenceDirectory,
			People: fetched.Directory.Entries}, nil
	}
	return Supplement{Source: src.Name, Groups: fetched.Groups}, nil
}
