package sds

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// The file set's rules, from
// https://learn.microsoft.com/en-us/schooldatasync/sds-v2.1-csv-file-format:
// orgs, users and roles are required, classes and enrollments come
// together, headers are case-sensitive, required headers must be there
// ("or they will not be accepted"), files are UTF-8 and RFC 4180 with no
// line breaks in values. Enumerations are the default list of values
// (https://learn.microsoft.com/en-us/schooldatasync/default-list-of-values),
// matched without regard to case (the SDS data handling rules).

// column is one documented column of a file.
type column struct {
	name     string
	required bool
}

func cols(required []string, optional ...string) []column {
	var out []column
	for _, c := range required {
		out = append(out, column{c, true})
	}
	for _, c := range optional {
		out = append(out, column{c, false})
	}
	return out
}

// schema is the documented columns of each SDS v2.1 file this sandbox
// checks; demographics, userFlags and relationships are taken unchecked.
var schema = map[string][]column{
	"orgs.csv":             cols([]string{"sourcedId", "name", "type"}, "parentSourcedId"),
	"users.csv":            cols([]string{"sourcedId", "username"}, "givenName", "familyName", "password", "activeDirectoryMatchId", "email", "phone", "sms"),
	"roles.csv":            cols([]string{"userSourcedId", "orgSourcedId", "role"}, "sessionSourcedId", "grade", "isPrimary", "roleStartDate", "roleEndDate"),
	"classes.csv":          cols([]string{"sourcedId", "orgSourcedId", "title"}, "sessionSourcedIds", "courseSourcedId", "code"),
	"enrollments.csv":      cols([]string{"classSourcedId", "userSourcedId", "role"}),
	"academicSessions.csv": cols([]string{"sourcedId", "title", "type", "schoolYear", "startDate", "endDate"}),
	"courses.csv":          cols([]string{"sourcedId", "orgSourcedId", "title"}, "code", "schoolYearSourcedId", "subject", "grade"),
}

var orgTypes = set("school", "ministryOfEducation", "localAuthority", "department", "university", "region", "district",
	"college", "division", "local", "campus", "province", "state", "adultEducation", "researchCenter", "national",
	"municipality", "program", "departmentOfEducation", "academicTrust")

var roles = set("principal", "chair", "professor", "researcher", "adjunct", "affiliate", "occupationalTherapist",
	"physicalTherapist", "speechTherapist", "visionTherapist", "paraprofessional", "specialServices", "advisor", "proctor",
	"nurse", "officeStaff", "lecturer", "itAdmin", "administrator", "teacher", "faculty", "staff", "teacherAssistant",
	"aide", "instructor", "substitute", "coach", "alumni", "student", "other")

func set(vals ...string) map[string]bool {
	m := make(map[string]bool, len(vals))
	for _, v := range vals {
		m[strings.ToLower(v)] = true
	}
	return m
}

// Finding is one problem, by file, data row (1 is the first after the
// header; 0 the file itself) and code.
type Finding struct {
	File string
	Row  int
	Code string
}

// The codes of findings. Blocking ones fail the run.
const (
	CodeMissingFile   = "MissingRequiredFile"
	CodeBadHeader     = "InvalidHeader"
	CodeBadCSV        = "InvalidCsv"
	CodeBadValue      = "InvalidEnumValue"
	CodeMissingValue  = "MissingRequiredValue"
	CodeDangling      = "InvalidReference"
	CodeDuplicate     = "DuplicateSourcedId"
	CodeUnknownColumn = "UnknownColumn"
)

// Report is what validation found and took in.
type Report struct {
	// Blocking is the code of a problem with the set as a whole (a missing
	// file, a bad header, a file that is not CSV); the run fails.
	Blocking string
	// Errors are records refused; the run completes with errors.
	Errors []Finding
	// Counts of records taken in.
	Orgs, Users, Classes, Enrollments int
	// UsersByRole counts users by their roles.csv role group.
	Students, Staff int
	// Usernames of the users taken in, for matching.
	Usernames []string
}

// table is a parsed file: its header index and rows.
type table struct {
	index map[string]int
	rows  [][]string
}

func (t *table) get(row []string, col string) string {
	if i, ok := t.index[col]; ok && i < len(row) {
		return row[i]
	}
	return ""
}

// Validate checks a file set as SDS's validation does and counts what it
// would take in. Files not in the schema are ignored.
func Validate(files map[string][]byte) Report {
	var r Report
	for _, f := range []string{"orgs.csv", "users.csv", "roles.csv"} {
		if _, ok := files[f]; !ok {
			r.Blocking = CodeMissingFile
			r.Errors = append(r.Errors, Finding{File: f, Code: CodeMissingFile})
		}
	}
	_, hasClasses := files["classes.csv"]
	_, hasEnrollments := files["enrollments.csv"]
	if hasClasses != hasEnrollments {
		missing := "classes.csv"
		if hasClasses {
			missing = "enrollments.csv"
		}
		r.Blocking = CodeMissingFile
		r.Errors = append(r.Errors, Finding{File: missing, Code: CodeMissingFile})
	}
	tables := map[string]*table{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		cs, ok := schema[name]
		if !ok {
			continue
		}
		t, code := parse(files[name], cs)
		if code != "" {
			r.Blocking = code
			r.Errors = append(r.Errors, Finding{File: name, Code: code})
			continue
		}
		tables[name] = t
	}
	if r.Blocking != "" {
		return r
	}
	r.records(tables)
	return r
}

// parse reads one file strictly: valid UTF-8, RFC 4180, every required
// column in the header, no column the format does not have, no line break
// in a value.
func parse(data []byte, cs []column) (*table, string) {
	if !utf8.Valid(data) {
		return nil, CodeBadCSV
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	rd := csv.NewReader(bytes.NewReader(data))
	rd.FieldsPerRecord = 0
	header, err := rd.Read()
	if err != nil {
		return nil, CodeBadHeader
	}
	t := &table{index: make(map[string]int, len(header))}
	known := map[string]bool{}
	for _, c := range cs {
		known[c.name] = true
	}
	for i, h := range header {
		if !known[h] {
			return nil, CodeBadHeader
		}
		if _, dup := t.index[h]; dup {
			return nil, CodeBadHeader
		}
		t.index[h] = i
	}
	for _, c := range cs {
		if _, ok := t.index[c.name]; c.required && !ok {
			return nil, CodeBadHeader
		}
	}
	for {
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, CodeBadCSV
		}
		for _, v := range row {
			if strings.ContainsAny(v, "\r\n") {
				return nil, CodeBadCSV
			}
		}
		t.rows = append(t.rows, row)
	}
	return t, ""
}

// records checks each record and its references, in dependency order, so
// a refused record is a dangling reference for those that name it.
func (r *Report) records(t map[string]*table) {
	ids := func(file, col string, check func(row []string) string) map[string]bool {
		out := map[string]bool{}
		tb := t[file]
		if tb == nil {
			return nil
		}
		for i, row := range tb.rows {
			id := tb.get(row, col)
			code := ""
			switch {
			case id == "":
				code = CodeMissingValue
			case out[id]:
				code = CodeDuplicate
			case check != nil:
				code = check(row)
			}
			if code != "" {
				r.Errors = append(r.Errors, Finding{File: file, Row: i + 1, Code: code})
				continue
			}
			out[id] = true
		}
		return out
	}
	required := func(file string, row []string, colsToCheck ...string) string {
		for _, c := range colsToCheck {
			if t[file].get(row, c) == "" {
				return CodeMissingValue
			}
		}
		return ""
	}
	orgs := ids("orgs.csv", "sourcedId", func(row []string) string {
		if c := required("orgs.csv", row, "name", "type"); c != "" {
			return c
		}
		if !orgTypes[strings.ToLower(t["orgs.csv"].get(row, "type"))] {
			return CodeBadValue
		}
		return ""
	})
	sessions := ids("academicSessions.csv", "sourcedId", nil)
	courses := ids("courses.csv", "sourcedId", func(row []string) string {
		if !orgs[t["courses.csv"].get(row, "orgSourcedId")] {
			return CodeDangling
		}
		return ""
	})
	users := ids("users.csv", "sourcedId", func(row []string) string { return required("users.csv", row, "username") })
	role := map[string]string{}
	if tb := t["roles.csv"]; tb != nil {
		for i, row := range tb.rows {
			u, o, ro := tb.get(row, "userSourcedId"), tb.get(row, "orgSourcedId"), strings.ToLower(tb.get(row, "role"))
			code := ""
			switch {
			case !roles[ro]:
				code = CodeBadValue
			case !users[u] || !orgs[o]:
				code = CodeDangling
			case sessions != nil && tb.get(row, "sessionSourcedId") != "" && !sessions[tb.get(row, "sessionSourcedId")]:
				code = CodeDangling
			}
			if code != "" {
				r.Errors = append(r.Errors, Finding{File: "roles.csv", Row: i + 1, Code: code})
				continue
			}
			if role[u] != "staff" {
				role[u] = "students"
				if ro != "student" {
					role[u] = "staff"
				}
			}
		}
	}
	classes := ids("classes.csv", "sourcedId", func(row []string) string {
		tb := t["classes.csv"]
		if c := required("classes.csv", row, "title"); c != "" {
			return c
		}
		if !orgs[tb.get(row, "orgSourcedId")] {
			return CodeDangling
		}
		if s := tb.get(row, "sessionSourcedIds"); s != "" {
			for _, id := range strings.Split(s, ",") {
				if !sessions[id] {
					return CodeDangling
				}
			}
		}
		if c := tb.get(row, "courseSourcedId"); c != "" && !courses[c] {
			return CodeDangling
		}
		return ""
	})
	if tb := t["enrollments.csv"]; tb != nil {
		for i, row := range tb.rows {
			code := ""
			switch {
			case !roles[strings.ToLower(tb.get(row, "role"))]:
				code = CodeBadValue
			case !classes[tb.get(row, "classSourcedId")] || !users[tb.get(row, "userSourcedId")]:
				code = CodeDangling
			}
			if code != "" {
				r.Errors = append(r.Errors, Finding{File: "enrollments.csv", Row: i + 1, Code: code})
				continue
			}
			r.Enrollments++
		}
	}
	r.Orgs, r.Users, r.Classes = len(orgs), len(users), len(classes)
	for _, g := range role {
		if g == "staff" {
			r.Staff++
		} else {
			r.Students++
		}
	}
	if tb := t["users.csv"]; tb != nil {
		for _, row := range tb.rows {
			if u := tb.get(row, "sourcedId"); users[u] {
				r.Usernames = append(r.Usernames, tb.get(row, "username"))
			}
		}
	}
}
