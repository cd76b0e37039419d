package rostergen

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The directory has exactly the faults its report lists, and the same
// input gives the same directory.
func TestDirectoryFaults(t *testing.T) {
	snap, _ := Generate(Config{Seed: 3, Pupils: 3000})
	accounts, rep := Directory(snap, DirectoryConfig{Seed: 3})
	again, rep2 := Directory(snap, DirectoryConfig{Seed: 3})
	if diff := cmp.Diff(accounts, again); diff != "" || !cmp.Equal(rep, rep2) {
		t.Fatalf("the same seed gave another directory:\n%s", diff)
	}
	f := DefaultDirectoryFaults()
	if len(rep.Missing) != f.Missing || len(rep.Duplicated) != f.Duplicated || len(rep.OtherCase) != f.OtherCase ||
		rep.Extra != f.Extra || rep.WithoutEmployeeID != f.WithoutEmployeeID {
		t.Fatalf("report %+v does not hold the configured faults %+v", rep, f)
	}
	byCivic := map[string][]Account{}
	without := 0
	for _, a := range accounts {
		if a.EmployeeID == "" {
			without++
			continue
		}
		byCivic[a.EmployeeID] = append(byCivic[a.EmployeeID], a)
	}
	missing, dup, other := idSet(rep.Missing), idSet(rep.Duplicated), idSet(rep.OtherCase)
	people := map[string]bool{}
	for _, p := range snap.Persons {
		c := p.CivicNo.Reveal()
		people[c] = true
		got := byCivic[c]
		switch {
		case missing[p.ID]:
			if len(got) != 0 {
				t.Errorf("a missing person has %d accounts", len(got))
			}
		case dup[p.ID]:
			if len(got) != 2 || got[0].UserPrincipalName == got[1].UserPrincipalName {
				t.Errorf("a duplicated person has %d accounts, principal names unique: %v", len(got), len(got) == 2 && got[0].UserPrincipalName != got[1].UserPrincipalName)
			}
		case len(got) != 1:
			t.Errorf("a person has %d accounts", len(got))
		case other[p.ID] && len(p.EduPersonPrincipalNames) > 0:
			if got[0].Mail == strings.ToLower(got[0].Mail) || !strings.EqualFold(got[0].UserPrincipalName, p.EduPersonPrincipalNames[0]) {
				t.Errorf("an other-case account is not its person's address in other case")
			}
		case len(p.EduPersonPrincipalNames) > 0 && got[0].UserPrincipalName != p.EduPersonPrincipalNames[0]:
			t.Errorf("an account's principal name is not the register's")
		}
	}
	extra := 0
	for c := range byCivic {
		if !people[c] {
			extra++
		}
	}
	if extra != f.Extra || without != f.WithoutEmployeeID {
		t.Errorf("%d accounts of nobody, %d without employeeID; want %d and %d", extra, without, f.Extra, f.WithoutEmployeeID)
	}
	logins := map[string]bool{}
	for _, a := range accounts {
		if logins[a.SAMAccountName] {
			t.Errorf("login %q used twice", a.SAMAccountName)
		}
		logins[a.SAMAccountName] = true
		if len(a.SAMAccountName) > 20 || !strings.HasSuffix(strings.ToLower(a.Mail), "@skola.exempelstad.se") {
			t.Errorf("account %q: login longer than AD's 20 or address outside the directory's domain", a.SAMAccountName)
		}
	}
}
