package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "export",
		summary: "export the suppression list (or bounced addresses) as CSV or JSON lines",
		run:     exportCommand,
	})
}

type exportOptions struct {
	db     string
	format suppress.Format
	filter suppress.Filter
	output string // "" or "-" for stdout
}

func exportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "[--db PATH] [--format csv|jsonl] [--spreadsheet]\n"+
		"       [--kind suppressed|hard|soft|complaint|manual|import|blocked|all] [--since DATE] [-o FILE]\n\n"+
		"Writes one row per address, ordered by address: email, cause (why it is suppressed: hard, soft,\n"+
		"complaint, manual or import; empty when it is not), suppressed_since, then the latest bounce: kind,\n"+
		"reason, status, reply_code, first_seen, last_seen, bounce_count, last_diagnostic. --kind suppressed\n"+
		"(the default) gives the addresses that must not be mailed; --kind hard those suppressed for a hard\n"+
		"bounce, the list to give a sending provider. The email column is always the address exactly;\n"+
		"control characters in the diagnostic are escaped (\\x1b), and a diagnostic a spreadsheet would run\n"+
		"as a formula gets a leading '. --spreadsheet, for a file a person opens in a spreadsheet, guards\n"+
		"every cell that way, the email column's too (=1+2@example.org becomes '=1+2@example.org).", stderr)
	var opts exportOptions
	var format, kind, since string
	var spreadsheet bool
	addDBFlag(fs, &opts.db)
	fs.StringVar(&format, "format", "csv", "output format: csv or jsonl")
	fs.BoolVar(&spreadsheet, "spreadsheet", false, "CSV for a spreadsheet: guard every cell against formulas, email included")
	fs.StringVar(&kind, "kind", "suppressed", kindHelp)
	fs.StringVar(&since, "since", "", "only addresses that bounced or were suppressed at or after DATE (YYYY-MM-DD, UTC)")
	fs.StringVar(&opts.output, "o", "", "write to FILE instead of standard output")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	switch suppress.Format(format) {
	case suppress.FormatCSV, suppress.FormatJSONL:
		opts.format = suppress.Format(format)
	default:
		return usagef("unknown --format %q (want csv or jsonl)", format)
	}
	if spreadsheet {
		if opts.format != suppress.FormatCSV {
			return usagef("--spreadsheet is for --format csv")
		}
		opts.format = suppress.FormatSpreadsheet
	}
	if opts.filter, err = kindFilter(kind); err != nil {
		return err
	}
	if opts.filter.Since, err = parseSince(since); err != nil {
		return err
	}
	return runExport(ctx, opts, stdout, stderr)
}

// runExport streams the export to stdout or, with -o, to a temporary file next to FILE that
// replaces it only once complete.
func runExport(ctx context.Context, opts exportOptions, stdout, stderr io.Writer) error {
	st, err := openExistingStore(ctx, opts.db)
	if err != nil {
		return err
	}
	defer st.Close()
	// An export feeds a sending provider: a damaged store must not yield a shorter list that
	// looks complete. quick_check reads the file once, as the export itself nearly does.
	if err := st.QuickCheck(ctx); err != nil {
		return err
	}
	if opts.output == "" || opts.output == "-" {
		n, err := suppress.Export(ctx, st, stdout, opts.format, opts.filter)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "exported %d addresses\n", n)
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(opts.output), "."+filepath.Base(opts.output)+".*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	n, err := suppress.Export(ctx, st, tmp, opts.format, opts.filter)
	if err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), opts.output); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stderr, "exported %d addresses to %s\n", n, opts.output)
	return nil
}
