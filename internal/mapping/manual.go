package mapping

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// manualGroup makes a Group rule's room for a manual group. Such a group
// says itself who owns it and who is in it, so the rule's selectors do not
// apply; its filter, templates and extra owners do. Listed account keys that
// belong to a register person go through the same exclusions as everyone
// (a protected pupil stays out however they were listed); others (external
// staff, say) only through the listed-account-key exclusion.
func (e *evaluator) manualGroup(r *compiledRule, ts roomTemplates, errs *EvaluationError, g *ManualGroup) {
	var school *School
	var unitID string
	if g.SchoolUnitCode != "" {
		for id, s := range e.schools {
			if s.SchoolUnitCode == g.SchoolUnitCode && (unitID == "" || id < unitID) {
				school, unitID = s, id
			}
		}
	}
	d := &Data{Group: &Group{ID: g.ID, DisplayName: g.DisplayName, SchoolUnitCode: g.SchoolUnitCode,
		SchoolTypes: []string{}, Manual: true, Source: g.Source}, School: school}
	if unitID != "" {
		d.Organisation = e.roots[unitID]
	}
	id := "manual:" + g.Source + ":" + g.ID
	e.act.val = d.Group
	ok, err := r.filter.match(&e.act)
	if err != nil {
		errs.add(EvalError{Rule: r.name, Field: "filter", Object: id, Message: filterFailure(err)})
		return
	}
	if !ok {
		return
	}
	room, ok := e.render(r, ts, errs, d, id, id, roster.Date{}, roster.Date{})
	if !ok {
		return
	}
	e.owners, e.members = e.manualKeys(e.owners[:0], g.Owners), e.manualKeys(e.members[:0], g.Members)
	e.finish(r, room)
}

func (e *evaluator) manualKeys(dst []int32, keys []string) []int32 {
	if e.byKey == nil {
		e.byKey = make(map[string]string, len(e.snap.Persons))
		for i := range e.snap.Persons {
			p := &e.snap.Persons[i]
			for _, k := range p.EduPersonPrincipalNames {
				e.byKey[strings.ToLower(k)] = p.ID
			}
			for _, m := range p.Emails {
				e.byKey[strings.ToLower(m.Value)] = p.ID
			}
		}
	}
	for _, k := range keys {
		if id, ok := e.byKey[strings.ToLower(k)]; ok {
			dst = e.appendPerson(dst, id)
		} else if k != "" && !e.gate.listed[k] {
			dst = append(dst, e.people.extra[k])
		}
	}
	return dst
}

// nicknameFromKey derives a mail nickname from a room key: the key as a
// slug, or, when that is longer than 64, its first 55 characters and 8 hex
// digits of the key's SHA-256, so that long keys stay distinct.
func nicknameFromKey(key string) string {
	s := slugN(key, len(key))
	if len(s) <= maxNickname {
		return s
	}
	sum := sha256.Sum256([]byte(key))
	return strings.TrimRight(s[:55], "-._") + "-" + hex.EncodeToString(sum[:4])
}
