package mapping

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/google/cel-go/cel"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// Program is a compiled Mapping. It holds no per-evaluation state, so one
// Program may serve concurrent Evaluate calls.
type Program struct {
	spec  elevsynkv1.MappingSpec // defaulted
	opts  Options
	cal   calendar
	rules []compiledRule
}

type compiledRule struct {
	name    string
	from    elevsynkv1.RegisterObject
	varName string
	kind    elevsynkv1.RoomKind
	filter  *filter
	// Template sources; Evaluate parses them again with functions bound to
	// its own reference date (parsing costs microseconds, and it keeps a
	// Program free of mutable state).
	nameTmpl, descTmpl, nickTmpl string
	teamTemplate                 string
	owners, members              []selector
	extraOwners                  []string
}

// Compile checks spec and compiles its filters and templates. All problems
// are collected, so that one run of `elevsynk validate` shows them all; the
// error is then a *CompileError.
func Compile(spec elevsynkv1.MappingSpec, opts Options) (*Program, error) {
	spec = defaulted(spec)
	var ps []Problem
	cal, err := newCalendar(opts.Rollover, opts.Terms)
	if err != nil {
		ps = append(ps, Problem{Field: "tenant.calendar", Message: err.Error()})
	}
	ps = append(ps, checkSpec(spec)...)
	ps = append(ps, checkMarkings(spec.Exclusions.SecurityMarkings, opts.ExcludedSecurityMarkings)...)
	envs, err := celEnvs()
	if err != nil {
		return nil, err // a bug in this package, not in the spec
	}
	p := &Program{spec: spec, opts: opts, cal: cal}
	seen := map[string]bool{}
	for i, r := range spec.Rules {
		if r.Name == "" {
			ps = append(ps, Problem{Field: fmt.Sprintf("rules[%d].name", i), Message: "every rule needs a name"})
		} else if seen[r.Name] {
			ps = append(ps, Problem{Rule: r.Name, Field: "name", Message: "another rule has this name; names must be unique"})
		}
		seen[r.Name] = true
		cr, rps := compileRule(r, envs, cal)
		ps = append(ps, rps...)
		p.rules = append(p.rules, cr)
	}
	if len(spec.Rules) == 0 {
		ps = append(ps, Problem{Field: "rules", Message: "a mapping needs at least one rule"})
	}
	if len(ps) > 0 {
		return nil, &CompileError{Problems: ps}
	}
	return p, nil
}

// checkMarkings refuses a Mapping that would let in people its Tenant
// keeps out: a Mapping may exclude more security markings, never fewer.
// tenant empty means every marking but Ingen.
func checkMarkings(own, tenant []elevsynkv1.SecurityMarking) []Problem {
	if len(own) == 0 {
		return nil // the Tenant's apply
	}
	if len(tenant) == 0 {
		tenant = []elevsynkv1.SecurityMarking{elevsynkv1.SecurityMarkingConfidential, elevsynkv1.SecurityMarkingProtected}
	}
	var ps []Problem
	for _, m := range tenant {
		if m != elevsynkv1.SecurityMarkingNone && !slices.Contains(own, m) {
			ps = append(ps, Problem{Field: "exclusions.securityMarkings", Message: fmt.Sprintf(
				"the Tenant excludes people marked %q (spec.privacy.excludedSecurityMarkings); a Mapping may exclude more markings, never fewer: add %q or remove the list",
				m, m)})
		}
	}
	return ps
}

func checkSpec(spec elevsynkv1.MappingSpec) []Problem {
	var ps []Problem
	switch ak := spec.AccountKey; ak.Attribute {
	case elevsynkv1.JoinKeyEduPersonPrincipalName, elevsynkv1.JoinKeyEmail:
	case elevsynkv1.JoinKeyExternalIdentifier:
		if ak.Context == "" {
			ps = append(ps, Problem{Field: "accountKey.context", Message: "attribute ExternalIdentifier needs the identifier's context"})
		}
	default:
		ps = append(ps, Problem{Field: "accountKey.attribute", Message: fmt.Sprintf("%q is not EduPersonPrincipalName, Email or ExternalIdentifier", ak.Attribute)})
	}
	if _, ok := joinValues[spec.JoinKey]; !ok {
		ps = append(ps, Problem{Field: "joinKey", Message: fmt.Sprintf("%q is not PersonID, CivicNo, EduPersonPrincipalName, Email or ExternalIdentifier", spec.JoinKey)})
	}
	for _, s := range spec.Exclusions.PersonStatuses {
		if !slices.Contains([]string{"Aktiv", "Utvandrad", "Avliden"}, s) {
			ps = append(ps, Problem{Field: "exclusions.personStatuses", Message: fmt.Sprintf("%q is not Aktiv, Utvandrad or Avliden", s)})
		}
	}
	w := spec.MembershipWindow
	if w.DaysBeforeStart < 0 || w.DaysBeforeStart > 90 || w.DaysAfterEnd < 0 || w.DaysAfterEnd > 90 {
		ps = append(ps, Problem{Field: "membershipWindow", Message: "days before start and after end must be 0 to 90"})
	}
	return ps
}

func compileRule(r elevsynkv1.Rule, envs map[elevsynkv1.RegisterObject]*cel.Env, cal calendar) (compiledRule, []Problem) {
	cr := compiledRule{name: r.Name, from: r.From, kind: r.Room.Kind, nameTmpl: r.Room.Name,
		descTmpl: r.Room.Description, nickTmpl: r.Room.MailNickname, teamTemplate: r.Room.TeamTemplate, extraOwners: r.ExtraOwners}
	problem := func(field, msg string) Problem { return Problem{Rule: r.Name, Field: field, Message: msg} }
	var ps []Problem
	env, ok := envs[r.From]
	if !ok {
		return cr, append(ps, problem("from", fmt.Sprintf("%q is not Activity, Group, School or Organisation", r.From)))
	}
	cr.varName = filterVars[r.From].name
	switch r.Room.Kind {
	case elevsynkv1.RoomClassTeam, elevsynkv1.RoomCourse:
		if r.From != elevsynkv1.RegisterActivity && r.From != elevsynkv1.RegisterGroup {
			ps = append(ps, problem("room.kind", fmt.Sprintf("%s rooms are made from an Activity or a Group; use Team, SecurityGroup, MailGroup or GoogleGroup for a %s", r.Room.Kind, r.From)))
		}
	case elevsynkv1.RoomTeam, elevsynkv1.RoomSecurityGroup, elevsynkv1.RoomMailGroup, elevsynkv1.RoomGoogleGroup:
	default:
		ps = append(ps, problem("room.kind", fmt.Sprintf("%q is not ClassTeam, Team, SecurityGroup, MailGroup, Course or GoogleGroup", r.Room.Kind)))
	}
	if r.Filter != "" {
		f, fps := compileFilter(env, r.Name, r.Filter)
		cr.filter = f
		ps = append(ps, fps...)
	}
	if r.Room.Name == "" {
		ps = append(ps, problem(fieldName, "a room needs a name template"))
	}
	if r.Room.MailNickname != "" && !desired.NeedsMailNickname(r.Room.Kind) {
		ps = append(ps, problem(fieldMailNickname, fmt.Sprintf("%s rooms have no mail nickname; remove it", r.Room.Kind)))
	}
	ps = append(ps, checkTemplates(r, cal)...)
	var sps []Problem
	cr.owners, sps = compileSelectors(r.Name, "owners", r.From, r.Owners)
	ps = append(ps, sps...)
	cr.members, sps = compileSelectors(r.Name, "members", r.From, r.Members)
	ps = append(ps, sps...)
	return cr, ps
}

// checkTemplates parses each template and runs it once on sample data of
// the rule's from, so that `.Activity.Foo`, or `.Group` in an Activity
// rule, fails at Compile rather than on the first real object.
func checkTemplates(r elevsynkv1.Rule, cal calendar) []Problem {
	ref := roster.MustParseDate("2026-08-17")
	funcs := funcMap(cal, &ref)
	data := sampleData(r.From)
	var ps []Problem
	var buf bytes.Buffer
	for _, f := range []struct{ field, src string }{
		{fieldName, r.Room.Name}, {fieldDescription, r.Room.Description}, {fieldMailNickname, r.Room.MailNickname},
	} {
		t, err := parseTemplate(f.field, f.src, funcs)
		if err == nil && t != nil {
			_, err = render(t, data, &buf)
		}
		if err != nil {
			ps = append(ps, templateProblem(r.Name, f.field, f.src, err))
		}
	}
	return ps
}

// sampleData has every field a rule of from can read set to something, so
// that only a wrong template can fail on it.
func sampleData(from elevsynkv1.RegisterObject) *Data {
	org := &Organisation{ID: "o", DisplayName: "Exempelstads kommun", Type: "Huvudman", OrganisationCode: "HM",
		OrganisationNumber: "2120000000", MunicipalityCode: "1299"}
	school := &School{ID: "s", DisplayName: "Björkskolan", SchoolUnitCode: "12345678", Abbreviation: "BJO",
		OrganisationCode: "SK001", MunicipalityCode: "1299", SchoolTypes: []string{"GR"}}
	d := &Data{Rule: "r", Key: "r:x", SchoolYear: "26/27", Term: "HT26", Organisation: org}
	switch from {
	case elevsynkv1.RegisterActivity:
		d.School = school
		d.Activity = &Activity{ID: "a", DisplayName: "7A Matematik", Type: "Undervisning", SchoolUnitCode: "12345678",
			SchoolType: "GR", SubjectCode: "GRGRMAT01", SubjectName: "Matematik", SubjectDesignation: "MA",
			CourseCode: "MATMAT01c", CourseName: "Matematik 1c", GroupNames: []string{"7A"},
			StartDate: "2026-08-17", EndDate: "2027-06-11"}
	case elevsynkv1.RegisterGroup:
		d.School = school
		d.Group = &Group{ID: "g", DisplayName: "7A", Type: "Klass", SchoolType: "GR", SchoolTypes: []string{"GR"},
			SchoolUnitCode: "12345678", StartDate: "2026-08-17", EndDate: "2027-06-11"}
	case elevsynkv1.RegisterSchool:
		d.School = school
	}
	return d
}
