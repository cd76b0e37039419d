package mapping

import (
	"fmt"
	"time"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// calendar names school years and terms. The reference date of a room is
// its object's start date when the register gives one, else the evaluation
// day: so a room keeps the year it was made in (a 25/26 class team stays
// 25/26 while it waits to be archived) instead of being renamed every
// rollover.
type calendar struct {
	rolloverMonth time.Month
	rolloverDay   int
	terms         []namedTerm
}

type namedTerm struct {
	name       string
	start, end roster.Date
}

// newCalendar parses the tenant's rollover ("MM-DD", default "07-01") and
// terms; both come from a Tenant the API server validated, but the CLI
// reads files offline, so they are checked again here.
func newCalendar(rollover string, terms []elevsynkv1.Term) (calendar, error) {
	c := calendar{rolloverMonth: time.July, rolloverDay: 1}
	if rollover != "" {
		d, err := roster.ParseDate("2000-" + rollover) // a leap year, so 02-29 parses
		if err != nil || len(rollover) != 5 {
			return c, fmt.Errorf("calendar: rollover %q: want MM-DD, e.g. 07-01", rollover)
		}
		c.rolloverMonth, c.rolloverDay = d.Month(), d.Day()
	}
	for _, t := range terms {
		s, err1 := roster.ParseDate(t.Start)
		e, err2 := roster.ParseDate(t.End)
		if err1 != nil || err2 != nil || s.IsZero() || e.Before(s) {
			return c, fmt.Errorf("calendar: term %q: want start and end as YYYY-MM-DD, end not before start", t.Name)
		}
		c.terms = append(c.terms, namedTerm{t.Name, s, e})
	}
	return c, nil
}

// schoolYear is "25/26" for a day in the school year that began at the
// rollover in 2025.
func (c calendar) schoolYear(d roster.Date) string {
	y := d.Year()
	if d.Month() < c.rolloverMonth || d.Month() == c.rolloverMonth && d.Day() < c.rolloverDay {
		y--
	}
	return twoDigits(y) + "/" + twoDigits(y+1)
}

// term is the tenant's term holding d, else the next one to start within a
// hundred days (a summer day belongs to the coming autumn term), else
// derived: "HT" and the year from July, "VT" and the year before.
func (c calendar) term(d roster.Date) string {
	next := -1
	for i, t := range c.terms {
		if roster.InRange(d, t.start, t.end) {
			return t.name
		}
		if t.start.After(d) && !t.start.After(d.AddDays(100)) && (next < 0 || t.start.Before(c.terms[next].start)) {
			next = i
		}
	}
	if next >= 0 {
		return c.terms[next].name
	}
	if d.Month() >= time.July {
		return "HT" + twoDigits(d.Year())
	}
	return "VT" + twoDigits(d.Year())
}
