// Package rostergen generates a synthetic Swedish municipality as a
// roster.Snapshot: schools, pupils, staff, classes, teaching groups,
// syllabuses and activities, with the faults real registers have.
//
// Output depends only on Config: the same seed and size give a byte-identical
// snapshot (no map iteration, no clock, a PCG stream per purpose), so tests,
// benchmarks and the sandbox SS 12000 server can rely on it. Everything is
// invented; any resemblance of a name, civic number or code to a real person
// or school is chance.
package rostergen

import "github.com/elevsynk/elevsynk/internal/roster"

// Config says what to generate. The zero value of every field but Seed has a
// default (see Generate), so Config{Seed: 1} is a 300-pupil demo municipality.
type Config struct {
	Seed int64
	// Pupils is the number of enrolled pupils (300 for a demo, 120 000 for a
	// large municipality). Staff are added on top, about one per ten pupils.
	Pupils int
	// Reference is "today" for the generated register: it picks the current
	// school year and which groups have already ended. Default 2026-09-14,
	// fixed so that output does not drift with the clock.
	Reference roster.Date
	// Domain of eduPersonPrincipalNames and e-mail. Default "exempelstad.se".
	Domain string
	// MunicipalityName and MunicipalityCode (kommunkod, 4 digits) of the
	// huvudman. Defaults "Exempelstad" and "1299" (fictional).
	MunicipalityName string
	MunicipalityCode string
	// Faults to inject; nil means DefaultFaults, &Faults{} means a clean register.
	Faults *Faults
}

// Faults are the data-quality problems to inject. Rates are per person or
// per teaching group and drawn independently, so the counts vary around
// rate×n; the Report lists exactly what was injected.
type Faults struct {
	// ProtectedRate: persons with SecurityMarking other than Ingen
	// (about 70 % Sekretessmarkering, 30 % Skyddad folkbokföring).
	ProtectedRate float64
	// NoAccountKeyRate: persons with no eduPersonPrincipalName and no e-mail.
	NoAccountKeyRate float64
	// GroupsWithoutTeacher: teaching groups whose only activity lost its
	// teacher (each also yields an activity without teacher).
	GroupsWithoutTeacher int
	// EndedGroupRate: teaching groups left over from last school year, ended
	// before Reference, with their activity and memberships.
	EndedGroupRate float64
	// DuplicateNamePairs: pairs of pupils at one school given the same name.
	DuplicateNamePairs int
}

// DefaultFaults are roughly what a municipal register looks like.
func DefaultFaults() Faults {
	return Faults{
		ProtectedRate:        0.003,
		NoAccountKeyRate:     0.005,
		GroupsWithoutTeacher: 3,
		EndedGroupRate:       0.02,
		DuplicateNamePairs:   2,
	}
}

func (c Config) withDefaults() Config {
	if c.Pupils <= 0 {
		c.Pupils = 300
	}
	if c.Reference.IsZero() {
		c.Reference = roster.MustParseDate("2026-09-14")
	}
	if c.Domain == "" {
		c.Domain = "exempelstad.se"
	}
	if c.MunicipalityName == "" {
		c.MunicipalityName = "Exempelstad"
	}
	if c.MunicipalityCode == "" {
		c.MunicipalityCode = "1299"
	}
	if c.Faults == nil {
		f := DefaultFaults()
		c.Faults = &f
	}
	return c
}

// Report lists the injected faults by entity id (ids are not personal data),
// each list sorted, so tests elsewhere can assert on exactly these records.
type Report struct {
	Protected                []string    // persons with a security marking
	NoAccountKey             []string    // persons without eppn and e-mail
	GroupsWithoutTeacher     []string    // Undervisning groups with no teacher
	ActivitiesWithoutTeacher []string    // their activities
	EndedGroups              []string    // groups with EndDate before Reference
	DuplicateNames           [][2]string // person id pairs, same school, same name
}

// ExpectedFindings is what roster.Validate reports for a generated
// snapshot: only the injected faults, counted by kind.
func (r Report) ExpectedFindings() map[roster.Kind]int {
	m := map[roster.Kind]int{}
	add := func(k roster.Kind, n int) {
		if n > 0 {
			m[k] = n
		}
	}
	add(roster.NoAccountKey, len(r.NoAccountKey))
	add(roster.GroupWithoutTeacher, len(r.GroupsWithoutTeacher))
	add(roster.ActivityWithoutTeacher, len(r.ActivitiesWithoutTeacher))
	return m
}
