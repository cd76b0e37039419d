package plan

import elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"

// rules is a Policy with defaults applied and every value one this
// package acts on.
type rules struct {
	name, description, members, owners, archived elevsynkv1.DriftAction
	deletion                                     elevsynkv1.DeletionPolicy
}

// resolve applies the CRD defaults to empty values (the policy may come
// from a file no API server defaulted) and reads unknown values the way
// that never writes.
func resolve(p elevsynkv1.Policy) rules {
	return rules{
		name:        drift(p.Drift.Name, elevsynkv1.DriftCorrect),
		description: drift(p.Drift.Description, elevsynkv1.DriftCorrect),
		members:     drift(p.Drift.Members, elevsynkv1.DriftCorrect),
		owners:      drift(p.Drift.Owners, elevsynkv1.DriftCorrect),
		archived:    drift(p.Drift.Archived, elevsynkv1.DriftReport),
		deletion:    deletion(p.Deletion),
	}
}

func drift(a, def elevsynkv1.DriftAction) elevsynkv1.DriftAction {
	switch a {
	case "":
		return def
	case elevsynkv1.DriftCorrect, elevsynkv1.DriftReport, elevsynkv1.DriftIgnore:
		return a
	}
	return elevsynkv1.DriftReport
}

func deletion(d elevsynkv1.DeletionPolicy) elevsynkv1.DeletionPolicy {
	switch d {
	case "":
		return elevsynkv1.DeletionArchive
	case elevsynkv1.DeletionArchive, elevsynkv1.DeletionDelete, elevsynkv1.DeletionOrphan:
		return d
	}
	return elevsynkv1.DeletionOrphan
}
