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
	"time"

	"github.com/bounceproc/bounceproc/web"
)

func init() {
	commands = append(commands, command{
		name:    "serve",
		summary: "serve the paste-and-decode page locally",
		run: func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			fs := newFlagSet("serve", "[--addr 127.0.0.1:8080] [--dir DIR]\n\n"+
				"Serves the paste-and-decode page. The page and its WebAssembly module are embedded in a\n"+
				"binary built with `make build`; one built otherwise (go build, go install) serves a page\n"+
				"that says how to build the module, or serves it from --dir.", stderr)
			var opts serveOptions
			fs.StringVar(&opts.addr, "addr", "127.0.0.1:8080", "`address` to listen on")
			fs.StringVar(&opts.dir, "dir", "", "take "+web.WasmFile+" and "+web.ExecFile+" from `folder` (as `make web` builds it) instead of the binary")
			opts.webhooks = addWebhookFlags(fs)
			config := fs.String("config", "", "read settings from `FILE` (JSON, or key = value lines), as for run")
			if err := parseFlags(fs, args); err != nil {
				return err
			}
			if err := fillFromEnvAndConfig(fs, *config); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return usagef("unexpected argument %q", fs.Arg(0))
			}
			return runServe(ctx, opts, stdout, stderr)
		},
	})
}

type serveOptions struct {
	addr string
	dir  string
	// ready, when set, receives the listening address once the server accepts connections.
	ready func(addr net.Addr)
	// builtFS, set by tests, replaces the artefacts embedded in the binary.
	builtFS fs.FS
	// webhooks are the providers' event endpoints (webhooks.go), each on when configured.
	webhooks *webhookOptions
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
	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return fmt.Errorf("serve: listening on %s: %w", opts.addr, err)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	mux := http.NewServeMux()
	mux.Handle("/", h)
	if opts.webhooks.on() {
		closeStore, err := mountWebhooks(ctx, opts.webhooks, mux, log, stdout)
		if err != nil {
			ln.Close()
			return err
		}
		defer closeStore()
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "serving the bounce decoder on http://%s/ (module from %s); stop with Ctrl-C\n", ln.Addr(), from)
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
