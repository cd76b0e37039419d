package sds

import (
	"net/http/httptest"
	"testing"

	"github.com/elevsynk/elevsynk/internal/benchdata"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/sds"
)

// BenchmarkUploadMunicipality is a first upload of a 120 000-pupil
// municipality's class rooms to the sandbox: build the SDS v2.1 set,
// write it to disk, upload it (create, append in 8 MiB chunks, flush),
// validate and read the run. It reports the bytes uploaded and the
// requests sent per upload.
func BenchmarkUploadMunicipality(b *testing.B) {
	snap, want, err := benchdata.Municipality(120_000)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var bytes, requests int64
	for range b.N {
		sb := sandbox.New(sandbox.Options{})
		srv := httptest.NewServer(sb)
		var w waits
		tg := newTarget(b, b.TempDir(), srv.URL, &w)
		syncOnce(b, tg, want, snap)
		c := sb.Counts()
		srv.Close()
		if st, _, _ := sb.LastRun(); st != "completed" {
			b.Fatalf("run %s", st)
		}
		bytes += c.Bytes
		requests += int64(c.Requests)
	}
	b.ReportMetric(float64(bytes)/float64(b.N), "bytes/upload")
	b.ReportMetric(float64(requests)/float64(b.N), "requests/upload")
}
