package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/elevsynk/elevsynk/internal/sandbox/loopbacktls"
	sandbox "github.com/elevsynk/elevsynk/internal/sandbox/ss12000"
	wire "github.com/elevsynk/elevsynk/internal/source/ss12000"
)

// The sample manifests' credentials (config/samples): the register's,
// and the Microsoft 365 tenant's app registration.
const (
	sandboxClientID     = "elevsynk"
	sandboxClientSecret = "sandbox-secret"
	graphTenantID       = "11111111-2222-3333-4444-555555555555"
	graphClientID       = "00000000-0000-0000-0000-000000000001"
	graphClientSecret   = "sandbox-secret"
)

func runSandbox(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	var g genFlags
	g.register(fs)
	// Not 8080 and 8081: the manager's metrics and probes bind those.
	addr := fs.String("ss12000-addr", "127.0.0.1:18081", "address of the SS 12000 register sandbox (API under /v2.0, token at /token)")
	graphAddr := fs.String("graph-addr", "127.0.0.1:18082", "address of the Microsoft Graph sandbox, on https (API under /v1.0, School Data Sync's industryData under /beta, Microsoft Entra authority at /)")
	googleAddr := fs.String("google-addr", "127.0.0.1:18083", "address of the Google Classroom and Directory sandbox")
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
		tls        bool
	}{
		{*addr, "SS 12000 register sandbox (API under " + sb.register.BasePath() + ", token at /token, client " + sandboxClientID + ")", sb.register, false},
		{*graphAddr, "Microsoft Graph sandbox (API under /v1.0, School Data Sync industryData under /beta, authority at /, tenant " + graphTenantID + ", client " + graphClientID + ")", sb.graphAndSDS(), true},
		{*googleAddr, "Google Classroom and Directory sandbox (domain " + sandboxDomain + ")", sb.google, false},
	}
	errs := make(chan error, len(servers))
	for _, srv := range servers {
		ln, scheme, err := listen(srv.addr, srv.tls)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s on %s://%s\n", srv.what, scheme, ln.Addr())
		go func() { errs <- serve(ctx, ln, srv.h) }()
	}
	var all []error
	for range servers {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}

// listen listens on addr, with the sandboxes' certificate when secure
// (internal/sandbox/loopbacktls: a Target trusts it only on a loopback
// host and with the sandbox annotation).
func listen(addr string, secure bool) (net.Listener, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil || !secure {
		return ln, "http", err
	}
	return tls.NewListener(ln, loopbacktls.ServerConfig()), "https", nil
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
