package main

import (
	"context"
	"io"

	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "allow",
		summary: "put addresses or @domains on the allow list (never suppressed)",
		run:     allowCommand,
	})
}

func allowCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("allow", "[--db PATH] [--by WHO] [--why TEXT] [--dry-run] [--remove] ADDRESS|@DOMAIN...\n\n"+
		"Puts each address, or every address of @DOMAIN (not its subdomains), on the allow list: its\n"+
		"bounces are still recorded and counted, but it is never suppressed, and a current suppression\n"+
		"is released. --remove takes entries off the list again. 'bounceproc list --allow' shows it.", stderr)
	var opts manualOptions
	addDBFlag(fs, &opts.db)
	addByFlag(fs, &opts.by)
	fs.StringVar(&opts.why, "why", "", "why the addresses are allowed")
	fs.BoolVar(&opts.dryRun, "dry-run", false, "show what would change without changing anything")
	fs.BoolVar(&opts.remove, "remove", false, "take the entries off the allow list")
	if err := parseManual(fs, args, &opts, false); err != nil {
		return err
	}
	return runAllow(ctx, opts, stdout, stderr)
}

func runAllow(ctx context.Context, opts manualOptions, stdout, stderr io.Writer) error {
	return applyManual(ctx, opts, stdout, stderr, func(st suppress.Store, m suppress.Manual) (suppress.Change, error) {
		if opts.remove {
			return st.Disallow(ctx, m)
		}
		return st.Allow(ctx, m)
	})
}
