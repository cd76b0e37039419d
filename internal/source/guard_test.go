package source

import (
	"errors"
	"testing"

	"github.com/elevsynk/elevsynk/internal/roster"
)

func TestGuard(t *testing.T) {
	good := roster.Counts{Persons: 1000, Groups: 100}
	tests := []struct {
		name       string
		prev       *roster.Counts
		next       roster.Counts
		max        int
		wantReason string // empty: accepted
		wantMsg    string
	}{
		{"first snapshot", nil, good, 20, "", ""},
		{"first snapshot empty", nil, roster.Counts{}, 20, ReasonEmptyRegister,
			"the register returned 0 persons and 0 groups; an empty register is never used"},
		{"people but no groups", &good, roster.Counts{Persons: 1000}, 20, ReasonEmptyRegister,
			"the register returned 1000 persons and 0 groups; an empty register is never used"},
		{"unchanged", &good, good, 20, "", ""},
		{"grew", &good, roster.Counts{Persons: 5000, Groups: 400}, 20, "", ""},
		{"shrank exactly to the limit", &good, roster.Counts{Persons: 800, Groups: 80}, 20, "", ""},
		{"persons shrank past the limit", &good, roster.Counts{Persons: 799, Groups: 100}, 20, ReasonRegisterShrank,
			"persons fell from 1000 to 799 (20% fewer; the limit is 20%)"},
		{"half the groups gone", &good, roster.Counts{Persons: 1000, Groups: 50}, 20, ReasonRegisterShrank,
			"groups fell from 100 to 50 (50% fewer; the limit is 20%)"},
		{"every membership gone", &roster.Counts{Persons: 1000, Groups: 100, Memberships: 3000}, roster.Counts{Persons: 1000, Groups: 100}, 20, ReasonRegisterShrank,
			"group memberships fell from 3000 to 0 (100% fewer; the limit is 20%)"},
		{"teachers gone from activities", &roster.Counts{Persons: 1000, Groups: 100, Activities: 50, Teachers: 60},
			roster.Counts{Persons: 1000, Groups: 100, Activities: 50, Teachers: 10}, 20, ReasonRegisterShrank,
			"activity teachers fell from 60 to 10 (83% fewer; the limit is 20%)"},
		{"a school unit lost", &roster.Counts{Persons: 1000, Groups: 100, SchoolUnits: 4}, roster.Counts{Persons: 1000, Groups: 100, SchoolUnits: 3}, 20, ReasonRegisterShrank,
			"school units fell from 4 to 3 (25% fewer; the limit is 20%)"},
		{"activities and duties within the limit", &roster.Counts{Persons: 1000, Groups: 100, Activities: 100, Duties: 100},
			roster.Counts{Persons: 1000, Groups: 100, Activities: 81, Duties: 80}, 20, "", ""},
		{"counts a status from before never had are not compared", &roster.Counts{Persons: 1000, Groups: 100},
			roster.Counts{Persons: 1000, Groups: 100, Memberships: 5}, 20, "", ""},
		{"limit of 100 allows anything but empty", &good, roster.Counts{Persons: 1, Groups: 1}, 100, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkGuard(t, Guard(tt.prev, tt.next, tt.max), tt.wantReason, tt.wantMsg) })
	}
}

func TestGuardDirectory(t *testing.T) {
	dir := func(entries, without int) *roster.Directory {
		return &roster.Directory{Entries: make([]roster.DirectoryEntry, entries), WithoutJoinValue: without}
	}
	hundred := &roster.Counts{Persons: 100}
	tests := []struct {
		name       string
		prev       *roster.Counts
		d          *roster.Directory
		wantReason string // empty: accepted
		wantMsg    string
	}{
		{"first directory", nil, dir(100, 3), "", ""},
		{"nothing matched the filter", nil, dir(0, 0), ReasonEmptyDirectory,
			"the directory returned no entry under spec.ldap.baseDN that matches spec.ldap.filter; an empty directory is never used"},
		{"no entry has the join attribute", nil, dir(0, 40), ReasonJoinAttributeMissing,
			"40 of the 40 entries read have no value of spec.ldap.joinAttribute (the limit is 25%): check the attribute's name and that the bind user may read it"},
		{"half lack it", hundred, dir(50, 50), ReasonJoinAttributeMissing,
			"50 of the 100 entries read have no value of spec.ldap.joinAttribute (the limit is 25%): check the attribute's name and that the bind user may read it"},
		{"just under a quarter lack it", nil, dir(76, 24), "", ""},
		{"shrank past the limit", hundred, dir(79, 0), ReasonRegisterShrank,
			"directory entries fell from 100 to 79 (21% fewer; the limit is 20%)"},
		{"shrank to the limit", hundred, dir(80, 0), "", ""},
		{"grew", hundred, dir(150, 0), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkGuard(t, GuardDirectory(tt.prev, tt.d, 20), tt.wantReason, tt.wantMsg) })
	}
}

// checkGuard says how err differs from a refusal with reason and message,
// or from an acceptance when reason is empty.
func checkGuard(t *testing.T, err error, reason, msg string) {
	t.Helper()
	if reason == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var ge *GuardError
	if !errors.As(err, &ge) {
		t.Fatalf("got %v, want a GuardError", err)
	}
	if ge.Reason != reason || ge.Message != msg {
		t.Errorf("got %s %q, want %s %q", ge.Reason, ge.Message, reason, msg)
	}
}

func TestGuardGroups(t *testing.T) {
	prev := &roster.Counts{Groups: 4, Memberships: 40}
	tests := []struct {
		name       string
		prev       *roster.Counts
		next       roster.Counts
		wantReason string
		wantMsg    string
	}{
		{"first read", nil, roster.Counts{Groups: 1, Memberships: 3}, "", ""},
		{"no group matched", nil, roster.Counts{}, ReasonEmptyDirectory,
			"no group in the directory matches spec.directoryGroups.ids or displayNamePrefix; an empty source is never used"},
		{"a group emptied", prev, roster.Counts{Groups: 4, Memberships: 30}, ReasonRegisterShrank,
			"group memberships fell from 40 to 30 (25% fewer; the limit is 20%)"},
		{"a group gone", prev, roster.Counts{Groups: 3, Memberships: 40}, ReasonRegisterShrank,
			"groups fell from 4 to 3 (25% fewer; the limit is 20%)"},
		{"a member fewer", prev, roster.Counts{Groups: 4, Memberships: 39}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkGuard(t, GuardGroups(tt.prev, tt.next, 20), tt.wantReason, tt.wantMsg) })
	}
}
