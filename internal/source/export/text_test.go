package export

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/charmap"
)

func TestText(t *testing.T) {
	latin, _ := charmap.ISO8859_1.NewEncoder().String("Åsa Öberg;Skövde")
	cp1252, _ := charmap.Windows1252.NewEncoder().String("citat “så” här")
	tests := []struct {
		name, in, enc, want string
		err                 error
	}{
		{"utf-8 passes through", "Åsa Öberg", Auto, "Åsa Öberg", nil},
		{"a byte-order mark is dropped", "\xef\xbb\xbfÅsa", Auto, "Åsa", nil},
		{"a byte-order mark is dropped when UTF-8 is named", "\xef\xbb\xbfÅsa", UTF8, "Åsa", nil},
		{"latin-1 is read as such when named", latin, ISO88591, "Åsa Öberg;Skövde", nil},
		{"latin-1 is found by Auto", latin, Auto, "Åsa Öberg;Skövde", nil},
		{"ascii then latin-1 is found by Auto", "id;namn\n1;" + latin, "", "id;namn\n1;Åsa Öberg;Skövde", nil},
		{"windows-1252 quotes", cp1252, Auto, "citat “så” här", nil},
		{"utf-16 with a byte-order mark", "\xff\xfeA\x00\xe5\x00", Auto, "Aå", nil},
		{"utf-8 then latin-1 is refused", "Åsa;" + latin, Auto, "", ErrMixedEncoding},
		{"latin-1 named UTF-8 is refused", latin, UTF8, "", ErrNotUTF8},
		{"a cut character after a byte-order mark is refused", "\xef\xbb\xbfA\xe2\x80", Auto, "", ErrNotUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One byte at a time finds characters cut between reads.
			for _, r := range []io.Reader{strings.NewReader(tt.in), iotest.OneByteReader(strings.NewReader(tt.in))} {
				tr, err := Text(r, tt.enc)
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(tr)
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				if tt.err == nil && string(got) != tt.want {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			}
		})
	}
	if _, err := Text(strings.NewReader(""), "EBCDIC"); err == nil {
		t.Error("an unknown encoding is accepted")
	}
}

func FuzzAutoText(f *testing.F) {
	f.Add([]byte("Åsa Öberg"))
	f.Add([]byte("\xc5sa \xd6berg"))
	f.Add([]byte("\xef\xbb\xbf\xe2\x80"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := Text(strings.NewReader(string(b)), Auto)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(tr)
		if errors.Is(err, ErrMixedEncoding) || errors.Is(err, ErrNotUTF8) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "\xff\xfe") && !strings.HasPrefix(string(b), "\xfe\xff") && !isUTF8(got) {
			t.Fatalf("output is not UTF-8: %q", got)
		}
	})
}

func isUTF8(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }

func TestDerivedID(t *testing.T) {
	a := DerivedID("duty", "p1", "u1")
	if a != DerivedID("duty", "p1", "u1") {
		t.Fatal("not stable")
	}
	for _, other := range []string{DerivedID("duty", "p1u", "1"), DerivedID("activity", "p1", "u1"), DutyID("p1", "u2")} {
		if other == a {
			t.Errorf("%s collides with %s", other, a)
		}
	}
	if len(a) != 36 || a[14] != '5' {
		t.Errorf("%s is not a version-5 UUID", a)
	}
}
