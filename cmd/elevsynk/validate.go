package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

func runValidate(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	dir := fs.String("f", "", "directory of manifests, as a configuration repository holds them")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("-f DIR is required")
	}
	s, err := schemas()
	if err != nil {
		return fmt.Errorf("loading the embedded CRDs: %w", err)
	}
	rep, err := s.Dir(ctx, *dir, scheme())
	if err != nil {
		return err
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(out, p)
	}
	errs := rep.Errors()
	fmt.Fprintf(out, "%d objects checked: %d errors, %d warnings\n", rep.Objects, errs, len(rep.Problems)-errs)
	if errs > 0 {
		return exitError{code: 1}
	}
	return nil
}
