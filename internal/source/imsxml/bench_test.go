package imsxml

import (
	"bytes"
	"encoding/xml"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/elevsynk/elevsynk/internal/benchdata"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/sandbox/imsexport"
	"github.com/elevsynk/elevsynk/internal/source/export"
)

// BenchmarkRead120k reads a generated 120 000-pupil municipality's IMS
// export, against a plain encoding/xml token pass over the same bytes (the
// floor any token-by-token reader stands on). Goal: at most 1.5 times the
// token pass, under 1 GiB above the export's bytes.
//
//	go test ./internal/source/imsxml -run '^$' -bench Read120k -benchtime 3x
func BenchmarkRead120k(b *testing.B) {
	gen, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: 120_000})
	var buf bytes.Buffer
	if err := imsexport.Write(&buf, gen); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	gen = nil
	b.Logf("export: %.0f MB", float64(len(data))/1e6)

	// CPU time, not wall time: other processes on the machine then do not
	// skew the ratio.
	var tokens time.Duration
	b.Run("tokens", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		start := benchdata.CPUTime()
		for range b.N {
			d := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
		tokens = (benchdata.CPUTime() - start) / time.Duration(b.N)
		b.ReportMetric(tokens.Seconds(), "cpu-s/op")
	})
	b.Run("rawtokens", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		start := benchdata.CPUTime()
		for range b.N {
			d := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := d.RawToken(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(((benchdata.CPUTime() - start) / time.Duration(b.N)).Seconds(), "cpu-s/op")
	})
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		peak := heapPeak()
		start := benchdata.CPUTime()
		for range b.N {
			st, err := Read(bytes.NewReader(data), "export.xml", export.Auto, nil)
			if err != nil {
				b.Fatal(err)
			}
			if s := st.Snapshot(); len(s.Persons) < 120_000 {
				b.Fatalf("%d persons", len(s.Persons))
			}
		}
		read := (benchdata.CPUTime() - start) / time.Duration(b.N)
		b.ReportMetric(read.Seconds(), "cpu-s/op")
		if tokens > 0 {
			b.ReportMetric(float64(read)/float64(tokens), "x-tokens")
		}
		b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MiB")
	})
}

// heapPeak samples the heap until the returned func is called, and
// returns the highest value seen above what was live when it started (the
// export's bytes, which a manager streams from a file instead).
func heapPeak() func() uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var (
		mu   sync.Mutex
		max  uint64
		done = make(chan struct{})
	)
	go func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(sample)
				mu.Lock()
				max = maxOf(max, sample[0].Value.Uint64())
				mu.Unlock()
			}
		}
	}()
	return func() uint64 {
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return max - min(max, base)
	}
}

func maxOf(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
