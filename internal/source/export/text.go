package export

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// The encodings a FileSource may name (its spec.encoding).
const (
	Auto        = "Auto"
	UTF8        = "UTF-8"
	ISO88591    = "ISO-8859-1"
	Windows1252 = "Windows-1252"
)

// Text returns r decoded to UTF-8 from enc, one of the names above ("" is
// Auto). A UTF-8 byte-order mark is dropped in every case, and text that
// says it is UTF-8 (by the mark or by enc) must be: ErrNotUTF8. Auto also reads
// a UTF-16 byte-order mark, and otherwise passes valid UTF-8 through and
// reads the file as Windows-1252 from its first byte that is not UTF-8 on:
// Excel and older Windows tools write Swedish text that way, and
// Windows-1252 is ISO-8859-1 with printable characters in place of C1
// controls. A file that is UTF-8 with non-ASCII text first and then
// something else is an error rather than a guess, since no one reading
// would be right.
func Text(r io.Reader, enc string) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		return &autoReader{r: br, strict: true}, nil
	case enc == UTF8:
		return &autoReader{r: br, strict: true}, nil
	case enc == ISO88591:
		return charmap.ISO8859_1.NewDecoder().Reader(br), nil
	case enc == Windows1252:
		return charmap.Windows1252.NewDecoder().Reader(br), nil
	case enc != Auto && enc != "":
		return nil, fmt.Errorf("unknown encoding %q, want %s, %s, %s or %s", enc, Auto, UTF8, ISO88591, Windows1252)
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Reader(br), nil
	}
	return &autoReader{r: br}, nil
}

// CharsetReader is encoding/xml's Decoder.CharsetReader for the encodings
// an XML declaration may name in a Swedish export.
func CharsetReader(label string, r io.Reader) (io.Reader, error) {
	var e encoding.Encoding
	switch strings.ToLower(label) {
	case "utf-8", "utf8":
		return r, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		e = charmap.ISO8859_1
	case "windows-1252", "cp1252":
		e = charmap.Windows1252
	case "iso-8859-15", "latin9":
		e = charmap.ISO8859_15
	default:
		return nil, fmt.Errorf("the XML declaration names encoding %q; want UTF-8, ISO-8859-1, ISO-8859-15 or Windows-1252", label)
	}
	return e.NewDecoder().Reader(r), nil
}

// ErrMixedEncoding is text that is UTF-8 with non-ASCII characters and
// later bytes that are not UTF-8.
var ErrMixedEncoding = errors.New("the text is UTF-8 at first and then not: set spec's encoding to the one the export uses")

// ErrNotUTF8 is text said to be UTF-8 that is not.
var ErrNotUTF8 = errors.New("the text is not valid UTF-8 although it says it is")

// autoReader passes UTF-8 through until a byte that is not UTF-8, then
// decodes the rest as Windows-1252 if everything before was ASCII; strict,
// it refuses such a byte.
type autoReader struct {
	r        *bufio.Reader
	strict   bool
	nonASCII bool      // a multi-byte UTF-8 character has been passed
	latin    io.Reader // set once the text turned out not to be UTF-8
}

func (a *autoReader) Read(p []byte) (int, error) {
	if a.latin != nil {
		return a.latin.Read(p)
	}
	if len(p) < utf8.UTFMax {
		return 0, io.ErrShortBuffer
	}
	// Hold back the last bytes of a read that may be the start of a
	// character, so no character is judged cut in half.
	n, err := a.r.Read(p[:len(p)-utf8.UTFMax+1])
	for n > 0 && !utf8.FullRune(p[lastStart(p[:n]):n]) && err == nil {
		m, err2 := a.r.Read(p[n : n+1])
		n += m
		err = err2
	}
	valid := validPrefix(p[:n], &a.nonASCII)
	if valid == n {
		return n, err
	}
	switch {
	case a.strict:
		return valid, ErrNotUTF8
	case a.nonASCII:
		return valid, ErrMixedEncoding
	}
	rest := io.MultiReader(bytes.NewReader(bytes.Clone(p[valid:n])), a.r)
	a.latin = charmap.Windows1252.NewDecoder().Reader(rest)
	if valid > 0 {
		return valid, nil
	}
	return a.latin.Read(p)
}

// lastStart is the index where the last (possibly partial) character of b
// begins.
func lastStart(b []byte) int {
	i := len(b) - 1
	for i > 0 && len(b)-i < utf8.UTFMax && !utf8.RuneStart(b[i]) {
		i--
	}
	return i
}

// validPrefix is the length of b's longest valid UTF-8 prefix; it notes
// whether that prefix holds a non-ASCII character.
func validPrefix(b []byte, nonASCII *bool) int {
	for i := 0; i < len(b); {
		// Eight bytes at a time while they are ASCII, as most of an
		// export is: a byte-by-byte check costs a fifth of a table read.
		for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
			i += 8
		}
		if i == len(b) {
			break
		}
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		*nonASCII = true
		i += size
	}
	return len(b)
}
