package export

import (
	"strconv"
	"strings"
)

// Error is a problem at one place in an export: the file, the line (or the
// XML element path) and the field. It never holds a value from the file,
// which may be a civic number or a name.
type Error struct {
	File    string // e.g. users.csv
	Line    int    // 1-based; 0 when not known
	Element string // XML element path, e.g. enterprise/person[12]/name/n/family
	Field   string // e.g. email, or a column header
	Msg     string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(" line ")
		b.WriteString(strconv.Itoa(e.Line))
	}
	if e.Element != "" {
		b.WriteString(" at ")
		b.WriteString(e.Element)
	}
	if e.Field != "" {
		b.WriteString(" field ")
		b.WriteString(strconv.Quote(e.Field))
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}
