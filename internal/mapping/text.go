package mapping

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldTable maps the non-ASCII letters of Swedish and its neighbours (and
// of names common in Swedish schools) to ASCII. Anything else that is not
// ASCII is treated as a separator: unpredictable transliteration in an
// address is worse than a dash.
var foldTable = map[rune]string{
	'å': "a", 'ä': "a", 'ö': "o", 'Å': "A", 'Ä': "A", 'Ö': "O",
	'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'Á': "A", 'À': "A", 'Â': "A", 'Ã': "A",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'É': "E", 'È': "E", 'Ê': "E", 'Ë': "E",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'Í': "I", 'Ì': "I", 'Î': "I", 'Ï': "I",
	'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o", 'ø': "o", 'Ó': "O", 'Ò': "O", 'Ô': "O", 'Õ': "O", 'Ø': "O",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u", 'Ú': "U", 'Ù': "U", 'Û': "U", 'Ü': "U",
	'ý': "y", 'ÿ': "y", 'Ý': "Y", 'ñ': "n", 'Ñ': "N", 'ç': "c", 'Ç': "C",
	'æ': "ae", 'Æ': "AE", 'ß': "ss", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "TH",
}

// fold returns s with foldTable applied; other non-ASCII runes become ' '.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch f, ok := foldTable[r]; {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case ok:
			b.WriteString(f)
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// maxNickname is Microsoft's mailNickname limit; Google's local part
// allows more, so the stricter one rules.
const maxNickname = 64

// Slug makes s a mail nickname acceptable to both Microsoft (mailNickname:
// ASCII without spaces or @()\[]";:<>, at most 64) and Google (group
// address local part: letters, digits, '-', '_', '.'; no leading, trailing
// or doubled '.'): lower-case ASCII letters and digits, with every other run
// of characters turned into one '-', å/ä/ö folded to a/a/o, '.' and '_' kept
// but never first, last or doubled, at most 64 characters. A string with no
// letter or digit gives "".
func Slug(s string) string { return slugN(s, maxNickname) }

// slugN is Slug with another length limit.
func slugN(s string, limit int) string {
	s = fold(s)
	b := make([]byte, 0, min(len(s), limit))
	var pending byte // separator waiting for the next letter or digit
	for i := 0; i < len(s) && len(b) < limit; i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '.' || c == '_':
			if pending == 0 || pending == '-' && c != '-' {
				pending = c
			}
			continue
		default:
			if pending == 0 {
				pending = '-'
			}
			continue
		}
		if pending != 0 && len(b) > 0 {
			if len(b)+2 > limit {
				break
			}
			b = append(b, pending)
		}
		pending = 0
		b = append(b, c)
	}
	return string(b)
}

// Abbreviate derives a school abbreviation from a name, deterministically:
// fold to upper-case ASCII and split into words at anything but letters
// and digits; a word of digits is kept whole ("2"); then
//   - one word: its first three letters ("Björkskolan" → "BJO");
//   - several words: the first two letters of the first word and the first
//     letter of each further word ("Norra skolan" → "NOS",
//     "Björkskolan 2" → "BJ2").
//
// The result has at most 8 characters. School.Abbreviation adds to this an
// explicit table (Options.Abbreviations) and a number that tells apart
// schools whose derived abbreviations collide (see abbreviations).
func Abbreviate(name string) string {
	words := strings.FieldsFunc(strings.ToUpper(fold(name)), func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	})
	if len(words) == 0 {
		return ""
	}
	var b strings.Builder
	for i, w := range words {
		switch {
		case isDigits(w):
			b.WriteString(w)
		case len(words) == 1:
			b.WriteString(w[:min(3, len(w))])
		case i == 0:
			b.WriteString(w[:min(2, len(w))])
		default:
			b.WriteByte(w[0])
		}
	}
	out := b.String()
	return out[:min(8, len(out))]
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var errNegativeTruncate = errors.New("truncate: length must not be negative")

// truncate keeps the first n characters (runes, not bytes, so å is one) of
// s, trimming trailing spaces left at the cut. Its argument order makes it
// usable in a pipeline: {{ .Activity.DisplayName | truncate 20 }}.
func truncate(n int, s string) (string, error) {
	if n < 0 {
		return "", errNegativeTruncate
	}
	if utf8.RuneCountInString(s) <= n {
		return s, nil
	}
	i, count := 0, 0
	for i = range s {
		if count == n {
			break
		}
		count++
	}
	return strings.TrimRightFunc(s[:i], unicode.IsSpace), nil
}

// twoDigits is the year within its century, "07" for 2007.
func twoDigits(y int) string {
	s := strconv.Itoa(y % 100)
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
