package main

import (
	"context"
	"io"

	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "release",
		summary: "lift the suppression of addresses by hand, with who and why",
		run:     releaseCommand,
	})
}

func releaseCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("release", "[--db PATH] [--by WHO] [--dry-run] --why TEXT ADDRESS...\n\n"+
		"Lifts the suppression of each ADDRESS, whatever put it there (hard bounces and complaints are\n"+
		"only ever released this way). Bounces that happened before the release do not suppress it\n"+
		"again; new ones do. The change is recorded with who (--by, default $USER) and why.", stderr)
	var opts manualOptions
	addDBFlag(fs, &opts.db)
	addByFlag(fs, &opts.by)
	fs.StringVar(&opts.why, "why", "", "why the addresses are released (required)")
	fs.BoolVar(&opts.dryRun, "dry-run", false, "show what would change without changing anything")
	if err := parseManual(fs, args, &opts, true); err != nil {
		return err
	}
	return runRelease(ctx, opts, stdout, stderr)
}

func runRelease(ctx context.Context, opts manualOptions, stdout, stderr io.Writer) error {
	return applyManual(ctx, opts, stdout, stderr, func(st suppress.Store, m suppress.Manual) (suppress.Change, error) {
		return st.Release(ctx, m)
	})
}
