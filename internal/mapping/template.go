package mapping

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// The template functions, beside text/template's built-ins:
//
//	abbrev x        the school abbreviation: of a School (.School) its
//	                Abbreviation; of a string, Abbreviate(string)
//	schoolYear      "25/26": the school year of the room's reference date
//	term            "HT25" or "VT26" (or the Tenant's term name)
//	truncate n s    the first n characters of s
//	lower s, upper s
//	slug s          s as a mail nickname (see Slug)
//
// The room's reference date is its object's start date, else the
// evaluation day (see calendar).
func funcMap(cal calendar, ref *roster.Date) template.FuncMap {
	return template.FuncMap{
		"abbrev":     abbrev,
		"schoolYear": func() string { return cal.schoolYear(*ref) },
		"term":       func() string { return cal.term(*ref) },
		"truncate":   truncate,
		"lower":      strings.ToLower,
		"upper":      strings.ToUpper,
		"slug":       Slug,
	}
}

var errAbbrevArg = errors.New("abbrev: want a school (.School) or a text")

func abbrev(x any) (string, error) {
	switch v := x.(type) {
	case *School:
		if v == nil {
			return "", errAbbrevArg
		}
		return v.Abbreviation, nil
	case string:
		return Abbreviate(v), nil
	}
	return "", errAbbrevArg
}

// roomTemplates are the parsed templates of one rule; a nil entry is a
// field the rule leaves empty.
type roomTemplates struct {
	name, description, mailNickname *template.Template
}

// Field names as Problem.Field and text/template's name both show them.
const (
	fieldName         = "room.name"
	fieldDescription  = "room.description"
	fieldMailNickname = "room.mailNickname"
)

func parseTemplate(field, src string, funcs template.FuncMap) (*template.Template, error) {
	if src == "" {
		return nil, nil
	}
	// missingkey=error matters for map values (none today, but a future
	// field of map type must not render "<no value>" into a room name);
	// unknown struct fields are errors anyway.
	return template.New(field).Option("missingkey=error").Funcs(funcs).Parse(src)
}

// render executes t into buf and returns the text; buf is reused across
// objects so that a municipality's rooms do not each grow a new buffer.
func render(t *template.Template, data *Data, buf *bytes.Buffer) (string, error) {
	if t == nil {
		return "", nil
	}
	buf.Reset()
	if err := t.Execute(buf, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(buf.String()), nil
}

// Template errors come as
//
//	template: room.name:1: function "foo" not defined
//	template: room.name:1:12: executing "room.name" at <.Activity.Foo>: can't evaluate field Foo in type *mapping.Activity
//
// templateProblem turns either into a Problem with a line and a column.
// Parse errors carry only a line; the column is where the quoted token of
// the message first occurs in that line, else the first action on it.
var (
	execErrRE  = regexp.MustCompile(`^template: [^:]*:(\d+):(\d+): executing "[^"]*" at <([^>]*)>: (.*)$`)
	parseErrRE = regexp.MustCompile(`^template: [^:]*:(\d+): (.*)$`)
	quotedRE   = regexp.MustCompile(`"([^"]+)"|<([^>]+)>`)
)

func templateProblem(rule, field, src string, err error) Problem {
	msg := err.Error()
	p := Problem{Rule: rule, Field: field, Message: msg}
	if m := execErrRE.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		p.Column = col + 1
		p.Message = "at " + m[3] + ": " + friendlyTypes(m[4])
		return p
	}
	if m := parseErrRE.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Message = m[2]
		p.Column = parseColumn(src, p.Line, m[2])
		return p
	}
	return p
}

// runtimeTemplateProblem is templateProblem for a template that failed while
// rendering one register object. The cause (a function's error, an index
// out of range) can quote the object's values, which are personal data, so
// only the place and the action are kept.
func runtimeTemplateProblem(rule, field string, err error) Problem {
	p := Problem{Rule: rule, Field: field, Message: "the template failed on this register object (the cause is not shown: it can quote register data)"}
	if m := execErrRE.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		p.Column = col + 1
		p.Message = "at <" + m[3] + ">: " + p.Message
	}
	return p
}

func parseColumn(src string, line int, msg string) int {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return 1
	}
	text := lines[line-1]
	if m := quotedRE.FindStringSubmatch(msg); m != nil {
		tok := m[1] + m[2]
		from := max(0, strings.Index(text, "{{"))
		if i := strings.Index(text[from:], tok); i >= 0 {
			return len([]rune(text[:from+i])) + 1
		}
	}
	if i := strings.Index(text, "{{"); i >= 0 {
		return len([]rune(text[:i])) + 1
	}
	return 1
}

// friendlyTypes says "Activity" where Go would say "*mapping.Activity".
func friendlyTypes(msg string) string {
	return strings.NewReplacer("*mapping.", "", "mapping.", "").Replace(msg)
}
