package imsxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// Read applies one export document to prev (nil before the first) and
// returns the new state; prev is never modified. file names the document in
// errors; encoding is the FileSource's (export.Auto follows the XML
// declaration). A document that is cut short, is not well-formed, or holds
// a value that cannot be read is an error naming the file, the line and the
// element, never the value.
func Read(r io.Reader, file, encoding string, prev *State) (*State, error) {
	d := &decoder{file: file, prev: prev, roleTypes: map[string]string{}}
	switch encoding {
	case "", export.Auto:
		d.xml = xml.NewDecoder(r)
		d.xml.CharsetReader = export.CharsetReader
	default:
		text, err := export.Text(r, encoding)
		if err != nil {
			return nil, &export.Error{File: file, Msg: err.Error()}
		}
		d.xml = xml.NewDecoder(text)
		// The text is UTF-8 now, whatever the declaration says.
		d.xml.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	}
	if err := d.run(); err != nil {
		return nil, err
	}
	if d.st == nil {
		return nil, d.errorf("", "no <properties> element before the first person, group or membership")
	}
	return d.st, nil
}

// decoder is one pass over one document.
type decoder struct {
	xml  *xml.Decoder
	file string
	prev *State
	st   *State
	// delta is set by a Delta document.
	delta bool

	stack     []string          // local names of the open elements
	spaces    []string          // and their prefixes, to match end tags
	roleTypes map[string]string // interned role types
	text      []byte            // character data of the innermost element
	count     [3]int            // persons, groups, memberships seen, for element paths

	// The record being read; recstatus is its (or its role's) attribute.
	person    *Person
	group     *Group
	recstatus string
	groupID   string // membership/sourcedid/id
	member    MemberKey
	role      Role
	roles     []pendingRole
	complete  bool // membership complete="true"
	useridTyp string
	relation  string
}

type pendingRole struct {
	key       MemberKey
	role      Role
	recstatus string
}

const (
	persons = iota
	groups
	memberships
)

func (d *decoder) run() error {
	for {
		// RawToken, not Token: names are matched by local name, so the
		// namespace translation Token does (a quarter of its cost) is not
		// needed; the end tags are checked here instead.
		tok, err := d.xml.RawToken()
		if err == io.EOF {
			if len(d.stack) > 0 {
				return d.errorf("", "the document ends inside <%s>: the file is cut short", d.stack[len(d.stack)-1])
			}
			if d.st == nil && d.count == [3]int{} {
				return d.errorf("", "not an IMS Enterprise document: no <enterprise> element")
			}
			return nil
		}
		if err != nil {
			return d.syntaxError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			d.stack = append(d.stack, t.Name.Local)
			d.spaces = append(d.spaces, t.Name.Space)
			d.text = d.text[:0]
			if err := d.start(t); err != nil {
				return err
			}
		case xml.CharData:
			d.text = append(d.text, t...)
		case xml.EndElement:
			// RawToken leaves matching end tags to the caller.
			if n := len(d.stack); n == 0 || d.stack[n-1] != t.Name.Local || d.spaces[n-1] != t.Name.Space {
				return d.errorf("", "not well-formed XML: an end tag that does not close the open element")
			}
			if err := d.end(t.Name.Local); err != nil {
				return err
			}
			d.stack = d.stack[:len(d.stack)-1]
			d.spaces = d.spaces[:len(d.spaces)-1]
			d.text = d.text[:0]
		}
	}
}

func (d *decoder) syntaxError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if strings.Contains(se.Msg, "unexpected EOF") {
			return &export.Error{File: d.file, Line: se.Line, Element: d.path(), Msg: "the document ends early: the file is cut short"}
		}
		// The decoder's message may quote a name but never text content.
		return &export.Error{File: d.file, Line: se.Line, Element: d.path(), Msg: "not well-formed XML: " + se.Msg}
	}
	return &export.Error{File: d.file, Element: d.path(), Msg: err.Error()}
}

// path is the element path for errors, with the record's index.
func (d *decoder) path() string {
	var b strings.Builder
	for i, name := range d.stack {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(name)
		if i == 1 {
			switch name {
			case "person":
				fmt.Fprintf(&b, "[%d]", d.count[persons])
			case "group":
				fmt.Fprintf(&b, "[%d]", d.count[groups])
			case "membership":
				fmt.Fprintf(&b, "[%d]", d.count[memberships])
			}
		}
	}
	return b.String()
}

func (d *decoder) errorf(field, format string, args ...any) error {
	line, _ := d.xml.InputPos()
	return &export.Error{File: d.file, Line: line, Element: d.path(), Field: field, Msg: fmt.Sprintf(format, args...)}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

func (d *decoder) parent() string {
	if len(d.stack) < 2 {
		return ""
	}
	return d.stack[len(d.stack)-2]
}

func (d *decoder) start(t xml.StartElement) error {
	depth := len(d.stack)
	name := t.Name.Local
	switch {
	case depth == 1:
		if name != "enterprise" {
			return d.errorf("", "the document is <%s>, want <enterprise>", name)
		}
	case depth == 2:
		switch name {
		case "person":
			d.count[persons]++
			d.person = &Person{}
			d.recstatus = attr(t, "recstatus")
		case "group":
			d.count[groups]++
			d.group = &Group{}
			d.recstatus = attr(t, "recstatus")
		case "membership":
			d.count[memberships]++
			d.groupID, d.roles = "", d.roles[:0]
			d.complete = attr(t, "complete") == "true" || attr(t, "complete") == "1"
		}
		if d.st == nil && (name == "person" || name == "group" || name == "membership") {
			d.st = newState() // no properties/type: a Complete export
		}
	case name == "userid":
		d.useridTyp = attr(t, "useridtype")
	case name == "relationship":
		d.relation = attr(t, "relation")
	case name == "member":
		d.member, d.role = MemberKey{}, Role{}
	case name == "role" && d.stack[1] == "membership":
		d.member.Role = d.roleType(attr(t, "roletype"))
		if d.member.Role == "" {
			d.member.Role = "01" // IMS Enterprise 1.1 §5.3: the default roletype
		}
		d.recstatus = attr(t, "recstatus")
	case name == "privacy" && d.person != nil:
		if lv, err := strconv.Atoi(attr(t, "level")); err == nil && lv >= 2 {
			d.person.Level2 = true
		}
	}
	return nil
}

// details are the role's extension values, made on first use.
func (d *decoder) details() *RoleDetails {
	if d.role.Details == nil {
		d.role.Details = &RoleDetails{}
	}
	return d.role.Details
}

func (d *decoder) value() string { return string(bytes.TrimSpace(d.text)) }

func (d *decoder) date(field string) (roster.Date, error) {
	s := d.value()
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	if s == "" || s == "9999-12-31" { // Tieto's "no end"
		return roster.Date{}, nil
	}
	dt, err := roster.ParseDate(s)
	if err != nil {
		return dt, d.errorf(field, "not a date, want YYYY-MM-DD")
	}
	return dt, nil
}

func (d *decoder) end(name string) error {
	if len(d.stack) == 2 {
		return d.endRecord(name)
	}
	if len(d.stack) < 3 {
		return nil
	}
	switch d.stack[1] {
	case "properties":
		if name == "type" && len(d.stack) == 3 {
			return d.properties()
		}
	case "person":
		return d.personField(name)
	case "group":
		return d.groupField(name)
	case "membership":
		return d.membershipField(name)
	}
	return nil
}

func (d *decoder) properties() error {
	switch v := d.value(); v {
	case "Complete", "CompleteOrganization", "MunicipalOrganization", "TeacherOrganization", "":
		d.st = newState()
	case "Delta", "DeltaOrganization":
		if d.prev == nil {
			return d.errorf("type", "a Delta export needs a Complete one read before it")
		}
		d.delta, d.st = true, d.prev.clone()
	default:
		return d.errorf("type", "unknown export type, want Complete or Delta")
	}
	return nil
}

func (d *decoder) personField(name string) error {
	p, parent := d.person, d.parent()
	switch {
	case name == "id" && parent == "sourcedid" && len(d.stack) == 4:
		if p.ID == "" {
			p.ID = d.id()
		}
	case name == "userid":
		switch v := d.value(); strings.ToUpper(d.useridTyp) {
		case "PID", "PERSONNUMMER", "CIVICNO":
			p.CivicNo = roster.CivicNo(strings.ReplaceAll(v, "-", ""))
		case "", "EPPN", "EDUPERSONPRINCIPALNAME", "UPN", "USERNAME", "LOGIN":
			if v != "" {
				p.Logins = append(p.Logins, v)
			}
		}
	case name == "given" && parent == "n":
		p.Given = d.value()
	case name == "family" && parent == "n":
		p.Family = d.value()
	case name == "email" && parent == "person":
		p.Email = d.value()
	case (name == "emailwork" || name == "emailworkschool") && p.WorkEmail == "":
		p.WorkEmail = d.value()
	case name == "emailhome":
		p.HomeEmail = d.value()
	case name == "privacy":
		switch v := strings.ToLower(d.value()); v {
		case "", "none", "false", "0", "ingen":
		default:
			p.Protected = true
			if strings.HasSuffix(v, "2") || strings.HasSuffix(v, "3") {
				p.Level2 = true
			}
		}
	case name == "status" && parent == "extension":
		p.Status = d.value()
	case name == "programcode" && parent == "extension":
		p.ProgramCode = d.value()
	}
	return nil
}

func (d *decoder) groupField(name string) error {
	g, parent := d.group, d.parent()
	var err error
	switch {
	case name == "id" && parent == "sourcedid" && len(d.stack) == 4:
		if g.ID == "" {
			g.ID = d.id()
		}
	case name == "id" && parent == "sourcedid" && d.stack[2] == "relationship":
		if d.relation == "1" || d.relation == "Parent" {
			g.Parent = d.id()
		}
	case name == "typevalue":
		if g.Type == "" {
			g.Type = d.value()
		}
	case parent == "description" && (name == "short" || name == "long" || name == "full"):
		if g.Name == "" {
			g.Name = d.value()
		}
	case parent == "timeframe" && name == "begin":
		g.Begin, err = d.date(name)
	case parent == "timeframe" && name == "end":
		g.End, err = d.date(name)
	case parent == "extension":
		switch v := d.value(); name {
		case "id":
			g.OrgCode = v
		case "schoolunitcode", "csncode":
			if g.SchoolUnitCode == "" {
				g.SchoolUnitCode = v
			}
		case "municipalitycode":
			g.MunicipalityCode = v
		case "organizationnumber":
			g.OrgNumber = v
		case "organizationtypename":
			g.OrgType = v
		case "schooltype":
			if v != "" {
				g.SchoolTypes = append(g.SchoolTypes, v)
			}
		case "schoolyear":
			g.SchoolYear = v
		case "subjectcode":
			g.SubjectCode = v
		case "subjectname":
			g.SubjectName = v
		case "coursecode":
			g.CourseCode = v
		}
	case parent == "course" && name == "coursecode" && g.CourseCode == "":
		g.CourseCode = d.value()
	}
	return err
}

func (d *decoder) membershipField(name string) error {
	parent := d.parent()
	var err error
	switch {
	case name == "id" && parent == "sourcedid" && len(d.stack) == 4:
		d.groupID = d.id()
	case name == "id" && parent == "sourcedid" && len(d.stack) == 5: // member/sourcedid/id
		d.member.ID = d.ref()
	case name == "idtype":
		switch d.value() {
		case "1", "Person", "person":
		case "2", "Group", "group":
			d.member.Group = true
		default:
			return d.errorf(name, "unknown idtype, want 1 (Person) or 2 (Group)")
		}
	case name == "status" && parent == "role":
		v := d.value()
		d.role.Inactive = v == "0" || strings.EqualFold(v, "Inactive")
	case parent == "timeframe" && name == "begin":
		d.role.Begin, err = d.date(name)
	case parent == "timeframe" && name == "end":
		d.role.End, err = d.date(name)
	case parent == "placement" && name == "begin":
		d.details().PlacementBegin, err = d.date(name)
	case parent == "placement" && name == "end":
		d.details().PlacementEnd, err = d.date(name)
	case name == "subrole" && parent == "role":
		d.details().Subrole = d.value()
	case name == "schoolyear" && (parent == "extension" || parent == "placement"):
		if v := d.value(); v != "" {
			d.details().SchoolYear = v
		}
	case name == "schoolunitcode" && (parent == "extension" || parent == "placement" || parent == "responsibility"):
		if v := d.value(); v != "" && d.details().SchoolUnitCode == "" {
			d.details().SchoolUnitCode = v
		}
	case name == "schooltype" && parent == "placement":
		d.details().SchoolType = d.value()
	case (name == "programcode" || name == "officialprogramcode") && parent == "placement":
		if v := d.value(); v != "" && d.details().ProgramCode == "" {
			d.details().ProgramCode = v
		}
	case name == "subjectcode" && parent == "activity":
		d.details().SubjectCode = d.value()
	case name == "coursecode" && parent == "activity":
		d.details().CourseCode = d.value()
	case name == "role" && parent == "member":
		d.roles = append(d.roles, pendingRole{key: d.member, role: d.role, recstatus: d.recstatus})
		d.role = Role{}
		d.recstatus = ""
	case name == "member":
		if d.member.ID == "" {
			return d.errorf("sourcedid", "a member without an id")
		}
		for i := range d.roles {
			if d.roles[i].key.ID == "" {
				d.roles[i].key.ID, d.roles[i].key.Group = d.member.ID, d.member.Group
			}
		}
	}
	return err
}

// endRecord stores the person, group or membership just read.
func (d *decoder) endRecord(name string) error {
	switch name {
	case "person":
		p := d.person
		d.person = nil
		if p.ID == "" {
			return d.errorf("sourcedid", "a person without an id")
		}
		if d.recstatus == "3" {
			delete(d.st.Persons, p.ID)
			return nil
		}
		d.st.Persons[p.ID] = p
	case "group":
		g := d.group
		d.group = nil
		if g.ID == "" {
			return d.errorf("sourcedid", "a group without an id")
		}
		if d.recstatus == "3" {
			delete(d.st.Groups, g.ID)
			delete(d.st.Members, g.ID)
			return nil
		}
		d.st.Groups[g.ID] = g
	case "membership":
		if d.groupID == "" {
			return d.errorf("sourcedid", "a membership without the group's id")
		}
		d.members(d.groupID, d.complete)
	}
	return nil
}

// members applies the roles read for group g to its members: a role with
// recstatus 3 removes its key, any other adds or replaces it, the last of a
// key in the document winning. A complete membership in a Delta replaces
// the group's members. The list the group had is not changed (prev may
// hold it); the result is a new one, in key order.
func (d *decoder) members(g string, complete bool) {
	old := d.st.Members[g]
	if complete && d.delta {
		old = nil
	}
	roles := d.roles
	slices.SortStableFunc(roles, func(a, b pendingRole) int { return compareKeys(a.key, b.key) })
	out := make([]Member, 0, len(old)+len(roles))
	i := 0
	for j := 0; j < len(roles); j++ {
		if j+1 < len(roles) && roles[j+1].key == roles[j].key {
			continue // a later role of the same key wins
		}
		r := roles[j]
		for i < len(old) && compareKeys(old[i].Key, r.key) < 0 {
			out = append(out, old[i])
			i++
		}
		if i < len(old) && old[i].Key == r.key {
			i++ // replaced or removed
		}
		if r.recstatus != "3" {
			out = append(out, Member{Key: r.key, Role: r.role})
		}
	}
	out = append(out, old[i:]...)
	d.st.Members[g] = out
}

// id is the element's text as an id: Tieto's braces around a GUID are
// dropped and a UUID is lower-cased, as SS 12000 writes them; other ids are
// kept as they are.
func (d *decoder) id() string { return string(d.idBytes()) }

func (d *decoder) idBytes() []byte {
	b := bytes.TrimSpace(d.text)
	if len(b) == 38 && b[0] == '{' && b[37] == '}' {
		b = b[1:37]
	}
	if len(b) == 36 && b[8] == '-' && b[13] == '-' && b[18] == '-' && b[23] == '-' {
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
	}
	return b
}

// ref is a member's id: the string of the person or group it names when
// that was read before (persons and groups come before memberships in an
// IMS document), so the millions of memberships hold no copies.
func (d *decoder) ref() string {
	id := d.idBytes()
	if p, ok := d.st.Persons[string(id)]; ok {
		return p.ID
	}
	if g, ok := d.st.Groups[string(id)]; ok {
		return g.ID
	}
	return string(id)
}

// role is a role type as one string: a municipality's memberships name a
// handful of role types millions of times.
func (d *decoder) roleType(s string) string {
	if v, ok := d.roleTypes[s]; ok {
		return v
	}
	d.roleTypes[s] = s
	return s
}
