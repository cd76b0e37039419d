// Command elevsynk is the CLI: it previews what the operator would do, from
// the same manifests a configuration repository holds, and runs the sandboxes
// and the demo.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Tenants' time zones on any machine
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, out io.Writer) error
}

var commands = []command{
	{"gen", "write a generated municipality's register as SS 12000 JSON files", runGen},
	{"sandbox", "serve a generated register over the SS 12000 API", runSandbox},
	{"fetch", "fetch each RegisterSource in a directory of manifests and print counts and findings", runFetch},
	{"desired", "print the rooms each Target in a directory of manifests wants, from its live sources", runDesired},
	{"demo", "run the main job end to end on a local control plane and sandboxes", runDemo},
	{"validate", "check a directory of manifests offline: CRD schemas and rules, Mapping rules, references", runValidate},
	{"plan", "show what each Target in a directory of manifests would write, writing nothing; exit 2 if anything", runPlan},
	{"report", "write an HTML or JSON overview of each Tenant's rooms and members, desired against observed (personal data)", runReport},
}

// exitError carries an exit code other than 1.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, out, errOut io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(errOut)
		return 2
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], out)
		var ee exitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ee):
			return ee.code
		case errors.Is(err, flag.ErrHelp):
			return 2
		}
		fmt.Fprintf(errOut, "elevsynk %s: %v\n", c.name, err)
		return 1
	}
	fmt.Fprintf(errOut, "elevsynk: unknown command %q\n", args[0])
	usage(errOut)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: elevsynk <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'elevsynk <command> -h' for a command's flags.")
}
