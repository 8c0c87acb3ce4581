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
		name:    "check",
		summary: "check that the suppression store is sound (integrity and schema version)",
		run:     checkCommand,
	})
}

type checkOptions struct {
	db    string
	quick bool
}

func checkCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", "[--db PATH] [--quick]\n\n"+
		"Checks the store file: that it is a bounceproc store, its schema version, and SQLite's full\n"+
		"integrity check (every page, every index against its table), plus the references between\n"+
		"tables. Reads the whole file; never changes it. --quick runs SQLite's quick_check instead, as\n"+
		"run does at its start: the pages and b-trees, not the indexes. Exit status 1 when anything\n"+
		"is wrong, with what. (SQLite keeps no checksums: a flipped bit inside a row that no index\n"+
		"covers cannot be seen.)", stderr)
	var opts checkOptions
	addDBFlag(fs, &opts.db)
	fs.BoolVar(&opts.quick, "quick", false, "only SQLite's quick_check")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return runCheck(ctx, opts, stdout, stderr)
}

func runCheck(ctx context.Context, opts checkOptions, stdout, _ io.Writer) error {
	st, err := openExistingStore(ctx, opts.db)
	if err != nil {
		return err
	}
	defer st.Close()
	if opts.quick {
		if err := st.QuickCheck(ctx); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: quick check ok\n", opts.db)
		return nil
	}
	in, err := st.IntegrityCheck(ctx)
	if err != nil {
		return err
	}
	version := "current"
	if in.SchemaVersion != in.Current {
		version = fmt.Sprintf("this program's is %d", in.Current)
	}
	fmt.Fprintf(stdout, "%s: schema version %d (%s), %d pages of %d bytes\n", opts.db, in.SchemaVersion, version, in.Pages, in.PageSize)
	if !in.OK() {
		for _, p := range in.Problems {
			fmt.Fprintf(stdout, "  problem: %s\n", p)
		}
		return fmt.Errorf("%s: %w: %d problems (restore it from a backup, or rebuild it: export what is readable and import it into a new store)",
			opts.db, suppress.ErrDamaged, len(in.Problems))
	}
	fmt.Fprintln(stdout, "integrity: ok")
	if c, err := st.Counts(ctx); err == nil {
		fmt.Fprintf(stdout, "%d mails in the ledger, %d events, %d addresses (%d suppressed), %d on the allow list\n",
			c.Mails, c.Events, c.Addresses, c.Suppressed, c.Allowed)
	} else if !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
