package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "migrate",
		summary: "copy a suppression store with its history to another store (SQLite ↔ PostgreSQL)",
		run:     migrateCommand,
	})
	exitHelp["migrate"] = `Exit status:
  0  the store was copied and the row counts of both sides agree
  1  failure: --from is missing or not a store, --to is not empty, a store error, or the
     counts differ (then nothing was written to --to)
  2  usage error`
}

type migrateOptions struct {
	from, to string
}

func migrateCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", "--from STORE --to STORE [--db-password-file FILE]\n\n"+
		"Copies the whole store at --from into the new, empty store at --to: the ledger of processed\n"+
		"mails, checkpoints, events, entries, changes, the allow list, the crash counts and the runs, ids\n"+
		"included; either may be an SQLite file or a postgres:// URL (see --db of the other commands\n"+
		"for passwords and TLS). --to is created if it does not exist (an SQLite file, or the schema in\n"+
		"an empty PostgreSQL database); a --to that holds anything is refused. The copy is one\n"+
		"transaction of --to, and the row counts of both sides are compared after it. Stop the runs\n"+
		"writing to --from first: what they record after the copy began is not copied.", stderr)
	var opts migrateOptions
	fs.StringVar(&opts.from, "from", "", "the store to copy (SQLite file or postgres:// URL)")
	fs.StringVar(&opts.to, "to", "", "the new store (SQLite file or postgres:// URL), empty")
	fs.StringVar(&dbPasswordFile, "db-password-file", "", "file holding the PostgreSQL password (its first line), for a URL of --from or --to")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if opts.from == "" || opts.to == "" {
		return usagef("give both --from and --to")
	}
	if opts.from == opts.to {
		return usagef("--from and --to are the same store")
	}
	return runMigrate(ctx, opts, stdout)
}

func runMigrate(ctx context.Context, opts migrateOptions, stdout io.Writer) error {
	from, err := openExistingStore(ctx, opts.from)
	if err != nil {
		return err
	}
	defer from.Close()
	if err := checkStoreDir(opts.to); err != nil {
		return err
	}
	to, err := openStore(ctx, opts.to, false)
	if err != nil {
		return err
	}
	defer to.Close()
	counts, err := suppress.Copy(ctx, from, to)
	if errors.Is(err, suppress.ErrTargetNotEmpty) {
		return fmt.Errorf("%w (migrate copies into a new store only)", err)
	}
	if err != nil {
		return err
	}
	var total int64
	for _, c := range counts {
		fmt.Fprintf(stdout, "%-12s %d rows\n", c.Table, c.Rows)
		total += c.Rows
	}
	fmt.Fprintf(stdout, "copied %d rows; the row counts of both stores agree\n", total)
	return to.Close()
}
