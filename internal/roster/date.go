package roster

import (
	"errors"
	"strconv"
	"time"
)

// Date is a civil date without time of day or zone. SS 12000 dates are
// calendar days ("2016-10-15", inclusive), and converting them to time.Time
// invites off-by-one errors around midnight and DST, so they stay dates.
//
// The zero Date means "not set"; for an end date that is open-ended, for a
// start date "since always". Dates are comparable with == and usable as map
// keys. The value is packed as yyyymmdd so that ordering is integer ordering
// and a Date costs four bytes (there are several per person at 120 000 pupils).
type Date struct{ ymd int32 }

// ErrInvalidDate is returned by ParseDate. It deliberately does not echo the
// input: a date next to an id can be a birth date.
var ErrInvalidDate = errors.New("roster: invalid date, want YYYY-MM-DD")

// NewDate returns the date y-m-d, normalised like time.Date (so 2024-02-30
// becomes 2024-03-01). Years outside 1..9999 give the zero Date.
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	if y < 1 || y > 9999 {
		return Date{}
	}
	return Date{int32(y*10000 + int(m)*100 + d)}
}

// ParseDate parses exactly "YYYY-MM-DD" (RFC 3339 full-date, year 0001-9999)
// and rejects impossible days such as 2023-02-29. The empty string is the
// zero Date, since registers leave open end dates empty.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, ErrInvalidDate
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return Date{}, ErrInvalidDate
	}
	return Date{int32(y*10000 + m*100 + d)}, nil
}

// MustParseDate is ParseDate for constants in tests and generators.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func (d Date) Year() int         { return int(d.ymd / 10000) }
func (d Date) Month() time.Month { return time.Month(d.ymd / 100 % 100) }
func (d Date) Day() int          { return int(d.ymd % 100) }

// IsZero reports whether d is unset (open-ended).
func (d Date) IsZero() bool { return d.ymd == 0 }

// Before, After, Equal and Compare are plain calendar comparisons; the zero
// Date sorts before every real date. For "open-ended" semantics use InRange.
func (d Date) Before(o Date) bool { return d.ymd < o.ymd }
func (d Date) After(o Date) bool  { return d.ymd > o.ymd }

// Equal makes go-cmp compare Dates by value despite the unexported field.
func (d Date) Equal(o Date) bool { return d.ymd == o.ymd }

// Compare returns -1, 0 or +1, for slices.SortFunc and friends.
func (d Date) Compare(o Date) int {
	switch {
	case d.ymd < o.ymd:
		return -1
	case d.ymd > o.ymd:
		return 1
	}
	return 0
}

// Time returns midnight UTC of d, or the zero time.Time for the zero Date.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// AddDays returns d+n days (n may be negative); the zero Date stays zero
// because "open-ended plus a grace window" is still open-ended.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return DateOf(d.Time().AddDate(0, 0, n))
}

// String formats d as "YYYY-MM-DD", and the zero Date as "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	b, _ := d.MarshalText()
	return string(b)
}

// MarshalText (and so JSON) writes "YYYY-MM-DD", or "" for the zero Date.
// Use the `omitzero` JSON option to leave unset dates out altogether.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	b := make([]byte, 0, 10)
	b = pad(b, d.Year(), 4)
	b = append(b, '-')
	b = pad(b, int(d.Month()), 2)
	b = append(b, '-')
	return pad(b, d.Day(), 2), nil
}

func pad(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// UnmarshalText accepts what ParseDate accepts (JSON null leaves d unchanged).
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// InRange reports whether d lies in the inclusive period [start, end], where
// a zero start or end is open. SS 12000 start and end dates are inclusive.
func InRange(d, start, end Date) bool {
	return (start.IsZero() || !d.Before(start)) && (end.IsZero() || !d.After(end))
}
