package rostergen

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// injectFaults damages the clean municipality the way real registers are
// damaged, drawing from its own stream, and records every change in the
// Report. It runs before accounts so that renamed pupils get account keys
// matching their new names.
func (b *builder) injectFaults() {
	fc := b.cfg.Faults
	for i := range b.s.Persons {
		p := &b.s.Persons[i]
		if b.f.Float64() < fc.ProtectedRate {
			p.SecurityMarking = roster.SecuritySekretessmarkering
			if b.f.Float64() < 0.3 {
				p.SecurityMarking = roster.SecuritySkyddadFolkbokforing
			}
			b.rep.Protected = append(b.rep.Protected, p.ID)
		}
		if b.f.Float64() < fc.NoAccountKeyRate {
			b.noKey[i] = true
			b.rep.NoAccountKey = append(b.rep.NoAccountKey, p.ID)
		}
	}
	b.duplicateNames(fc.DuplicateNamePairs)

	// Ended groups first, then teacherless ones among the rest, so that each
	// injected group has exactly one fault.
	current := make([]teachingGroup, 0, len(b.teaching))
	for _, t := range b.teaching {
		if b.f.Float64() < fc.EndedGroupRate {
			b.endLastYear(t)
		} else {
			current = append(current, t)
		}
	}
	for i := range min(fc.GroupsWithoutTeacher, len(current)) {
		j := i + b.f.IntN(len(current)-i) // partial Fisher-Yates: distinct picks
		current[i], current[j] = current[j], current[i]
		a := &b.s.Activities[current[i].activity]
		a.Teachers = nil
		b.rep.GroupsWithoutTeacher = append(b.rep.GroupsWithoutTeacher, b.s.Groups[current[i].group].ID)
		b.rep.ActivitiesWithoutTeacher = append(b.rep.ActivitiesWithoutTeacher, a.ID)
	}
}

// endLastYear turns a teaching group into last school year's group, which
// registers keep long after it ended.
func (b *builder) endLastYear(t teachingGroup) {
	start, end := htStart(b.cal.year-1), vtEnd(b.cal.year)
	g, a := &b.s.Groups[t.group], &b.s.Activities[t.activity]
	g.StartDate, g.EndDate = start, end
	a.StartDate, a.EndDate = start, end
	for i := range g.Memberships {
		g.Memberships[i].StartDate, g.Memberships[i].EndDate = start, end
	}
	b.rep.EndedGroups = append(b.rep.EndedGroups, g.ID)
}

// duplicateNames gives n pairs of pupils at one school the same name, the
// case that breaks display-name matching and "pick the pupil by name" UIs.
func (b *builder) duplicateNames(n int) {
	used := make(map[int]bool, 2*n)
	for range n {
		s := b.f.IntN(len(b.pupilRange))
		lo, hi := b.pupilRange[s][0], b.pupilRange[s][1]
		if hi-lo < 2 {
			continue
		}
		x, y := lo+b.f.IntN(hi-lo), lo+b.f.IntN(hi-lo)
		if x == y || used[x] || used[y] {
			continue // rare; a pair fewer is still a valid report
		}
		used[x], used[y] = true, true
		px, py := &b.s.Persons[x], &b.s.Persons[y]
		py.GivenName, py.FamilyName = px.GivenName, px.FamilyName
		b.rep.DuplicateNames = append(b.rep.DuplicateNames, [2]string{px.ID, py.ID})
	}
}

// accounts gives everyone but the NoAccountKey persons an
// eduPersonPrincipalName first.last<n>@domain (n counts persons sharing the
// folded name, so keys are unique) and the same address as school e-mail.
func (b *builder) accounts() {
	seen := make(map[string]int, len(b.s.Persons))
	for i := range b.s.Persons {
		if b.noKey[i] {
			continue
		}
		p := &b.s.Persons[i]
		base := accountFold(p.GivenName) + "." + accountFold(p.FamilyName)
		seen[base]++
		key := base + strconv.Itoa(seen[base]) + "@" + b.cfg.Domain
		p.EduPersonPrincipalNames = []string{key}
		typ := roster.EmailSkolaElev
		if b.staff[i] {
			typ = roster.EmailSkolaPersonal
		}
		p.Emails = []roster.Email{{Value: key, Type: typ}}
	}
}

func (r *Report) sort() {
	for _, ids := range [][]string{r.Protected, r.NoAccountKey, r.GroupsWithoutTeacher, r.ActivitiesWithoutTeacher, r.EndedGroups} {
		slices.Sort(ids)
	}
	slices.SortFunc(r.DuplicateNames, func(a, b [2]string) int { return cmp.Compare(a[0], b[0]) })
}
