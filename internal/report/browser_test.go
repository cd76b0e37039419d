package report_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/plan"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/report"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/target"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
)

// demoInput is the report of the demo's tenant: config/samples' Tenant,
// Mapping and Microsoft 365 Target on the generated municipality (seed 1),
// against a target that holds every room but with drift: the first class
// team renamed, a substitute added to the second, and one room of ours no
// longer desired.
func demoInput(tb testing.TB, pupils int) (report.Input, string, string) {
	tb.Helper()
	sc := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(sc); err != nil {
		tb.Fatal(err)
	}
	if err := elevsynkv1.AddToScheme(sc); err != nil {
		tb.Fatal(err)
	}
	set, err := manifests.Read(filepath.Join("..", "..", "config", "samples"), sc)
	if err != nil {
		tb.Fatal(err)
	}
	tenant := manifests.In[*elevsynkv1.Tenant](set, "exempelstad")[0]
	m, _ := manifests.Get[*elevsynkv1.Mapping](set, "exempelstad", "skolor")
	tg, _ := manifests.Get[*elevsynkv1.Target](set, "exempelstad", "microsoft365")
	prog, err := mapping.Compile(m.Spec, mapping.TenantOptions(tenant.Spec))
	if err != nil {
		tb.Fatal(err)
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: 1, Pupils: pupils})
	day := roster.NewDate(2026, time.October, 5)
	want, rep, err := prog.Evaluate(snap, nil, day)
	if err != nil {
		tb.Fatal(err)
	}
	var have []target.Room
	renamed, substituted := "", ""
	for i, r := range want.Rooms {
		h := target.Room{Key: r.Key, Kind: r.Kind, ID: strconv.Itoa(i), Name: r.Name, Description: r.Description,
			MailNickname: r.MailNickname, Owners: r.Owners, Members: r.Members}
		switch {
		case r.Kind == elevsynkv1.RoomClassTeam && renamed == "":
			renamed, h.Name = r.Name, r.Name+" (gammal)"
		case r.Kind == elevsynkv1.RoomClassTeam && substituted == "":
			substituted = r.Name
			h.Members = append(append([]string{}, r.Members...), "vikarie@exempelstad.se")
		}
		have = append(have, h)
	}
	have = append(have, target.Room{Key: "gammal:group:1", Kind: elevsynkv1.RoomTeam, ID: "x", Name: "Gammalt arbetslag"})
	prep := platform.Prepare(want, have, &tg.Spec)
	p := plan.Compute(prep.Want, prep.Have, tg.Spec.Policy, day)
	return report.Input{Tenant: "exempelstad/exempelstad", DisplayName: tenant.Spec.DisplayName,
		GeneratedAt: time.Date(2026, 10, 5, 7, 0, 0, 0, time.UTC), Register: snap,
		Mappings: []report.MappingInput{{Name: m.Name, Want: want, Report: rep, Targets: []report.TargetInput{{
			Name: tg.Name, Platform: string(platform.Of(&tg.Spec)), Mode: tg.Spec.Mode, Want: prep.Want, Have: prep.Have, Plan: p}}}},
	}, renamed, substituted
}

// chromium is Debian's Chromium, which hack/chromium.sh installs (make
// test runs it); the test fails without it rather than skip.
func chromium(tb testing.TB) string {
	tb.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		tb.Fatal("chromium is not installed: run hack/chromium.sh (make test does)")
	}
	return path
}

// browse opens the file in headless Chromium with the flags that keep it
// off the network.
func browse(tb testing.TB, timeout time.Duration) (context.Context, context.CancelFunc) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(tb)),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true), chromedp.WindowSize(1400, 1800),
		chromedp.UserDataDir(tb.TempDir()))
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	return bctx, func() { cancelBrowser(); cancelAlloc(); cancelTimeout() }
}

// The demo tenant's report in a real browser: the tables are there, the
// counts are the desired state's, the search narrows the rows and the
// drifted rooms are marked. The screenshot is kept in bin/artifacts.
func TestReportInChromium(t *testing.T) {
	in, renamed, substituted := demoInput(t, 300)
	r := report.Build(in)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := report.WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	rooms := r.Targets[0].Rooms
	if len(rooms) <= 100 {
		t.Fatalf("the demo gives %d rooms; the paging check needs more than a page", len(rooms))
	}
	ctx, cancel := browse(t, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
		t.Fatal(err)
	}
	if !js[bool](t, ctx, `["rooms-0","schools","leftout","leftout-counts","findings","chart-schools","chart-actions"].every(id => document.getElementById(id))`) {
		t.Error("a table or chart of the report is missing")
	}
	total := js[int](t, ctx, `+document.getElementById("rooms-0").dataset.total`)
	if matches := js[string](t, ctx, `document.getElementById("matches-0").textContent`); total != len(rooms) || matches != strconv.Itoa(len(rooms)) {
		t.Errorf("the page counts %d rooms, %s matching; the report has %d", total, matches, len(rooms))
	}
	if want := len(in.Mappings[0].Targets[0].Want.Rooms) + 1; total != want {
		t.Errorf("the page counts %d rooms, want the %d desired rooms and the orphan", total, want-1)
	}
	if shown := js[int](t, ctx, `document.querySelectorAll("#rooms-0 tbody tr.room").length`); shown != 100 {
		t.Errorf("the first page shows %d rooms, want 100", shown)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "report-demo.png", shot)

	search := func(text string) string {
		return js[string](t, ctx, fmt.Sprintf(`(() => { const s = document.getElementById("search"); s.value = %q;
			s.dispatchEvent(new Event("input")); return document.getElementById("matches-0").textContent; })()`, text))
	}
	if n, err := strconv.Atoi(search(renamed)); err != nil || n < 1 || n >= len(rooms) {
		t.Errorf("searching %q leaves %d of %d rooms, want fewer but some", renamed, n, len(rooms))
	}
	marked := js[[]string](t, ctx, `[...document.querySelectorAll("#rooms-0 tbody tr.room.drifted")].map(tr => tr.cells[2].textContent + " | " + tr.cells[6].textContent)`)
	if len(marked) != 1 || !strings.Contains(marked[0], renamed) || !strings.Contains(marked[0], "Renamed") {
		t.Errorf("drifted rows after searching %q: %q, want the renamed room marked Renamed", renamed, marked)
	}
	if n := search("vikarie@"); n != "1" {
		t.Errorf("searching the substitute added to %q finds %s rooms, want 1", substituted, n)
	}
}

// js evaluates expr in the page.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// keep writes a test artefact into bin/artifacts.
func keep(t *testing.T, name string, data []byte) {
	dir := filepath.Join("..", "..", "bin", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(path)
	t.Log("screenshot:", abs)
}

// A 120 000-pupil municipality's report: building it and writing the page,
// then Chromium loading it until its tables are drawn (body[data-ready]).
// The file size is reported as MB/file.
//
//	go test ./internal/report -run '^$' -bench Report120k -benchtime 3x
func BenchmarkReport120k(b *testing.B) {
	in, _, _ := demoInput(b, 120000)
	path := filepath.Join(b.TempDir(), "report.html")
	if err := report.WriteFile(path, report.Build(in)); err != nil {
		b.Fatal(err)
	}
	b.Run("build+write", func(b *testing.B) {
		for b.Loop() {
			if err := report.WriteFile(path, report.Build(in)); err != nil {
				b.Fatal(err)
			}
		}
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(fi.Size())/1e6, "MB/file")
	})
	b.Run("chromium", func(b *testing.B) {
		ctx, cancel := browse(b, 10*time.Minute)
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err) // the browser's start is not the page's cost
		}
		for b.Loop() {
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="true"]`))); err != nil {
				b.Fatal(err)
			}
		}
	})
}
