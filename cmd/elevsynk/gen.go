package main

import (
	"context"
	"flag"
	"fmt"
	"io"

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

func runGen(_ context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	var g genFlags
	g.register(fs)
	dir := fs.String("o", "register", "directory to write organisations.json, persons.json, ... into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sb, err := g.sandboxes()
	if err != nil {
		return err
	}
	st := sb.register.Snapshot()
	if err := sandbox.WriteDir(*dir, st); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d organisations, %d persons, %d groups, %d duties, %d activities, %d syllabuses to %s\n",
		len(st.Organisations), len(st.Persons), len(st.Groups), len(st.Duties), len(st.Activities), len(st.Syllabuses), *dir)
	return nil
}
