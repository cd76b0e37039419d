package rostercsv

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// Dialect is a roster CSV format.
type Dialect int

const (
	// SDS is School Data Sync v2.1 CSV
	// (https://learn.microsoft.com/en-us/schooldatasync/sds-v2.1-csv-file-format):
	// the required orgs, users and roles, classes and enrollments since we
	// manage classes, and academicSessions and courses, which classes
	// refer to ("you should provide the corresponding data to avoid error
	// messages"). Only the documented headers, and of the optional ones
	// only those we fill.
	SDS Dialect = iota
	// OneRoster is OneRoster 1.1 bulk CSV (IMS Global, OneRoster v1.1 CSV
	// Tables, https://www.imsglobal.org/oneroster-v11-final-csv-tables):
	// every file has sourcedId, status and dateLastModified first, the
	// last two blank in a bulk file, and manifest.csv lists the files.
	OneRoster
)

func (d Dialect) String() string {
	if d == OneRoster {
		return "OneRoster 1.1"
	}
	return "SDS v2.1"
}

// File is one CSV file of a set.
type File struct {
	Name string
	Data []byte
}

// table is one file's header and rows.
type table struct {
	name   string
	header []string
	rows   [][]string
	// ids names each row in errors: its sourcedId, never a person's name.
	ids []string
}

// Files renders s in the dialect, in a fixed order, each file UTF-8 and
// RFC 4180 (CRLF line ends, quotes where needed). A value with a line
// break is an error naming the file, the column and the row's id: SDS
// accepts no line breaks in values, and a file is never half written.
func Files(s Set, d Dialect) ([]File, error) {
	var tables []table
	if d == OneRoster {
		tables = oneRoster(s)
	} else {
		tables = sds(s)
	}
	out := make([]File, 0, len(tables))
	for _, t := range tables {
		data, err := t.render()
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: t.name, Data: data})
	}
	return out, nil
}

func (t table) render() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write(t.header) // a bytes.Buffer does not fail
	for i, row := range t.rows {
		for j, v := range row {
			if strings.ContainsAny(v, "\r\n") {
				return nil, fmt.Errorf("%s: the %s of row %s holds a line break, which roster CSV files may not", t.name, t.header[j], t.ids[i])
			}
		}
		_ = w.Write(row)
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// Hash is "sha256:" and the digest of the files' names and contents: it
// changes when, and only when, the set does.
func Hash(files []File) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%d:%s%d:", len(f.Name), f.Name, len(f.Data))
		h.Write(f.Data)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Headers are the header rows this package writes, by dialect and file.
func Headers(d Dialect) map[string][]string {
	out := map[string][]string{}
	var tables []table
	if d == OneRoster {
		tables = oneRoster(Set{})
	} else {
		tables = sds(Set{})
	}
	for _, t := range tables {
		out[t.name] = t.header
	}
	return out
}

func date(d roster.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// sds is the SDS v2.1 tables. Values of enumerations are the default list
// (https://learn.microsoft.com/en-us/schooldatasync/default-list-of-values);
// dates are ISO 8601 and booleans TRUE or FALSE, as in Microsoft's samples
// (github.com/OfficeDev/O365-EDU-Tools, "CSV Samples/SDS v2.1").
func sds(s Set) []table {
	orgs := table{name: "orgs.csv", header: []string{"sourcedId", "name", "type", "parentSourcedId"}}
	for _, o := range s.Orgs {
		orgs.add(o.SourcedID, o.SourcedID, o.Name, o.Type, o.ParentID)
	}
	users := table{name: "users.csv", header: []string{"sourcedId", "username", "givenName", "familyName"}}
	for _, u := range s.Users {
		users.add(u.SourcedID, u.SourcedID, u.Username, u.GivenName, u.FamilyName)
	}
	roles := table{name: "roles.csv", header: []string{"userSourcedId", "orgSourcedId", "role", "isPrimary"}}
	for _, r := range s.Roles {
		roles.add(r.UserID, r.UserID, r.OrgID, r.Role, strings.ToUpper(strconv.FormatBool(r.Primary)))
	}
	sessions := table{name: "academicSessions.csv", header: []string{"sourcedId", "title", "type", "schoolYear", "startDate", "endDate"}}
	for _, v := range s.Sessions {
		sessions.add(v.SourcedID, v.SourcedID, v.Title, "schoolYear", strconv.Itoa(v.SchoolYear), date(v.Start), date(v.End))
	}
	courses := table{name: "courses.csv", header: []string{"sourcedId", "orgSourcedId", "title", "code", "schoolYearSourcedId"}}
	for _, c := range s.Courses {
		courses.add(c.SourcedID, c.SourcedID, c.OrgID, c.Title, c.Code, c.SessionID)
	}
	classes := table{name: "classes.csv", header: []string{"sourcedId", "orgSourcedId", "title", "sessionSourcedIds", "courseSourcedId"}}
	for _, c := range s.Classes {
		classes.add(c.SourcedID, c.SourcedID, c.OrgID, c.Title, c.SessionID, c.CourseID)
	}
	enrollments := table{name: "enrollments.csv", header: []string{"classSourcedId", "userSourcedId", "role"}}
	for _, e := range s.Enrollments {
		enrollments.add(e.ClassID+" "+e.UserID, e.ClassID, e.UserID, e.Role)
	}
	return []table{orgs, users, roles, sessions, courses, classes, enrollments}
}

// oneRoster is the OneRoster 1.1 bulk tables and their manifest. Org
// types and roles are OneRoster's vocabularies (school, district;
// teacher, student), which the Set's values already are.
func oneRoster(s Set) []table {
	lead := []string{"sourcedId", "status", "dateLastModified"}
	with := func(cols ...string) []string { return append(append([]string{}, lead...), cols...) }
	orgs := table{name: "orgs.csv", header: with("name", "type", "identifier", "parentSourcedId")}
	for _, o := range s.Orgs {
		orgs.add(o.SourcedID, o.SourcedID, "", "", o.Name, o.Type, "", o.ParentID)
	}
	sessions := table{name: "academicSessions.csv", header: with("title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear")}
	for _, v := range s.Sessions {
		sessions.add(v.SourcedID, v.SourcedID, "", "", v.Title, "schoolYear", date(v.Start), date(v.End), "", strconv.Itoa(v.SchoolYear))
	}
	courses := table{name: "courses.csv", header: with("schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes")}
	for _, c := range s.Courses {
		courses.add(c.SourcedID, c.SourcedID, "", "", c.SessionID, c.Title, c.Code, "", c.OrgID, "", "")
	}
	classes := table{name: "classes.csv", header: with("title", "grades", "courseSourcedId", "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods")}
	for _, c := range s.Classes {
		classes.add(c.SourcedID, c.SourcedID, "", "", c.Title, "", c.CourseID, "", "scheduled", "", c.OrgID, c.SessionID, "", "", "")
	}
	users := table{name: "users.csv", header: with("enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password")}
	for _, u := range s.Users {
		role := RoleStudent
		if u.Teacher {
			role = RoleTeacher
		}
		users.add(u.SourcedID, u.SourcedID, "", "", "true", strings.Join(u.OrgIDs, ","), role, u.Username, "", u.GivenName, u.FamilyName, "", "", "", "", "", "", "", "")
	}
	enrollments := table{name: "enrollments.csv", header: with("classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate")}
	for _, e := range s.Enrollments {
		id := e.ClassID + "/" + e.UserID
		enrollments.add(id, id, "", "", e.ClassID, e.OrgID, e.UserID, e.Role, "", "", "")
	}
	tables := []table{sessions, classes, courses, enrollments, orgs, users}
	manifest := table{name: "manifest.csv", header: []string{"propertyName", "value"}}
	manifest.add("manifest.version", "manifest.version", "1.0")
	manifest.add("oneroster.version", "oneroster.version", "1.1")
	present := map[string]bool{}
	for _, t := range tables {
		present[t.name] = true
	}
	for _, f := range []string{"academicSessions", "categories", "classes", "classResources", "courses", "courseResources",
		"demographics", "enrollments", "lineItems", "orgs", "resources", "results", "users"} {
		mode := "absent"
		if present[f+".csv"] {
			mode = "bulk"
		}
		manifest.add("file."+f, "file."+f, mode)
	}
	manifest.add("source.systemName", "source.systemName", "elevsynk")
	return append([]table{manifest}, tables...)
}

func (t *table) add(id string, row ...string) {
	t.ids = append(t.ids, id)
	t.rows = append(t.rows, row)
}
