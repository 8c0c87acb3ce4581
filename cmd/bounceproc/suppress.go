package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "suppress",
		summary: "suppress addresses by hand, with who and why",
		run:     suppressCommand,
	})
}

// manualOptions are the options of suppress, release and allow.
type manualOptions struct {
	db        string
	addresses []string
	by, why   string
	dryRun    bool
	remove    bool // allow --remove
}

func suppressCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("suppress", "[--db PATH] [--by WHO] [--dry-run] --why TEXT ADDRESS...\n\n"+
		"Suppresses each ADDRESS by hand until someone releases it. Addresses on the allow list are\n"+
		"refused. The change is recorded with who (--by, default $USER) and why.", stderr)
	var opts manualOptions
	addDBFlag(fs, &opts.db)
	addByFlag(fs, &opts.by)
	fs.StringVar(&opts.why, "why", "", "why the addresses are suppressed (required)")
	fs.BoolVar(&opts.dryRun, "dry-run", false, "show what would change without changing anything")
	if err := parseManual(fs, args, &opts, true); err != nil {
		return err
	}
	return runSuppress(ctx, opts, stdout, stderr)
}

// parseManual parses the flags and addresses of suppress, release and allow.
func parseManual(fs *flag.FlagSet, args []string, opts *manualOptions, needWhy bool) error {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("no ADDRESS given")
	}
	if needWhy && strings.TrimSpace(opts.why) == "" {
		return usagef("--why is required: say why, for whoever reads the history later")
	}
	opts.addresses = pos
	return nil
}

func runSuppress(ctx context.Context, opts manualOptions, stdout, stderr io.Writer) error {
	return applyManual(ctx, opts, stdout, stderr, func(st suppress.Store, m suppress.Manual) (suppress.Change, error) {
		return st.Suppress(ctx, m)
	})
}

// applyManual applies change to each address and prints one line per address. Bad addresses
// and refusals are reported and do not stop the others; they make the command end with
// errProblems.
func applyManual(ctx context.Context, opts manualOptions, stdout, stderr io.Writer,
	change func(suppress.Store, suppress.Manual) (suppress.Change, error)) error {
	st, err := openStore(ctx, opts.db, opts.dryRun)
	if err != nil {
		return err
	}
	defer st.Close()
	prefix := ""
	if opts.dryRun {
		prefix = "dry run: would have "
	}
	failed := 0
	for _, a := range opts.addresses {
		c, err := change(st, suppress.Manual{Address: a, By: who(opts.by), Why: opts.why})
		switch {
		case errors.Is(err, suppress.ErrInvalidAddress), errors.Is(err, suppress.ErrAllowed), errors.Is(err, suppress.ErrNotFound):
			failed++
			fmt.Fprintf(stderr, "%s: %s\n", esc(a), esc(problemText(err)))
			continue
		case err != nil:
			return err
		}
		line := prefix + string(c.Action) + " " + c.Address
		if c.Action == suppress.ActionUnchanged {
			line = "unchanged " + c.Address
		}
		if c.Note != "" {
			line += ": " + c.Note
		}
		fmt.Fprintln(stdout, esc(line))
	}
	if failed > 0 {
		return problemsf("%d of %d addresses not changed", failed, len(opts.addresses))
	}
	return nil
}

// problemText says why an address was not changed, without the package prefix.
func problemText(err error) string {
	switch {
	case errors.Is(err, suppress.ErrAllowed):
		return "on the allow list (remove it with 'bounceproc allow --remove' first)"
	case errors.Is(err, suppress.ErrNotFound):
		return "not in the store"
	}
	// Keep the innermost message: `address "x": invalid address: no @`.
	msg := err.Error()
	if i := strings.LastIndex(msg, "suppress: "); i >= 0 {
		msg = msg[i+len("suppress: "):]
	}
	return msg
}
