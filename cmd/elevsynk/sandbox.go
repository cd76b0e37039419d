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
	from := fs.String("from", "", "serve the register `elevsynk gen` wrote into this directory instead of generating one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := sandbox.Options{ClientID: sandboxClientID, ClientSecret: sandboxClientSecret}
	var srv *sandbox.Server
	if *from != "" {
		st, err := sandbox.ReadDir(*from)
		if err != nil {
			return err
		}
		srv = sandbox.New(opts)
		srv.Put(st)
	} else {
		var err error
		if srv, err = g.server(opts); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "SS 12000 sandbox on http://%s%s (token: http://%s/token, client %s)\n", ln.Addr(), srv.BasePath(), ln.Addr(), sandboxClientID)
	return serve(ctx, ln, srv)
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
