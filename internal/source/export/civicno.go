package export

import (
	"errors"
	"strings"

	"github.com/elevsynk/elevsynk/internal/roster"
)

// ErrCivicNo is a civic number that is not one; the message holds no digit
// of it.
var ErrCivicNo = errors.New("not a personnummer or samordningsnummer: want YYYYMMDDNNNN, YYYYMMDD-NNNN, YYMMDD-NNNN or YYMMDDNNNN with a valid check digit")

// CivicNo normalises a personnummer or samordningsnummer to the 12 digits
// SS 12000 uses (YYYYMMDDNNNN). The ten-digit forms get their century the
// way Skatteverket writes them: YYMMDD-NNNN (or without separator) is the
// latest year ending in YY that is not after today, YYMMDD+NNNN is a
// hundred years before that (a person 100 or older). Day 61-91 is a
// samordningsnummer. The check digit must hold, so a mistyped number does
// not join the wrong person in a supplement.
func CivicNo(s string, today roster.Date) (roster.CivicNo, error) {
	s = strings.ReplaceAll(s, " ", "")
	plus := false
	if len(s) == 11 || len(s) == 13 {
		sep := s[len(s)-5]
		if sep != '-' && sep != '+' {
			return "", ErrCivicNo
		}
		plus = sep == '+'
		s = s[:len(s)-5] + s[len(s)-4:]
	}
	if !allDigits(s) {
		return "", ErrCivicNo
	}
	switch len(s) {
	case 12:
	case 10:
		yy := int(s[0]-'0')*10 + int(s[1]-'0')
		year := today.Year() - (today.Year()%100-yy+100)%100
		if plus {
			year -= 100
		}
		if year < 1 {
			return "", ErrCivicNo
		}
		s = pad4(year) + s[2:]
	default:
		return "", ErrCivicNo
	}
	month := int(s[4]-'0')*10 + int(s[5]-'0')
	day := int(s[6]-'0')*10 + int(s[7]-'0')
	if day > 60 {
		day -= 60
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || !luhn(s[2:]) {
		return "", ErrCivicNo
	}
	return roster.CivicNo(s), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func pad4(n int) string {
	return string([]byte{byte('0' + n/1000%10), byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}

// luhn checks the ten digits YYMMDDNNNC, doubling every other digit from
// the left (Skatteverket's rule).
func luhn(ten string) bool {
	sum := 0
	for i := 0; i < 10; i++ {
		d := int(ten[i] - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
