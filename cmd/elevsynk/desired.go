package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"k8s.io/apimachinery/pkg/types"

	elevsynkv1 "github.com/elevsynk/elevsynk/api/v1alpha1"
	"github.com/elevsynk/elevsynk/internal/desired"
	"github.com/elevsynk/elevsynk/internal/manifests"
	"github.com/elevsynk/elevsynk/internal/mapping"
	"github.com/elevsynk/elevsynk/internal/platform"
	"github.com/elevsynk/elevsynk/internal/roster"
)

// desiredRoom is one room of `elevsynk desired -o json`, the contract the
// README documents: other tools read it, so fields are only ever added.
type desiredRoom struct {
	Target  string              `json:"target"` // namespace/name of the Target
	Kind    elevsynkv1.RoomKind `json:"kind"`
	Key     string              `json:"key"`
	Name    string              `json:"name"`
	Owners  []string            `json:"owners"`
	Members []string            `json:"members"`
}

func runDesired(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("desired", flag.ContinueOnError)
	var mf manifestFlags
	mf.register(fs, "Tenant, RegisterSources (and their Secrets), Mappings, Targets",
		"table (counts of owners and members) or json (account keys)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	set, err := mf.read()
	if err != nil {
		return err
	}
	rooms, err := desiredRooms(ctx, set, time.Now())
	if err != nil {
		return err
	}
	if mf.format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string][]desiredRoom{"rooms": rooms})
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tKIND\tKEY\tNAME\tOWNERS\tMEMBERS")
	for _, r := range rooms {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\n", r.Target, r.Kind, r.Key, r.Name, len(r.Owners), len(r.Members))
	}
	return tw.Flush()
}

// desiredRooms evaluates, for every Target in set, the rooms its Mapping
// wants on the day of now as the Target holds them, sorted by target, kind
// and key.
func desiredRooms(ctx context.Context, set *manifests.Set, now time.Time) ([]desiredRoom, error) {
	targets := manifests.Of[*elevsynkv1.Target](set)
	if len(targets) == 0 {
		return nil, fmt.Errorf("the directory holds no Target")
	}
	states := map[types.NamespacedName]desired.State{} // by Mapping, evaluated once
	rooms := []desiredRoom{}
	for _, t := range targets {
		key := types.NamespacedName{Namespace: t.Namespace, Name: t.Spec.MappingRef.Name}
		st, ok := states[key]
		if !ok {
			var err error
			if st, err = evaluateMapping(ctx, set, key, now); err != nil {
				return nil, fmt.Errorf("target %s/%s: %w", t.Namespace, t.Name, err)
			}
			states[key] = st
		}
		// As the Target holds them: kinds of its platform, without the
		// rooms it cannot hold.
		for _, r := range platform.Prepare(st, nil, &t.Spec).Want.Rooms {
			rooms = append(rooms, desiredRoom{Target: t.Namespace + "/" + t.Name, Kind: r.Kind, Key: r.Key, Name: r.Name,
				Owners: r.Owners, Members: r.Members})
		}
	}
	slices.SortFunc(rooms, func(a, b desiredRoom) int {
		return cmp.Or(cmp.Compare(a.Target, b.Target), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key))
	})
	return rooms, nil
}

// evaluateMapping does what the Mapping controller does, from files: fetch
// the primary source, add the supplements, compile with the Tenant's
// options and evaluate.
func evaluateMapping(ctx context.Context, set *manifests.Set, key types.NamespacedName, now time.Time) (desired.State, error) {
	ev, err := evaluate(ctx, set, key, now)
	return ev.State, err
}

// evaluation is a Mapping's evaluation and the register it read.
type evaluation struct {
	State    desired.State
	Report   mapping.Report
	Register *roster.Snapshot
}

// evaluate is evaluateMapping with the Mapping's report and primary
// register.
func evaluate(ctx context.Context, set *manifests.Set, key types.NamespacedName, now time.Time) (evaluation, error) {
	m, ok := manifests.Get[*elevsynkv1.Mapping](set, key.Namespace, key.Name)
	if !ok {
		return evaluation{}, fmt.Errorf("mapping %s is not in the directory", key)
	}
	var opts mapping.Options
	day := roster.DateOf(now.In(stockholm()))
	if tenants := manifests.In[*elevsynkv1.Tenant](set, key.Namespace); len(tenants) == 1 {
		opts = mapping.TenantOptions(tenants[0].Spec)
		var err error
		if day, err = tenantDay(tenants[0], now); err != nil {
			return evaluation{}, err
		}
	}
	prog, err := mapping.Compile(m.Spec, opts)
	if err != nil {
		return evaluation{}, fmt.Errorf("mapping %s: %w", key, err)
	}
	var (
		primary     *roster.Snapshot
		supplements []mapping.Supplement
	)
	for i, ref := range m.Spec.SourceRefs {
		src, ok := manifests.Get[*elevsynkv1.RegisterSource](set, key.Namespace, ref.Name)
		if !ok {
			return evaluation{}, fmt.Errorf("mapping %s: RegisterSource %q is not in the directory", key, ref.Name)
		}
		if i > 0 {
			var read *mapping.Fetched
			if src.Spec.LDAP != nil || src.Spec.DirectoryGroups != nil {
				res, _, err := fetchSource(ctx, set, src)
				if err != nil {
					return evaluation{}, fmt.Errorf("source %s/%s: %w", src.Namespace, src.Name, err)
				}
				read = &mapping.Fetched{Directory: res.Directory, Groups: res.Groups}
			}
			s, err := mapping.SupplementOf(src, read)
			if err != nil {
				return evaluation{}, fmt.Errorf("mapping %s: %w", key, err)
			}
			supplements = append(supplements, s)
			continue
		}
		res, _, err := fetchSource(ctx, set, src)
		if err != nil {
			return evaluation{}, fmt.Errorf("source %s/%s: %w", src.Namespace, src.Name, err)
		}
		primary = res.Snapshot
	}
	st, rep, err := prog.Evaluate(primary, supplements, day)
	if err != nil {
		return evaluation{}, fmt.Errorf("mapping %s: %w", key, err)
	}
	return evaluation{State: st, Report: rep, Register: primary}, nil
}

// tenantDay is the day it is at now in the Tenant's time zone, as the
// controllers reckon it.
func tenantDay(t *elevsynkv1.Tenant, now time.Time) (roster.Date, error) {
	loc, err := t.Spec.Location()
	if err != nil {
		return roster.Date{}, fmt.Errorf("tenant %s/%s: %w", t.Namespace, t.Name, err)
	}
	return roster.DateOf(now.In(loc)), nil
}

// stockholm is the default time zone, for a directory without a Tenant.
func stockholm() *time.Location {
	loc, err := elevsynkv1.TenantSpec{}.Location()
	if err != nil {
		panic(err) // the embedded tzdata has it
	}
	return loc
}
