package rostergen

import (
	"time"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// calendar holds the term dates of the school year that contains Reference.
// Swedish school years run HT (autumn term, from mid-August) and VT (spring
// term, from early January to mid-June).
type calendar struct {
	year    int // calendar year in which the current school year started
	htStart roster.Date
	htEnd   roster.Date
	vtStart roster.Date
	vtEnd   roster.Date
}

func newCalendar(ref roster.Date) calendar {
	y := ref.Year()
	if ref.Month() < time.July {
		y-- // spring term: the school year started last August
	}
	return calendar{
		year:    y,
		htStart: htStart(y),
		htEnd:   weekdayOnOrBefore(roster.NewDate(y, time.December, 20), time.Friday),
		vtStart: weekdayOnOrAfter(roster.NewDate(y+1, time.January, 7), time.Monday),
		vtEnd:   vtEnd(y + 1),
	}
}

// htStart is the first Monday on or after 15 August of year y.
func htStart(y int) roster.Date {
	return weekdayOnOrAfter(roster.NewDate(y, time.August, 15), time.Monday)
}

// vtEnd is the last Friday on or before 14 June of year y.
func vtEnd(y int) roster.Date {
	return weekdayOnOrBefore(roster.NewDate(y, time.June, 14), time.Friday)
}

func weekdayOnOrAfter(d roster.Date, w time.Weekday) roster.Date {
	return d.AddDays((int(w) - int(d.Time().Weekday()) + 7) % 7)
}

func weekdayOnOrBefore(d roster.Date, w time.Weekday) roster.Date {
	return d.AddDays(-((int(d.Time().Weekday()) - int(w) + 7) % 7))
}
