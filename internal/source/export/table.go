package export

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"strings"
)

// Table reads a delimited text file whose first row is a header (RFC 4180
// quoting): columns are found by header, in any order and among any
// others (OneRoster's metadata.* columns, a vendor's extras), so a reader
// states which columns it needs rather than where they are.
//
// Every row must have as many fields as the header: a file cut off while
// it was written must fail, not lose its last people quietly.
type Table struct {
	file   string
	closer io.Closer
	r      *csv.Reader
	cols   map[string]int
}

// Column is a column of a Table found by its header; a column the file
// does not have reads as "".
type Column struct {
	Name  string
	index int
}

// Row is one record of a Table.
type Row struct {
	File   string
	Line   int
	fields []string
}

// NewTable reads the header of r, text in enc (see Text) with fields
// separated by comma. Header cells are trimmed of spaces; empty ones are
// ignored (spreadsheets leave trailing ones), a repeated one is an error.
// A file with no header row at all is an error: it is not a table.
func NewTable(file string, r io.Reader, enc string, comma rune) (*Table, error) {
	text, err := Text(r, enc)
	if err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	// encoding/csv reads through a 4 KiB buffer unless given a larger
	// one; the decoding under it costs less per call on 64 KiB.
	cr := csv.NewReader(bufio.NewReaderSize(text, 64<<10))
	cr.Comma = comma
	cr.ReuseRecord = true
	t := &Table{file: file, r: cr, cols: map[string]int{}}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Line: 1, Msg: "the file is empty: want a header row"}
	}
	if err != nil {
		return nil, t.wrap(err)
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if _, dup := t.cols[h]; dup {
			return nil, &Error{File: file, Line: 1, Field: h, Msg: "the header names this column twice"}
		}
		t.cols[h] = i
	}
	return t, nil
}

// OpenTable opens name in fsys as a Table; Close closes the file.
func OpenTable(fsys fs.FS, name, enc string, comma rune) (*Table, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	t, err := NewTable(name, f, enc, comma)
	if err != nil {
		f.Close()
		return nil, err
	}
	t.closer = f
	return t, nil
}

// Close closes the file OpenTable opened.
func (t *Table) Close() error {
	if t.closer == nil {
		return nil
	}
	return t.closer.Close()
}

// Require is an error naming the file and the first of headers it lacks.
func (t *Table) Require(headers ...string) error {
	for _, h := range headers {
		if _, ok := t.cols[h]; !ok {
			return &Error{File: t.file, Line: 1, Field: h, Msg: "the header lacks this required column"}
		}
	}
	return nil
}

// Has reports whether the file has a column with header h.
func (t *Table) Has(h string) bool { _, ok := t.cols[h]; return ok }

// Column is the column with header h.
func (t *Table) Column(h string) Column {
	i, ok := t.cols[h]
	if !ok {
		i = -1
	}
	return Column{Name: h, index: i}
}

// Next is the next row, or io.EOF after the last. Blank lines are skipped.
func (t *Table) Next() (Row, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return Row{}, io.EOF
	}
	if err != nil {
		return Row{}, t.wrap(err)
	}
	line, _ := t.r.FieldPos(0)
	return Row{File: t.file, Line: line, fields: rec}, nil
}

// Each calls fn with each row until the last or an error.
func (t *Table) Each(fn func(Row) error) error {
	for {
		row, err := t.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

// wrap turns a csv or decoding error into an Error with the position.
// encoding/csv's messages name what is wrong, never the text.
func (t *Table) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = "the row has a different number of fields than the header (a cut-off file?)"
		}
		return &Error{File: t.file, Line: pe.StartLine, Msg: msg}
	}
	return &Error{File: t.file, Msg: err.Error()}
}

// Get is the value in column c, trimmed of surrounding spaces.
func (r Row) Get(c Column) string {
	if c.index < 0 {
		return ""
	}
	return strings.TrimSpace(r.fields[c.index])
}

// Err is an error about the value in column c of this row.
func (r Row) Err(c Column, msg string) *Error {
	return &Error{File: r.File, Line: r.Line, Field: c.Name, Msg: msg}
}
