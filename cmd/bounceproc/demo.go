package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/suppress"
	"github.com/bounceproc/bounceproc/testdata/eml"
)

func init() {
	commands = append(commands, command{
		name:    "demo",
		summary: "run against an in-memory IMAP server filled with the sample bounces",
		run:     demoCommand,
	})
}

type demoOptions struct {
	out string
}

func demoCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "[--out DIR]\n\n"+
		"Starts go-imap's in-memory IMAP server on 127.0.0.1, fills its INBOX with the project's sample\n"+
		"mails, and runs the real `bounceproc run` against it: bounces are recorded in DIR/bounceproc.db\n"+
		"and moved to the folder Processed, other mail stays in the INBOX. Then it writes the hard\n"+
		"bounces to DIR/hard-bounces.csv. Nothing outside DIR is touched; DIR starts afresh each time.", stderr)
	var o demoOptions
	fs.StringVar(&o.out, "out", "demo-out", "directory for the store and the CSV")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return runDemo(ctx, o, stdout, stderr)
}

// demoDate is the arrival date of the first sample; the others follow a minute apart, so that
// the demo's output is the same on every run.
var demoDate = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func runDemo(ctx context.Context, o demoOptions, stdout, stderr io.Writer) error {
	names, err := eml.Names()
	if err != nil {
		return fmt.Errorf("demo: listing samples: %w", err)
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	db := filepath.Join(o.out, "bounceproc.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(db + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("demo: starting afresh: %w", err)
		}
	}
	const user, password = "postmaster", "demo-password"
	srv, err := imapfetch.StartMemServer(user, password, imapfetch.MemServerOptions{})
	if err != nil {
		return err
	}
	defer srv.Close()
	for i, name := range names {
		body, err := eml.Files.ReadFile(name)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if _, err := srv.Append("INBOX", body, demoDate.Add(time.Duration(i)*time.Minute)); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "IMAP server on %s: INBOX holds %d sample mails from testdata/eml\n", srv.Addr(), len(names))
	fmt.Fprintf(stdout, "bounceproc run --imap %s --user %s --tls none --move-to Processed --db %s\n\n", srv.Addr(), user, db)

	cfg := imapfetch.Config{Addr: srv.Addr(), TLS: imapfetch.TLSNone, AllowPlaintext: true, User: user, Password: password}
	runErr := runRun(ctx, runOptions{
		imap:      cfg,
		mailboxes: []string{"INBOX"},
		mark:      imapfetch.Mark{Action: imapfetch.MarkMove, Folder: "Processed"},
		db:        db,
		progress:  -1,
		// The samples include damaged mails on purpose: their warnings would drown the summary.
		logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	}, stdout, stderr)
	if runErr != nil && !errors.Is(runErr, errProblems) {
		return runErr
	}

	c, err := imapfetch.Dial(ctx, cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	inbox, err := c.Select(ctx, "INBOX")
	if err != nil {
		return err
	}
	done, err := c.Select(ctx, "Processed")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nmailbox after the run: Processed %d, INBOX %d (ordinary and undecodable mail stays)\n", done.Messages, inbox.Messages)

	st, err := openExistingStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	csvPath := filepath.Join(o.out, "hard-bounces.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	n, err := suppress.Export(ctx, st, f, suppress.FormatCSV, suppress.Filter{SuppressedOnly: true, Cause: classify.KindHard})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d hard-bounced addresses\n", csvPath, n)
	if runErr != nil {
		fmt.Fprintf(stdout, "(the samples include damaged mails on purpose; `bounceproc run` exits 3 for them)\n")
	}
	return nil
}
