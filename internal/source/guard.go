package source

import (
	"fmt"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// Guard reasons, used as condition reasons on the RegisterSource.
const (
	ReasonEmptyRegister  = "EmptyRegister"
	ReasonRegisterShrank = "RegisterShrank"
)

// GuardError is a fetched snapshot the guard refuses to act on. The last
// good snapshot stays in use until the register recovers or someone
// approves this one by its hash.
type GuardError struct {
	Reason  string
	Message string
}

func (e *GuardError) Error() string { return e.Message }

// Guard decides whether a snapshot with counts next may replace one with
// counts prev (nil when there is no good snapshot yet). A register that
// comes back empty or has lost more than maxShrinkPercent of its people or
// groups, or of any other kind of register object, memberships and teacher
// assignments included, is far more likely a broken export than a real
// change, and acting on it would archive every room of the lost pupils or
// empty the rooms that remain (ARCHITECTURE §5). Kinds are checked in a
// fixed order and the first over the limit is named. Students and staff are
// not compared: they count enrolments and duties active on the day, which
// fall by design when a school year ends.
func Guard(prev *roster.Counts, next roster.Counts, maxShrinkPercent int) error {
	if next.Persons == 0 || next.Groups == 0 {
		return &GuardError{ReasonEmptyRegister, fmt.Sprintf(
			"the register returned %d persons and %d groups; an empty register is never used", next.Persons, next.Groups)}
	}
	if prev == nil {
		return nil
	}
	return shrank(maxShrinkPercent,
		count{"persons", prev.Persons, next.Persons},
		count{"groups", prev.Groups, next.Groups},
		count{"group memberships", prev.Memberships, next.Memberships},
		count{"activities", prev.Activities, next.Activities},
		count{"activity teachers", prev.Teachers, next.Teachers},
		count{"duties", prev.Duties, next.Duties},
		count{"school units", prev.SchoolUnits, next.SchoolUnits},
		count{"organisations", prev.Organisations, next.Organisations},
		count{"syllabuses", prev.Syllabuses, next.Syllabuses},
	)
}

// count is one kind of object, before and after.
type count struct {
	what       string
	prev, next int
}

// shrank refuses the first count that fell by more than maxShrinkPercent;
// a kind the previous snapshot did not have is not compared.
func shrank(maxShrinkPercent int, counts ...count) error {
	for _, c := range counts {
		if c.prev == 0 || c.next >= c.prev {
			continue
		}
		// Integer arithmetic, so 20 % of 5 people is exactly one person.
		if lost := c.prev - c.next; lost*100 > c.prev*maxShrinkPercent {
			return &GuardError{ReasonRegisterShrank, fmt.Sprintf(
				"%s fell from %d to %d (%d%% fewer; the limit is %d%%)", c.what, c.prev, c.next, lost*100/c.prev, maxShrinkPercent)}
		}
	}
	return nil
}

// Directory guard reasons.
const (
	ReasonEmptyDirectory       = "EmptyDirectory"
	ReasonJoinAttributeMissing = "JoinAttributeMissing"
)

// maxWithoutJoinPercent: a directory where this share of the entries or
// more lack the join attribute is refused. A few service accounts without
// one are normal; a quarter or more is a wrong joinAttribute, or an
// attribute the bind user may not read (Active Directory hides what an
// account lacks rights to, without an error), and joining it would drop
// the attributes of that share of the people.
const maxWithoutJoinPercent = 25

// GuardDirectory decides whether a fetched directory may replace one
// with prev.Persons entries (nil when there is no good one yet), as Guard does
// for registers: an empty directory, one whose entries mostly lack the
// join attribute, or one that shrank past maxShrinkPercent is refused.
func GuardDirectory(prev *roster.Counts, d *roster.Directory, maxShrinkPercent int) error {
	n, without := len(d.Entries), d.WithoutJoinValue
	switch {
	case n+without == 0:
		return &GuardError{ReasonEmptyDirectory,
			"the directory returned no entry under spec.ldap.baseDN that matches spec.ldap.filter; an empty directory is never used"}
	case without*100 >= (n+without)*maxWithoutJoinPercent:
		return &GuardError{ReasonJoinAttributeMissing, fmt.Sprintf(
			"%d of the %d entries read have no value of spec.ldap.joinAttribute (the limit is %d%%): check the attribute's name and that the bind user may read it",
			without, n+without, maxWithoutJoinPercent)}
	}
	if prev == nil {
		return nil
	}
	return shrank(maxShrinkPercent, count{"directory entries", prev.Persons, n})
}

// GuardGroups decides whether groups read from a Target's directory, with
// counts next, may replace those with counts prev (nil when there are
// none yet): no group at all, or fewer groups or memberships past
// maxShrinkPercent (an emptied "IT-ansvariga" group would take its owners
// out of every room it feeds), is refused.
func GuardGroups(prev *roster.Counts, next roster.Counts, maxShrinkPercent int) error {
	if next.Groups == 0 {
		return &GuardError{ReasonEmptyDirectory,
			"no group in the directory matches spec.directoryGroups.ids or displayNamePrefix; an empty source is never used"}
	}
	if prev == nil {
		return nil
	}
	return shrank(maxShrinkPercent, count{"groups", prev.Groups, next.Groups}, count{"group memberships", prev.Memberships, next.Memberships})
}
