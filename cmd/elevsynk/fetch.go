package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/roster"
	"github.com/elevsynk/elevsynk/internal/source"
	"github.com/elevsynk/elevsynk/internal/target"
)

// fetched is one source's counts and findings: never who.
type fetched struct {
	Source   string             `json:"source"`
	Counts   roster.Counts      `json:"counts"`
	Findings []roster.KindCount `json:"findings"`
	Hash     string             `json:"contentHash"`
	Requests int                `json:"requests"`
}

func runFetch(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	var mf manifestFlags
	mf.register(fs, "RegisterSources and the Secrets they name", "table or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	set, err := mf.read()
	if err != nil {
		return err
	}
	sources := set.RegisterSources()
	if len(sources) == 0 {
		return fmt.Errorf("%s holds no RegisterSource", mf.dir)
	}
	var results []fetched
	for _, o := range sources {
		src := o.Object.(*elevsynkv1.RegisterSource)
		if src.Spec.Manual != nil {
			continue // its groups are in the manifest: nothing to fetch
		}
		res, err := fetchOne(ctx, set, src)
		if err != nil {
			return fmt.Errorf("%s: %w", o.Where(), err)
		}
		results = append(results, res)
	}
	if mf.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"sources": results})
	}
	printFetched(out, results)
	return nil
}

func fetchOne(ctx context.Context, set *manifests.Set, src *elevsynkv1.RegisterSource) (fetched, error) {
	res, counts, err := fetchSource(ctx, set, src)
	if err != nil {
		return fetched{}, err
	}
	return fetched{
		Source: src.Namespace + "/" + src.Name, Counts: counts, Hash: res.Hash(),
		Findings: res.Findings(), Requests: res.Requests,
	}, nil
}

// fetchSource reads a register or a directory in full with the Secrets in
// set, refusing an empty one as the controller would.
func fetchSource(ctx context.Context, set *manifests.Set, src *elevsynkv1.RegisterSource) (*source.Result, roster.Counts, error) {
	secrets := func(_ context.Context, name string) (map[string][]byte, error) {
		s, ok := set.Secret(src.Namespace, name)
		if !ok {
			return nil, apierrors.NewNotFound(corev1.Resource("secrets"), name)
		}
		return s.Data, nil
	}
	// A directoryGroups source reads through a Target of the directory, as
	// the controller does.
	readers := func(ctx context.Context, name string) (target.GroupReader, error) {
		t, ok := manifests.Get[*elevsynkv1.Target](set, src.Namespace, name)
		if !ok {
			return nil, fmt.Errorf("no Target %q in the directory", name)
		}
		var data map[string][]byte
		if s := platform.SecretName(&t.Spec); s != "" {
			var err error
			if data, err = secrets(ctx, s); err != nil {
				return nil, err
			}
		}
		return platform.GroupReader(ctx, platform.Connect, t, data)
	}
	f, err := source.New(ctx, src, secrets, readers)
	if err != nil {
		return nil, roster.Counts{}, err
	}
	res, err := f.Fetch(ctx, nil, true)
	if err != nil {
		return nil, roster.Counts{}, err
	}
	day := roster.DateOf(time.Now())
	if err := res.Guard(nil, day, 100); err != nil {
		return nil, roster.Counts{}, err
	}
	return res, res.Counts(day), nil
}

func printFetched(out io.Writer, results []fetched) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSCHOOL UNITS\tPERSONS\tSTUDENTS\tSTAFF\tGROUPS\tDUTIES\tACTIVITIES\tSYLLABUSES\tREQUESTS")
	for _, r := range results {
		c := r.Counts
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", r.Source, c.SchoolUnits, c.Persons, c.Students, c.Staff,
			c.Groups, c.Duties, c.Activities, c.Syllabuses, r.Requests)
	}
	tw.Flush()
	for _, r := range results {
		fmt.Fprintf(out, "\nfindings in %s (content hash %s):\n", r.Source, r.Hash)
		if len(r.Findings) == 0 {
			fmt.Fprintln(out, "  none")
		}
		for _, f := range r.Findings {
			fmt.Fprintf(out, "  %-24s %d\n", f.Kind, f.Count)
		}
	}
}
