package export

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readAll reads every row of a table as the values of cols.
func readAll(t *Table, cols ...string) ([][]string, error) {
	cs := make([]Column, len(cols))
	for i, c := range cols {
		cs[i] = t.Column(c)
	}
	var out [][]string
	for {
		row, err := t.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		vals := make([]string, len(cs))
		for i, c := range cs {
			vals[i] = row.Get(c)
		}
		out = append(out, vals)
	}
}

func TestTable(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		comma rune
		want  [][]string
	}{
		{"columns in any order, extras ignored", "b,metadata.x,a\n2,x,1\n", ',', [][]string{{"1", "2"}}},
		{"values and headers trimmed", " a , b \n 1 ,  2\n", ',', [][]string{{"1", "2"}}},
		{"quoted fields with commas, quotes and newlines", "a,b\n\"1,5\",\"say \"\"hi\"\"\nthere\"\n", ',', [][]string{{"1,5", "say \"hi\"\nthere"}}},
		{"tab separated", "a\tb\n1\t2\n", '\t', [][]string{{"1", "2"}}},
		{"semicolon, CRLF and a blank line", "a;b\r\n\r\n1;2\r\n", ';', [][]string{{"1", "2"}}},
		{"header only is an empty table", "a,b\n", ',', nil},
		{"empty header cells are ignored", "a,,b,\n1,,2,\n", ',', [][]string{{"1", "2"}}},
		{"a missing column reads empty", "a\n1\n", ',', [][]string{{"1", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := NewTable("f.csv", strings.NewReader(tt.in), Auto, tt.comma)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(tab, "a", "b")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTableErrors(t *testing.T) {
	tests := []struct {
		name, in, enc string
		require       []string
		want          string
	}{
		{"empty file", "", Auto, nil, "f.csv line 1: the file is empty: want a header row"},
		{"missing required column", "a,c\n1,2\n", Auto, []string{"a", "b"}, `f.csv line 1 field "b": the header lacks this required column`},
		{"repeated header", "a,a\n", Auto, nil, `f.csv line 1 field "a": the header names this column twice`},
		{"half-written last row", "a,b\n1,2\n3\n", Auto, nil, "f.csv line 3: the row has a different number of fields than the header (a cut-off file?)"},
		{"too many fields", "a,b\n1,2,Kalle\n", Auto, nil, "f.csv line 2: the row has a different number of fields than the header (a cut-off file?)"},
		{"unterminated quote", "a,b\n1,\"Kalle\n", Auto, nil, `f.csv line 2: extraneous or missing " in quoted-field`},
		{"bare quote", "a,b\n1,Ka\"lle\n", Auto, nil, `f.csv line 2: bare " in non-quoted-field`},
		{"encoding mix-up", "a,b\nÅsa,\xe5\n", Auto, nil, "f.csv: " + ErrMixedEncoding.Error()},
		{"unknown encoding", "a\n", "EBCDIC", nil, "f.csv: unknown encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := NewTable("f.csv", strings.NewReader(tt.in), tt.enc, ',')
			if err == nil {
				err = tab.Require(tt.require...)
			}
			if err == nil {
				_, err = readAll(tab, "a", "b")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %q, want %q", err, tt.want)
			}
			for _, v := range []string{"Kalle", "Åsa"} {
				if strings.Contains(err.Error(), v) {
					t.Errorf("the error holds a value from the file")
				}
			}
		})
	}
}

// FuzzTable: any bytes give rows or an *Error, never a panic, and a row
// never has a field the header lacks.
func FuzzTable(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a,b\n\"1\n2\",3\n", "a;b\r\n1;2", "a,b\n1\n", "\xef\xbb\xbfa\n\xe5\n", ""} {
		f.Add([]byte(s), byte(','))
	}
	f.Fuzz(func(t *testing.T, in []byte, comma byte) {
		if comma == '"' || comma == '\r' || comma == '\n' || comma == 0 || comma >= 0x80 {
			comma = ','
		}
		tab, err := NewTable("f.csv", strings.NewReader(string(in)), Auto, rune(comma))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("header: %T is not an *Error", err)
			}
			return
		}
		if _, err := readAll(tab, "a", "b"); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("row: %T is not an *Error", err)
			}
		}
	})
}
