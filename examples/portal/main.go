package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

// run parses the flags, serves the portal until SIGINT or SIGTERM and
// returns what stopped it.
func run(args []string, getenv func(string) string, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9090", "address to listen on")
	fs.StringVar(&cfg.API, "api", "http://127.0.0.1:8080", "portalpass API base URL (the JWT issuer)")
	fs.StringVar(&cfg.Tenant, "tenant", "demo", "tenant id (the JWT audience)")
	fs.StringVar(&cfg.Key, "key", getenv("PORTALPASS_API_KEY"), "the tenant's API key (env PORTALPASS_API_KEY; prefer it: flags show in ps)")
	fs.BoolVar(&cfg.PKCE, "pkce", false, "run without a key: log in with the portal's own form and exchange with PKCE")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", false, "Secure, __Host- cookie: set when the portal is served over https")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.PKCE {
		cfg.Key = "" // PKCE mode holds no key, even one in the environment
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	p, err := New(cfg)
	if err != nil {
		return err
	}
	defer p.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := &http.Server{Addr: *addr, Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	mode := "hand-off with the API key"
	if cfg.PKCE {
		mode = "hand-off with PKCE, no key"
	}
	cfg.Logger.Info("portal listening", "url", "http://"+*addr, "api", cfg.API, "tenant", cfg.Tenant, "mode", mode)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
