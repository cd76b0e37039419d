package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	gsandbox "github.com/elevsynk/elevsynk/internal/sandbox/google"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	wire "github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// The sample manifests' credentials (config/samples).
const (
	sandboxClientID     = "elevsynk"
	sandboxClientSecret = "sandbox-secret"
)

func runSandbox(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	var g genFlags
	g.register(fs)
	addr := fs.String("ss12000-addr", "127.0.0.1:8081", "address of the SS 12000 register sandbox (API under /v2.0, token at /token)")
	googleAddr := fs.String("google-addr", "127.0.0.1:8083", "address of the Google Classroom and Directory sandbox")
	from := fs.String("from", "", "serve the register `elevsynk gen` wrote into this directory instead of generating one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sb, err := g.sandboxes()
	if err != nil {
		return err
	}
	if *from != "" {
		st, err := sandbox.ReadDir(*from)
		if err != nil {
			return err
		}
		sb.register = sandbox.New(sandbox.Options{ClientID: sandboxClientID, ClientSecret: sandboxClientSecret})
		sb.register.Put(st)
		// The Workspace's users are the people of the register served.
		snap, err := wire.Normalize(st)
		if err != nil {
			return err
		}
		sb.google = gsandbox.New(gsandbox.Options{Domain: sandboxDomain, Users: accountsOf(snap)})
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	gln, err := net.Listen("tcp", *googleAddr)
	if err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintf(out, "SS 12000 sandbox on http://%s%s (token: http://%s/token, client %s)\n", ln.Addr(), sb.register.BasePath(), ln.Addr(), sandboxClientID)
	fmt.Fprintf(out, "Google Classroom and Directory sandbox on http://%s (domain %s)\n", gln.Addr(), sandboxDomain)
	errs := make(chan error, 2)
	go func() { errs <- serve(ctx, ln, sb.register) }()
	go func() { errs <- serve(ctx, gln, sb.google) }()
	return errors.Join(<-errs, <-errs)
}

// serve serves h on ln until ctx ends.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
