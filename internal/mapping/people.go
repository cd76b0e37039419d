package mapping

import (
	"slices"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// Reasons a person is left out, as Mapping status counts them.
const (
	ReasonSecurityMarking = "SecurityMarking"
	ReasonPersonStatus    = "PersonStatus"
	ReasonListed          = "Listed"
	ReasonNoAccountKey    = "NoAccountKey"
)

// gate decides, per person, whether and under which account key they may
// be placed in a room.
type gate struct {
	accountKey elevsynkv1.AccountKey
	// markings nil: exclude every marking but Ingen/unset.
	markings map[roster.SecurityMarking]bool
	statuses map[roster.PersonStatus]bool
	listed   map[string]bool
}

func newGate(spec elevsynkv1.MappingSpec, opts Options) *gate {
	g := &gate{accountKey: *spec.AccountKey}
	// The Tenant's markings always apply (Compile refuses a Mapping that
	// names fewer); a Mapping can only add to them. An empty Tenant list
	// keeps the default of excluding every marking but Ingen.
	var marks []elevsynkv1.SecurityMarking
	if len(opts.ExcludedSecurityMarkings) > 0 {
		marks = append(slices.Clone(opts.ExcludedSecurityMarkings), spec.Exclusions.SecurityMarkings...)
	}
	if len(marks) > 0 {
		g.markings = make(map[roster.SecurityMarking]bool, len(marks))
		for _, m := range marks {
			g.markings[roster.SecurityMarking(m)] = true
		}
	}
	g.statuses = make(map[roster.PersonStatus]bool, len(spec.Exclusions.PersonStatuses))
	for _, s := range spec.Exclusions.PersonStatuses {
		g.statuses[roster.PersonStatus(s)] = true
	}
	if n := len(spec.Exclusions.AccountKeys); n > 0 {
		g.listed = make(map[string]bool, n)
		for _, k := range spec.Exclusions.AccountKeys {
			g.listed[k] = true
		}
	}
	return g
}

// Exclusion reasons, in precedence order; 0 is "placed".
const (
	placed uint8 = iota
	outSecurityMarking
	outPersonStatus
	outListed
	outNoAccountKey
)

var reasonNames = [...]string{"", ReasonSecurityMarking, ReasonPersonStatus, ReasonListed, ReasonNoAccountKey}

// classify returns p's account key, or the reason p is left out.
func (g *gate) classify(p *roster.Person) (string, uint8) {
	switch {
	case g.markedOut(p.SecurityMarking):
		return "", outSecurityMarking
	case g.statuses[p.PersonStatus]:
		return "", outPersonStatus
	case g.listed != nil && g.isListed(p):
		return "", outListed
	}
	if k := g.pick(p); k != "" {
		return k, placed
	}
	return "", outNoAccountKey
}

func (g *gate) markedOut(m roster.SecurityMarking) bool {
	if g.markings == nil {
		return m != "" && m != roster.SecurityNone
	}
	return g.markings[m]
}

// isListed matches every address of p, not only the chosen account key:
// an administrator who lists a pupil's e-mail means the pupil.
func (g *gate) isListed(p *roster.Person) bool {
	for _, e := range p.EduPersonPrincipalNames {
		if g.listed[e] {
			return true
		}
	}
	for _, e := range p.Emails {
		if g.listed[e.Value] {
			return true
		}
	}
	return false
}

// pick returns the account key attribute the Mapping names.
func (g *gate) pick(p *roster.Person) string {
	switch g.accountKey.Attribute {
	case elevsynkv1.JoinKeyEmail:
		for _, e := range p.Emails {
			if e.Value != "" && (g.accountKey.EmailType == "" || string(e.Type) == g.accountKey.EmailType) {
				return e.Value
			}
		}
	case elevsynkv1.JoinKeyExternalIdentifier:
		for _, x := range p.ExternalIdentifiers {
			if x.Value != "" && x.Context == g.accountKey.Context {
				return x.Value
			}
		}
	default:
		for _, e := range p.EduPersonPrincipalNames {
			if e != "" {
				return e
			}
		}
	}
	return ""
}

// window is the Mapping's membership window applied to one evaluation day.
// A period [start, end] counts on day `on` when on ∈ [start−before,
// end+after], that is when on+before ≥ start and on−after ≤ end; shifting
// the day once instead of every period's dates keeps date arithmetic out of
// the million-membership loop.
type window struct {
	late  roster.Date // on + daysBeforeStart, compared with starts
	early roster.Date // on − daysAfterEnd, compared with ends
}

func newWindow(on roster.Date, w elevsynkv1.MembershipWindow) window {
	return window{late: on.AddDays(int(w.DaysBeforeStart)), early: on.AddDays(-int(w.DaysAfterEnd))}
}

func (w window) active(start, end roster.Date) bool {
	return (start.IsZero() || !w.late.Before(start)) && (end.IsZero() || !w.early.After(end))
}

// counts reports whether enrolment e counts today: not cancelled, and
// within the window.
func (w window) counts(e roster.Enrolment) bool {
	return !e.Cancelled && w.active(e.StartDate, e.EndDate)
}
