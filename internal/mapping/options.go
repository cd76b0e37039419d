package mapping

import elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"

// Options are what a Mapping takes from its Tenant and its Target, and
// settings the CLI may pass. The zero value is the documented defaults.
type Options struct {
	// ExcludedSecurityMarkings is the Tenant's
	// spec.privacy.excludedSecurityMarkings, used when the Mapping's
	// exclusions name none. Nil or empty: every marking but "Ingen" (and
	// unset, which SS 12000 reads as Ingen) is excluded, including values a
	// future register version might add.
	ExcludedSecurityMarkings []elevsynkv1.SecurityMarking

	// Rollover is the Tenant's calendar rollover, "MM-DD"; default "07-01".
	Rollover string
	// Terms are the Tenant's named terms, for the term function.
	Terms []elevsynkv1.Term

	// Abbreviations maps a schoolUnitCode to the abbreviation to use for
	// that school, winning over the derived one (see Abbreviate).
	Abbreviations map[string]string

	// ArchiveAfterDays is added to a room's end date to give
	// Lifetime.ArchiveAfter. Nil means 14.
	ArchiveAfterDays *int
}

const defaultArchiveAfterDays = 14

func (o Options) archiveAfterDays() int {
	if o.ArchiveAfterDays == nil {
		return defaultArchiveAfterDays
	}
	return *o.ArchiveAfterDays
}

// defaulted applies the defaults the CRD markers declare, for specs read
// from files that no API server has defaulted.
func defaulted(spec elevsynkv1.MappingSpec) elevsynkv1.MappingSpec {
	if spec.AccountKey == nil {
		spec.AccountKey = &elevsynkv1.AccountKey{Attribute: elevsynkv1.JoinKeyEduPersonPrincipalName}
	}
	if spec.JoinKey == "" {
		spec.JoinKey = elevsynkv1.JoinKeyPersonID
	}
	if len(spec.Exclusions.PersonStatuses) == 0 {
		spec.Exclusions.PersonStatuses = []string{"Utvandrad", "Avliden"}
	}
	return spec
}

// TenantOptions are the Options a Tenant sets for every Mapping in its
// namespace.
func TenantOptions(spec elevsynkv1.TenantSpec) Options {
	o := Options{ExcludedSecurityMarkings: spec.Privacy.ExcludedSecurityMarkings}
	if spec.Calendar != nil {
		o.Rollover, o.Terms = spec.Calendar.Rollover, spec.Calendar.Terms
	}
	return o
}
