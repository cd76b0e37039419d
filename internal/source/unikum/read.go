// Package unikum reads Unikum's text import format (unikum.freshdesk.com
// articles 80000377941, 80000377939 and 80000377940) into a
// roster.Snapshot: positional rows of people, classes and schools, whose
// last field says which (user, class, school), and relation rows that put
// them together (student_in_class, teacher_in_class, ...). What maps
// where, and what is not read, is in docs/registers.md.
//
// A Unikum user has no id of its own, only a civic number. The reader
// never uses the civic number as an id: a person's id is
// export.PseudonymID under the tenant's key.
package unikum

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// Options say what the files do not.
type Options struct {
	// IDKey is the tenant's secret key for person ids (at least
	// MinKeyLen bytes); changing it changes every person id.
	IDKey []byte
	// Today gives a ten-digit civic number its century (export.CivicNo).
	Today roster.Date
	// Delimiter is the field separator; 0 finds it in each file's first
	// line (tab, semicolon or comma).
	Delimiter rune
}

// MinKeyLen is the shortest IDKey: 256 bits, the size of the HMAC.
const MinKeyLen = 32

// ErrShortKey is an IDKey shorter than MinKeyLen.
var ErrShortKey = errors.New("unikum: the id key must be at least 32 bytes (256 bits)")

// schoolTypes are the school forms Unikum names (article 80000377939), as
// SS 12000 school types.
var schoolTypes = map[string]roster.SchoolType{
	"se.forskoleverksamhet.forskola":                 roster.SchoolTypeFS,
	"se.grundskoleutbildning.grundskola":             roster.SchoolTypeGR,
	"se.grundskoleutbildning.sarskola.grundsarskola": roster.SchoolTypeGRS,
	"se.gymnasieutbildning.gymnasieskola":            roster.SchoolTypeGY,
	"se.vuxenutbildning":                             roster.SchoolTypeVUX,
}

// Row types and their field counts and names, in Unikum's order.
var rowTypes = map[string][]string{
	"user": {"förnamn", "efternamn", "e-post", "personnummer", "beskrivning", "telefon", "mobil", "arbete telefon",
		"adress", "postnr", "postort", "dölj kontaktuppgifter", "tillåt personliga notiser", "tillåt meddelanden",
		"tillåt systemmeddelanden", "årskurs", "", "", "radtyp"},
	"class":  {"externt id", "namn", "skolform", "ålder från", "ålder till", "beskrivning", "radtyp"},
	"school": {"externt id", "skol-id", "namn", "skolform", "ålder från", "ålder till", "beskrivning", "url", "telefon", "fax", "adress", "postnummer", "stad", "besöksadress", "radtyp"},
}

// The relations read, in the order they are applied: a teacher's duty is
// Lärare when teacher_in_class comes before staff_in_school makes it Annan
// personal. school_in_org, mentor_for (person to person), guardian_for,
// external_user_in_school and administrator_for are known and not read.
var relations = []string{"class_in_school", "student_in_school", "student_in_class", "teacher_in_class", "staff_in_school"}

var ignored = map[string]bool{"school_in_org": true, "mentor_for": true, "guardian_for": true, "external_user_in_school": true, "administrator_for": true}

// row is one line of a file, split, with where it was.
type row struct {
	file   string
	line   int
	fields []string
}

func (r row) err(i int, names []string, msg string) error {
	field := ""
	if i >= 0 {
		field = strconv.Itoa(i + 1)
		if i < len(names) && names[i] != "" {
			field += " " + names[i]
		}
	}
	return &export.Error{File: r.file, Line: r.line, Field: field, Msg: msg}
}

// relation is an add or remove of one relation between two external ids.
type relation struct {
	typ, a, b string
	at        row
}

// err is an error about the relation's first or second id; the reader
// finds them by value, not by column, so it names them so.
func (rel relation) err(second bool, msg string) error {
	field := "first id"
	if second {
		field = "second id"
	}
	return &export.Error{File: rel.at.file, Line: rel.at.line, Field: field, Msg: msg}
}

type reader struct {
	opt       Options
	snap      *roster.Snapshot
	duties    export.Duties
	schools   map[string]int    // organisation index by external id
	classes   map[string]int    // group index by external id
	persons   map[string]int    // person index by normalised civic number
	pupils    map[string]bool   // person ids that are pupils
	year      map[string]int    // school year by person id, from årskurs
	classType map[string]string // a class's own school form code
}

// Read reads every file in the root of fsys, in name order, its text in
// encoding (export.Text): first the objects of all files, then their
// relations in file and line order (a remove undoes an add before it).
func Read(fsys fs.FS, encoding string, opt Options) (*roster.Snapshot, error) {
	if len(opt.IDKey) < MinKeyLen {
		return nil, ErrShortKey
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	r := &reader{opt: opt, snap: &roster.Snapshot{}, schools: map[string]int{}, classes: map[string]int{},
		persons: map[string]int{}, pupils: map[string]bool{}, year: map[string]int{}, classType: map[string]string{}}
	var rels []relation
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		rows, err := readFile(fsys, e.Name(), encoding, opt.Delimiter)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			rel, isRel, err := r.object(row)
			if err != nil {
				return nil, err
			}
			if isRel {
				rels = append(rels, rel)
			}
		}
	}
	if err := r.relate(rels); err != nil {
		return nil, err
	}
	r.finish()
	return r.snap, nil
}

// readFile splits a file's lines by its delimiter.
func readFile(fsys fs.FS, name, encoding string, delim rune) ([]row, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	text, err := export.Text(f, encoding)
	if err != nil {
		return nil, &export.Error{File: name, Msg: err.Error()}
	}
	data, err := io.ReadAll(text)
	if err != nil {
		return nil, &export.Error{File: name, Msg: err.Error()}
	}
	if delim == 0 {
		if delim = detect(data); delim == 0 {
			return nil, &export.Error{File: name, Line: 1, Msg: "cannot tell the delimiter: the first line is neither an object row (ending in user, class or school) nor a relation row, split by tab, semicolon or comma"}
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	var rows []row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// encoding/csv's messages say what is wrong, never the text.
			return nil, &export.Error{File: name, Line: pe.StartLine, Msg: pe.Err.Error()}
		}
		if err != nil {
			return nil, &export.Error{File: name, Msg: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, row{file: name, line: line, fields: rec})
	}
}

// detect is the delimiter that makes the first line a row this reader
// knows, trying tab, semicolon and comma in that order (a comma is the
// likeliest to be inside a value).
func detect(data []byte) rune {
	first, _, _ := bytes.Cut(bytes.TrimLeft(data, "\r\n"), []byte("\n"))
	for _, d := range []string{"\t", ";", ","} {
		fields := strings.Split(strings.TrimRight(string(first), "\r"), d)
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if _, ok := rowTypes[fields[len(fields)-1]]; ok {
			return rune(d[0])
		}
		if _, _, ok := splitRelation(fields); ok {
			return rune(d[0])
		}
	}
	return 0
}

// splitRelation reads a relation row: four fields, one the operation (add
// or remove) and one the relation type, found by value since Unikum's
// articles do not give their columns; the other two are the ids in the
// order the type reads (student_in_class: the pupil, then the class).
func splitRelation(fields []string) (op string, rel relation, ok bool) {
	var ids []string
	for _, f := range fields {
		switch {
		case f == "add" || f == "remove":
			op = f
		case slices.Contains(relations, f) || ignored[f]:
			rel.typ = f
		default:
			ids = append(ids, f)
		}
	}
	if op == "" || rel.typ == "" || len(ids) != 2 || len(fields) != 4 {
		return "", relation{}, false
	}
	rel.a, rel.b = ids[0], ids[1]
	return op, rel, true
}

// object reads an object row, or returns the relation a relation row is.
func (r *reader) object(row row) (relation, bool, error) {
	if len(row.fields) == 1 && row.fields[0] == "" {
		return relation{}, false, nil
	}
	if op, rel, ok := splitRelation(row.fields); ok {
		rel.at = row
		if op == "remove" {
			rel.typ = "-" + rel.typ
		}
		return rel, true, nil
	}
	typ := row.fields[len(row.fields)-1]
	names, ok := rowTypes[typ]
	if !ok {
		return relation{}, false, row.err(len(row.fields)-1, nil, "the last field is not a row type (user, class or school), and the row is not a relation (add or remove, a relation type and two ids)")
	}
	if len(row.fields) != len(names) {
		return relation{}, false, row.err(-1, nil, "a "+typ+" row has "+strconv.Itoa(len(names))+" fields, this one "+strconv.Itoa(len(row.fields)))
	}
	switch typ {
	case "user":
		return relation{}, false, r.user(row, names)
	case "class":
		return relation{}, false, r.class(row, names)
	}
	return relation{}, false, r.school(row, names)
}

func schoolType(row row, i int, names []string) (roster.SchoolType, error) {
	code := row.fields[i]
	if code == "" {
		return "", nil
	}
	t, ok := schoolTypes[code]
	if !ok {
		return "", row.err(i, names, "unknown school form: want se.forskoleverksamhet.forskola, se.grundskoleutbildning.grundskola, se.grundskoleutbildning.sarskola.grundsarskola, se.gymnasieutbildning.gymnasieskola or se.vuxenutbildning")
	}
	return t, nil
}

func (r *reader) school(row row, names []string) error {
	id := row.fields[0]
	if id == "" {
		return row.err(0, names, "empty external id")
	}
	if _, dup := r.schools[id]; dup {
		return row.err(0, names, "a second school with this external id")
	}
	o := roster.Organisation{ID: id, DisplayName: row.fields[2], Type: roster.OrganisationSkolenhet}
	if c := row.fields[1]; c != "" {
		if len(c) != 8 || strings.Trim(c, "0123456789") != "" {
			return row.err(1, names, "a school unit code has 8 digits")
		}
		o.SchoolUnitCode = c
	}
	t, err := schoolType(row, 3, names)
	if err != nil {
		return err
	}
	if t != "" {
		o.SchoolTypes = []roster.SchoolType{t}
	}
	r.schools[id] = len(r.snap.Organisations)
	r.snap.Organisations = append(r.snap.Organisations, o)
	return nil
}

func (r *reader) class(row row, names []string) error {
	id := row.fields[0]
	if id == "" {
		return row.err(0, names, "empty external id")
	}
	if _, dup := r.classes[id]; dup {
		return row.err(0, names, "a second class with this external id")
	}
	t, err := schoolType(row, 2, names)
	if err != nil {
		return err
	}
	r.classes[id] = len(r.snap.Groups)
	r.snap.Groups = append(r.snap.Groups, roster.Group{ID: id, DisplayName: row.fields[1], Type: roster.GroupKlass, SchoolType: t})
	return nil
}

func (r *reader) user(row row, names []string) error {
	civic, err := export.CivicNo(row.fields[3], r.opt.Today)
	if err != nil {
		return row.err(3, names, err.Error())
	}
	if _, dup := r.persons[string(civic)]; dup {
		return row.err(3, names, "a second user with this civic number")
	}
	p := roster.Person{ID: export.PseudonymID(r.opt.IDKey, "unikum-person", string(civic)), GivenName: row.fields[0],
		FamilyName: row.fields[1], CivicNo: civic, SecurityMarking: roster.SecurityNone, PersonStatus: roster.PersonAktiv}
	if p.GivenName == "" || p.FamilyName == "" {
		return row.err(0, names, "a user needs a given and a family name")
	}
	if e := row.fields[2]; e != "" {
		p.Emails = []roster.Email{{Value: e}}
	}
	if y := row.fields[15]; y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 0 || n > 10 {
			return row.err(15, names, "a school year is a number 0-10 (0 is förskoleklass)")
		}
		r.year[p.ID] = n
	}
	r.persons[string(civic)] = len(r.snap.Persons)
	r.snap.Persons = append(r.snap.Persons, p)
	return nil
}

// person is the index of the user a relation names by civic number.
func (r *reader) person(rel relation) (int, error) {
	c, err := export.CivicNo(rel.a, r.opt.Today)
	if err != nil {
		return 0, rel.err(false, "a person is named by civic number, and this is not one")
	}
	i, ok := r.persons[string(c)]
	if !ok {
		return 0, rel.err(false, "names a person no user row has")
	}
	return i, nil
}

// pair is the indexes of the person a relation names first and of the
// class or school (in m) it names second.
func (r *reader) pair(rel relation, m map[string]int, what string) (int, int, error) {
	pi, err := r.person(rel)
	if err != nil {
		return 0, 0, err
	}
	i, err := lookup(rel, m, what)
	return pi, i, err
}

// lookup is the index of the class or school a relation names second.
func lookup(rel relation, m map[string]int, what string) (int, error) {
	i, ok := m[rel.b]
	if !ok {
		return 0, rel.err(true, "names a "+what+" no "+what+" row has")
	}
	return i, nil
}

// relate applies the relations that remain after the removes, by type.
func (r *reader) relate(rels []relation) error {
	type key struct{ typ, a, b string }
	live := map[key]relation{}
	var order []key
	for _, rel := range rels {
		if ignored[strings.TrimPrefix(rel.typ, "-")] {
			continue
		}
		if t, removed := strings.CutPrefix(rel.typ, "-"); removed {
			delete(live, key{t, rel.a, rel.b})
			continue
		}
		k := key{rel.typ, rel.a, rel.b}
		if _, ok := live[k]; !ok {
			order = append(order, k)
		}
		live[k] = rel
	}
	for _, typ := range relations {
		for _, k := range order {
			rel, ok := live[k]
			if !ok || k.typ != typ {
				continue
			}
			if err := r.apply(rel); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *reader) apply(rel relation) error {
	switch rel.typ {
	case "class_in_school":
		ci, ok := r.classes[rel.a]
		if !ok {
			return rel.err(false, "names a class no class row has")
		}
		if _, err := lookup(rel, r.schools, "school"); err != nil {
			return err
		}
		r.snap.Groups[ci].SchoolUnitID = rel.b
	case "student_in_school":
		pi, si, err := r.pair(rel, r.schools, "school")
		if err != nil {
			return err
		}
		p := &r.snap.Persons[pi]
		e := roster.Enrolment{SchoolUnitID: rel.b, SchoolYear: r.year[p.ID]}
		if types := r.snap.Organisations[si].SchoolTypes; len(types) > 0 {
			e.SchoolType = types[0]
		}
		// Year 0 at a grundskola is förskoleklass, which Unikum has no
		// school form of its own for.
		if e.SchoolType == roster.SchoolTypeGR && e.SchoolYear == 0 {
			e.SchoolType = roster.SchoolTypeFKLASS
		}
		p.Enrolments = append(p.Enrolments, e)
		r.pupils[p.ID] = true
	case "student_in_class", "teacher_in_class":
		pi, ci, err := r.pair(rel, r.classes, "class")
		if err != nil {
			return err
		}
		g := &r.snap.Groups[ci]
		if g.SchoolUnitID == "" {
			return rel.err(true, "the class is in no school (no class_in_school relation)")
		}
		id := r.snap.Persons[pi].ID
		if rel.typ == "student_in_class" {
			g.Memberships = append(g.Memberships, roster.Membership{PersonID: id})
		} else {
			r.duties.Mentor(id, g.SchoolUnitID, g.ID, roster.Date{}, roster.Date{})
		}
	case "staff_in_school":
		pi, _, err := r.pair(rel, r.schools, "school")
		if err != nil {
			return err
		}
		r.duties.Of(r.snap.Persons[pi].ID, rel.b, roster.DutyAnnanPersonal)
	}
	return nil
}

// finish gives classes their school's form, people their e-mail type,
// schools the forms of their pupils, and drops users who are neither
// pupils nor staff (guardians: the model holds none) and classes no
// relation puts in a school (no room can be keyed to a school for them).
func (r *reader) finish() {
	r.snap.Duties = r.duties.List()
	staff := map[string]bool{}
	for _, d := range r.snap.Duties {
		staff[d.PersonID] = true
	}
	forms := map[string]map[roster.SchoolType]bool{}
	note := func(unit string, t roster.SchoolType) {
		if t == "" {
			return
		}
		if forms[unit] == nil {
			forms[unit] = map[roster.SchoolType]bool{}
		}
		forms[unit][t] = true
	}
	r.snap.Groups = slices.DeleteFunc(r.snap.Groups, func(g roster.Group) bool { return g.SchoolUnitID == "" })
	for i := range r.snap.Groups {
		g := &r.snap.Groups[i]
		if g.SchoolType == "" {
			if types := r.snap.Organisations[r.schools[g.SchoolUnitID]].SchoolTypes; len(types) > 0 {
				g.SchoolType = types[0]
			}
		}
		note(g.SchoolUnitID, g.SchoolType)
	}
	persons := r.snap.Persons[:0]
	for _, p := range r.snap.Persons {
		if !r.pupils[p.ID] && !staff[p.ID] {
			continue
		}
		for i := range p.Emails {
			p.Emails[i].Type = roster.EmailSkolaPersonal
			if r.pupils[p.ID] {
				p.Emails[i].Type = roster.EmailSkolaElev
			}
		}
		for _, e := range p.Enrolments {
			note(e.SchoolUnitID, e.SchoolType)
		}
		persons = append(persons, p)
	}
	r.snap.Persons = persons
	for i := range r.snap.Organisations {
		o := &r.snap.Organisations[i]
		for t := range forms[o.ID] {
			if !slices.Contains(o.SchoolTypes, t) {
				o.SchoolTypes = append(o.SchoolTypes, t)
			}
		}
	}
	r.snap.Sort()
}
