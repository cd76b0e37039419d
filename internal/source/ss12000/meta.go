package ss12000

import (
	"encoding/json"
	"errors"
	"time"
)

// Meta is components/schemas/Meta. Both timestamps are required by the
// spec, but a vendor that leaves one out or empty should not cost us the
// whole page: they decode to the zero time.
type Meta struct {
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
}

var errTimestamp = errors.New("ss12000: invalid meta timestamp")

// UnmarshalJSON accepts RFC 3339 date-times (what the spec says) and, since
// some vendors emit them, date-times without a zone, which are read as UTC.
// The error does not echo the value.
func (m *Meta) UnmarshalJSON(b []byte) error {
	var raw struct {
		Created  *string `json:"created"`
		Modified *string `json:"modified"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var err error
	if m.Created, err = parseTimestamp(raw.Created); err != nil {
		return err
	}
	m.Modified, err = parseTimestamp(raw.Modified)
	return err
}

func parseTimestamp(s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, *s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", *s, time.UTC); err == nil {
		return t, nil
	}
	return time.Time{}, errTimestamp
}
