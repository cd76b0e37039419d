package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/elevsynk/elevsynk/internal/rostergen"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
)

// genFlags are the generator's settings, shared by gen, sandbox and demo.
type genFlags struct {
	seed   int64
	pupils int
}

func (g *genFlags) register(fs *flag.FlagSet) {
	fs.Int64Var(&g.seed, "seed", 1, "seed of the generated municipality; the same seed gives the same register")
	fs.IntVar(&g.pupils, "pupils", 300, "number of pupils, from a 300-pupil demo to 120000")
}

// server returns an SS 12000 sandbox serving the generated municipality.
func (g *genFlags) server(opts sandbox.Options) (*sandbox.Server, error) {
	if g.pupils < 1 {
		return nil, fmt.Errorf("-pupils must be at least 1, not %d", g.pupils)
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: g.seed, Pupils: g.pupils})
	srv := sandbox.New(opts)
	srv.FromSnapshot(snap)
	return srv, nil
}

func runGen(_ context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	var g genFlags
	g.register(fs)
	dir := fs.String("o", "register", "directory to write organisations.json, persons.json, ... into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := g.server(sandbox.Options{})
	if err != nil {
		return err
	}
	st := srv.Snapshot()
	if err := sandbox.WriteDir(*dir, st); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d organisations, %d persons, %d groups, %d duties, %d activities, %d syllabuses to %s\n",
		len(st.Organisations), len(st.Persons), len(st.Groups), len(st.Duties), len(st.Activities), len(st.Syllabuses), *dir)
	return nil
}
