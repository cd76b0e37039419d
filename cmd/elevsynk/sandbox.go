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
	graphAddr := fs.String("graph-addr", "127.0.0.1:8082", "address of the Microsoft Graph sandbox (no authentication)")
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
		// The targets' users are the people of the register served.
		snap, err := wire.Normalize(st)
		if err != nil {
			return err
		}
		sb.serveUsersOf(snap)
	}
	servers := []struct {
		addr, what string
		h          http.Handler
	}{
		{*addr, "SS 12000 register sandbox (API under " + sb.register.BasePath() + ", token at /token, client " + sandboxClientID + ")", sb.register},
		{*graphAddr, "Microsoft Graph sandbox (API under /v1.0)", sb.graph},
		{*googleAddr, "Google Classroom and Directory sandbox (domain " + sandboxDomain + ")", sb.google},
	}
	errs := make(chan error, len(servers))
	for _, srv := range servers {
		ln, err := net.Listen("tcp", srv.addr)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s on http://%s\n", srv.what, ln.Addr())
		go func() { errs <- serve(ctx, ln, srv.h) }()
	}
	var all []error
	for range servers {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
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
