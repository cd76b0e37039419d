package oneroster

import (
	"strconv"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// grade maps a OneRoster grade (CEDS entry grade level) to the Swedish
// school form and school year of a pupil of the same age: KG is
// förskoleklass, 01-09 grundskola years 1-9, 10-13 gymnasieskola years 1-4,
// the pre-school levels förskola. "Other", "UG" and "" say nothing.
func grade(code string) (roster.SchoolType, int, bool) {
	switch code {
	case "", "Other", "UG":
		return "", 0, true
	case "IT", "PR", "PK", "PS", "TK":
		return roster.SchoolTypeFS, 0, true
	case "KG":
		return roster.SchoolTypeFKLASS, 0, true
	}
	n, err := strconv.Atoi(code)
	switch {
	case err != nil || code[0] == '+' || code[0] == '-':
		return "", 0, false
	case n >= 1 && n <= 9:
		return roster.SchoolTypeGR, n, true
	case n >= 10 && n <= 13:
		return roster.SchoolTypeGY, n - 9, true
	}
	return "", 0, false
}
