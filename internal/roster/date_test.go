package roster

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2024-08-19", want: NewDate(2024, time.August, 19)},
		{in: "2024-02-29", want: NewDate(2024, time.February, 29)}, // leap year
		{in: "0001-01-01", want: NewDate(1, time.January, 1)},
		{in: "9999-12-31", want: NewDate(9999, time.December, 31)},
		{in: "", want: Date{}}, // open-ended end date
		{in: "2023-02-29", wantErr: true},
		{in: "2024-04-31", wantErr: true},
		{in: "2024-13-01", wantErr: true},
		{in: "2024-00-10", wantErr: true},
		{in: "2024-01-00", wantErr: true},
		{in: "0000-01-01", wantErr: true},
		{in: "2024-1-01", wantErr: true},
		{in: "2024/01/01", wantErr: true},
		{in: "2024-01-01T00:00:00Z", wantErr: true},
		{in: "+024-01-01", wantErr: true},
		{in: "20240101", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidDate) {
					t.Fatalf("ParseDate(%q) error = %v, want ErrInvalidDate", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDateComparisons(t *testing.T) {
	a, b := MustParseDate("2024-08-19"), MustParseDate("2025-01-07")
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"a before b", a.Before(b), true},
		{"b before a", b.Before(a), false},
		{"b after a", b.After(a), true},
		{"a after a", a.After(a), false},
		{"zero before a", Date{}.Before(a), true},
		{"zero is zero", Date{}.IsZero(), true},
		{"a not zero", a.IsZero(), false},
		{"AddDays across year", a.AddDays(141) == b, true},
		{"AddDays negative", b.AddDays(-141) == a, true},
		{"AddDays keeps zero", Date{}.AddDays(10).IsZero(), true},
		{"leap day", MustParseDate("2024-02-28").AddDays(1) == MustParseDate("2024-02-29"), true},
		{"DateOf keeps local day", DateOf(time.Date(2024, 8, 19, 23, 30, 0, 0, time.FixedZone("CEST", 7200))) == a, true},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestInRange(t *testing.T) {
	start, end := MustParseDate("2024-08-19"), MustParseDate("2025-06-13")
	tests := []struct {
		name       string
		d          string
		start, end Date
		want       bool
	}{
		{"on start (inclusive)", "2024-08-19", start, end, true},
		{"on end (inclusive)", "2025-06-13", start, end, true},
		{"day before start", "2024-08-18", start, end, false},
		{"day after end", "2025-06-14", start, end, false},
		{"open end", "2099-01-01", start, Date{}, true},
		{"open start", "1999-01-01", Date{}, end, true},
		{"fully open", "2000-01-01", Date{}, Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Membership{PersonID: "p", StartDate: tt.start, EndDate: tt.end}
			if got := m.ActiveOn(MustParseDate(tt.d)); got != tt.want {
				t.Errorf("ActiveOn(%s) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Start Date `json:"start"`
		End   Date `json:"end,omitzero"`
	}
	tests := []struct {
		name string
		in   doc
		json string
	}{
		{"both set", doc{MustParseDate("2024-08-19"), MustParseDate("2025-06-13")}, `{"start":"2024-08-19","end":"2025-06-13"}`},
		{"open end omitted", doc{Start: MustParseDate("2024-08-19")}, `{"start":"2024-08-19"}`},
		{"zero without omitzero is empty string", doc{}, `{"start":""}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.json {
				t.Errorf("Marshal = %s, want %s", b, tt.json)
			}
			var back doc
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.in, back); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	var d doc
	if err := json.Unmarshal([]byte(`{"start":"2024-02-30"}`), &d); err == nil {
		t.Error("Unmarshal accepted 2024-02-30")
	}
}

// FuzzParseDate: whatever ParseDate accepts must print back to the same
// string and survive a JSON round trip; it must never panic.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-08-19", "2024-02-29", "0001-01-01", "9999-12-31", "", "2023-02-29", "abcd-ef-gh", "2024-1-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		if !d.IsZero() {
			tm, terr := time.Parse(time.DateOnly, s)
			if terr != nil || DateOf(tm) != d {
				t.Fatalf("ParseDate(%q) = %s but time.Parse says %v, %v", s, d, tm, terr)
			}
		}
		b, _ := json.Marshal(d)
		var back Date
		if err := json.Unmarshal(b, &back); err != nil || back != d {
			t.Fatalf("JSON round trip of %q: %s, %v", s, b, err)
		}
	})
}
