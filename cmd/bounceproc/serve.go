package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/bounceproc/bounceproc/httpapi"
	"github.com/bounceproc/bounceproc/suppress"
	"github.com/bounceproc/bounceproc/web"
)

func init() {
	commands = append(commands, command{
		name:    "serve",
		summary: "serve the paste-and-decode page, the lookup API and metrics",
		run: func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			fs := newFlagSet("serve", "[--addr 127.0.0.1:8080] [--dir DIR] [--db DB] [--api-token-file F]\n"+
				"    [--postmark-auth-file F] [--mailgun-key-file F] [--sendgrid-public-key-file F] [--sns-topic-arn ARN]... [--config FILE]\n\n"+
				"Serves the paste-and-decode page at /. The page and its WebAssembly module are embedded in a\n"+
				"binary built with `make build`; one built otherwise (go build, go install) serves a page\n"+
				"that says how to build the module, or serves it from --dir.\n\n"+
				"It serves GET /metrics (Prometheus text format: webhook events, the process; with --db also\n"+
				"what runs recorded in the store and the store's counts); with --db and --api-token-file,\n"+
				"the lookup API, read-only:\n"+
				"GET /v1/suppressions/ADDRESS and POST /v1/suppressions/check, for clients that send\n"+
				"\"Authorization: Bearer TOKEN\". Lookups are answered from a copy of the store in memory\n"+
				"(about 210 MB for a million entries) that takes in what other processes write within about\n"+
				"a second. With --db and a provider's secret, that provider's webhook:\n"+
				"POST /webhooks/ses (SNS, signature checked, topics allowed by --sns-topic-arn),\n"+
				"/webhooks/sendgrid (ECDSA), /webhooks/postmark (basic auth), /webhooks/mailgun (HMAC); each\n"+
				"event is recorded in the store, once by its provider's event ID, before it is answered.\n"+
				"Every flag can also be given as "+envPrefix+"<FLAG> (e.g. BOUNCEPROC_API_TOKEN_FILE) or in\n"+
				"--config FILE, as for run.", stderr)
			var opts serveOptions
			var config string
			fs.StringVar(&opts.addr, "addr", "127.0.0.1:8080", "`address` to listen on")
			fs.StringVar(&opts.dir, "dir", "", "take "+web.WasmFile+" and "+web.ExecFile+" from `folder` (as `make web` builds it) instead of the binary")
			fs.StringVar(&opts.db, "db", "", "suppression store: an SQLite file or a postgres:// URL, as for run (else $"+dbEnv+"). Lookups and\n"+
				"metrics only read it; the webhooks record into it")
			fs.StringVar(&dbPasswordFile, "db-password-file", "", "file holding the PostgreSQL password (its first line)")
			fs.StringVar(&opts.apiTokenFile, "api-token-file", "", "enable /v1/ for clients with the bearer token in `FILE` (its first line)")
			opts.webhooks = addWebhookFlags(fs)
			fs.StringVar(&config, "config", "", "read settings from `FILE` (JSON, or key = value lines), as for run")
			if err := parseFlags(fs, args); err != nil {
				return err
			}
			if err := fillFromEnvAndConfig(fs, config); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return usagef("unexpected argument %q", fs.Arg(0))
			}
			if err := fillFromEnvAndConfig(fs, config); err != nil {
				return err
			}
			if opts.apiTokenFile != "" && opts.db == "" {
				return usagef("--api-token-file needs --db (or $%s): the store to look addresses up in", dbEnv)
			}
			if opts.webhooks.on() && opts.db == "" {
				return usagef("the webhooks need --db (or $%s): the store to record events into", dbEnv)
			}
			return runServe(ctx, opts, stdout, stderr)
		},
	})
}

type serveOptions struct {
	addr string
	dir  string
	// db is the store to serve lookups and metrics from; empty: the page only.
	db string
	// apiTokenFile holds the bearer token that enables the lookup API.
	apiTokenFile string
	// ready, when set, receives the listening address once the server accepts connections.
	ready func(addr net.Addr)
	// builtFS, set by tests, replaces the artefacts embedded in the binary.
	builtFS fs.FS
	// webhooks are the providers' event endpoints (webhooks.go), each on when configured.
	webhooks *webhookOptions
}

// serveEnv is what the optional parts of serve mount themselves with: the mux, the store
// (read-only; nil without --db), the metrics they may count in, and the log. Each part adds
// its routes and a line for the start-up message.
type serveEnv struct {
	mux     *http.ServeMux
	store   *suppress.SQLite
	metrics *httpapi.Metrics
	log     *slog.Logger
	// writable is the store the webhooks record into; nil unless they are on.
	writable *suppress.SQLite
	// parts lists what is served besides the page, for the start-up message.
	parts []string
	// closers run when the server has stopped, last added first (a part that opens a
	// writable store of its own closes it here).
	closers []func() error
}

// mountAPI mounts the lookup API when a token file is given.
func mountAPI(env *serveEnv, opts serveOptions) error {
	if opts.apiTokenFile == "" {
		return nil
	}
	token, err := secret(opts.apiTokenFile, "")
	if err != nil {
		return fmt.Errorf("serve: --api-token-file: %w", err)
	}
	// The lookups are answered from memory (the store read at start, then what changed in
	// it every second: see suppress.Index); the SQL path was CPU-bound at a third of the
	// lookups a send path needs.
	index, err := suppress.NewIndex(context.Background(), env.store, suppress.IndexOptions{Log: env.log})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	env.closers = append(env.closers, index.Close)
	env.metrics.WatchIndex(index)
	api, err := httpapi.NewAPI(index, token, env.log)
	if err != nil {
		return fmt.Errorf("serve: --api-token-file %s: %w", opts.apiTokenFile, err)
	}
	api.Register(env.mux)
	n, _ := index.Size()
	env.parts = append(env.parts, fmt.Sprintf("lookups at /v1/suppressions/ (%d entries in memory, refreshed every second)", n))
	return nil
}

// runServe serves the page until ctx ends. The page's own files are embedded in the binary;
// the WebAssembly module and wasm_exec.js come from opts.dir when given, else from the binary
// (`make build` embeds them). Without them, it serves a page that says how to build them.
func runServe(ctx context.Context, opts serveOptions, stdout, stderr io.Writer) error {
	built, from := opts.builtFS, "the binary"
	if built == nil {
		built = web.Built()
	}
	if opts.dir != "" {
		built, from = os.DirFS(opts.dir), opts.dir
	}
	h, err := web.Handler(built)
	switch {
	case errors.Is(err, web.ErrNotBuilt) && opts.dir != "":
		return fmt.Errorf("serve: no %s and %s in %s: run `make web` in the source tree to build them, or pass --dir with a folder that holds them",
			web.WasmFile, web.ExecFile, opts.dir)
	case errors.Is(err, web.ErrNotBuilt):
		fmt.Fprintf(stderr, "serve: this binary holds no %s (built without `make build`): the page says how to build it and serve it with --dir\n", web.WasmFile)
		h, from = web.NotBuiltHandler(), "nowhere: not built"
	case err != nil:
		return fmt.Errorf("serve: %w", err)
	}
	env := &serveEnv{mux: http.NewServeMux(), log: slog.New(slog.NewTextHandler(stderr, nil))}
	defer func() {
		for i := len(env.closers) - 1; i >= 0; i-- {
			if err := env.closers[i](); err != nil {
				env.log.Error("serve: closing", "err", err)
			}
		}
	}()
	env.mux.Handle("/", h)
	if opts.webhooks.on() {
		// The webhooks record, so their store may be new: it is opened (and created) before
		// the read-only handle, which needs it to exist.
		if err := checkStoreDir(opts.db); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		if env.writable, err = openStore(ctx, opts.db, false); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		env.closers = append(env.closers, env.writable.Close)
	}
	if opts.db != "" {
		name, err := storeURL(opts.db)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		if env.store, err = suppress.OpenReadOnly(ctx, name, suppress.Options{}); err != nil {
			if errors.Is(err, suppress.ErrNoStore) {
				return fmt.Errorf("serve: no suppression store at %s (check --db or $%s)", opts.db, dbEnv)
			}
			return fmt.Errorf("serve: %w", err)
		}
		env.closers = append(env.closers, env.store.Close)
		env.metrics = httpapi.NewMetrics(env.store, 0, env.log)
	} else {
		env.metrics = httpapi.NewMetrics(nil, 0, env.log)
	}
	env.metrics.Register(env.mux)
	env.parts = append(env.parts, "metrics at /metrics")
	for _, mount := range []func(*serveEnv, serveOptions) error{mountAPI, mountWebhooks} {
		if err := mount(env, opts); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return fmt.Errorf("serve: listening on %s: %w", opts.addr, err)
	}
	srv := &http.Server{
		Handler:           env.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(env.log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "serving the bounce decoder on http://%s/ (module from %s), %s; stop with Ctrl-C\n",
		ln.Addr(), from, strings.Join(env.parts, ", "))
	if opts.ready != nil {
		opts.ready(ln.Addr())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("serve: shutting down: %w", err)
	}
	<-done
	return nil
}
