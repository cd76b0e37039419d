package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/elevsynk/elevsynk/internal/atomicfile"
	"github.com/elevsynk/elevsynk/internal/rostergen"
	"github.com/elevsynk/elevsynk/internal/sandbox/imsexport"

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
	format := fs.String("format", "ss12000", "ss12000: the SS 12000 sandbox's JSON files; ims: a Tieto-style IMS Enterprise export, organisation.xml, for an imsEnterprise RegisterSource")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch *format {
	case "ss12000":
	case "ims":
		return genIMS(g, *dir, out)
	default:
		return fmt.Errorf("-format must be ss12000 or ims, not %q", *format)
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

// genIMS writes the generated municipality as dir/organisation.xml.
func genIMS(g genFlags, dir string, out io.Writer) error {
	if g.pupils < 1 {
		return fmt.Errorf("-pupils must be at least 1, not %d", g.pupils)
	}
	snap, _ := rostergen.Generate(rostergen.Config{Seed: g.seed, Pupils: g.pupils})
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	file := filepath.Join(dir, "organisation.xml")
	if err := atomicfile.Write(file, 0o600, func(w io.Writer) error { return imsexport.Write(w, snap) }); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d persons, %d groups, %d activities to %s\n", len(snap.Persons), len(snap.Groups), len(snap.Activities), file)
	return nil
}
