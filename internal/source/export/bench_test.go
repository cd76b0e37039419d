package export

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"testing"
	"time"
)

// benchCSV is rows of a users.csv-like file: ids, names, dates, a
// Swedish letter now and then, 12 columns.
func benchCSV(rows int) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"sourcedId", "status", "dateLastModified", "enabledUser", "username", "givenName", "familyName", "email", "grades", "role", "orgSourcedIds", "metadata.x"})
	for i := range rows {
		n := strconv.Itoa(i)
		w.Write([]string{"user-" + n, "active", "2026-09-01T06:00:00Z", "true", "elev" + n + "@exempelstad.se", "Åsa", "Öberg" + n, "elev" + n + "@exempelstad.se", "07", "student", "school-" + strconv.Itoa(i%40), ""})
	}
	w.Flush()
	return b.Bytes()
}

// BenchmarkTable reads 200 000 rows with Table (Auto encoding, every
// column read with Get) against a plain encoding/csv pass over the same
// bytes with ReuseRecord, the floor Table stands on; x-csv is the ratio.
//
//	go test ./internal/source/export -run '^$' -bench Table -benchtime 10x -benchmem
func BenchmarkTable(b *testing.B) {
	data := benchCSV(200_000)
	var plain time.Duration
	b.Run("csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		start := time.Now()
		for range b.N {
			r := csv.NewReader(bytes.NewReader(data))
			r.ReuseRecord = true
			for {
				if _, err := r.Read(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
		plain = time.Since(start) / time.Duration(b.N)
	})
	b.Run("table", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		start := time.Now()
		for range b.N {
			t, err := NewTable("users.csv", bytes.NewReader(data), Auto, ',')
			if err != nil {
				b.Fatal(err)
			}
			var cols []Column
			for h := range t.cols {
				cols = append(cols, t.Column(h))
			}
			n := 0
			if err := t.Each(func(row Row) error {
				for _, c := range cols {
					n += len(row.Get(c))
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		if plain > 0 {
			b.ReportMetric(float64(time.Since(start)/time.Duration(b.N))/float64(plain), "x-csv")
		}
	})
}
