package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "allow",
		summary: "put addresses or @domains on the allow list (never suppressed)",
		run:     allowCommand,
	})
}

// allowOptions are the options of allow: those of the manual commands, and how a release is
// confirmed.
type allowOptions struct {
	manualOptions
	yes bool
	// confirm asks a person on a terminal; nil when standard input is not one.
	confirm func(question string) bool
}

func allowCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("allow", "[--db PATH] [--by WHO] [--why TEXT] [--dry-run] [--yes] [--remove] ADDRESS|@DOMAIN...\n\n"+
		"Puts each address, or every address of @DOMAIN (not its subdomains), on the allow list: its\n"+
		"bounces are still recorded and counted, but it is never suppressed, and a current suppression\n"+
		"is released. Wildcards (*@example.org) are refused. Before anything changes, allow lists the\n"+
		"suppressed addresses it would release; it releases them only with --yes, or after a \"y\" on a\n"+
		"terminal (--dry-run only lists them). --remove takes entries off the list again and restores\n"+
		"the suppressions their allow released. 'bounceproc list --allow' shows the list.", stderr)
	var opts allowOptions
	addDBFlag(fs, &opts.db)
	addByFlag(fs, &opts.by)
	fs.StringVar(&opts.why, "why", "", "why the addresses are allowed")
	fs.BoolVar(&opts.dryRun, "dry-run", false, "show what would change without changing anything")
	fs.BoolVar(&opts.yes, "yes", false, "release the suppressed addresses the entries cover without asking")
	fs.BoolVar(&opts.remove, "remove", false, "take the entries off the allow list and restore what they released")
	if err := parseManual(fs, args, &opts.manualOptions, false); err != nil {
		return err
	}
	if stdinIsTerminal() {
		opts.confirm = func(question string) bool {
			fmt.Fprint(stderr, question)
			line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
			a := strings.ToLower(strings.TrimSpace(line))
			return a == "y" || a == "yes"
		}
	}
	return runAllow(ctx, opts, stdout, stderr)
}

func runAllow(ctx context.Context, opts allowOptions, stdout, stderr io.Writer) error {
	if !opts.remove {
		if err := confirmAllow(ctx, opts, stdout, stderr); err != nil {
			return err
		}
	}
	return applyManual(ctx, opts.manualOptions, stdout, stderr, func(st suppress.Store, m suppress.Manual) (suppress.Change, error) {
		if opts.remove {
			return st.Disallow(ctx, m)
		}
		return st.Allow(ctx, m)
	})
}

// confirmAllow checks every pattern and lists the suppressed addresses the allow would
// release. Unless this is a dry run, releasing needs --yes or a "y" on a terminal; without
// them it returns a usage error and nothing changes. A pattern that is not an address or
// @domain is a usage error too, before anything changes.
func confirmAllow(ctx context.Context, opts allowOptions, stdout, stderr io.Writer) error {
	st, err := openStore(ctx, opts.db, true) // read only: a dry-run store changes nothing
	if err != nil {
		return err
	}
	defer st.Close()
	var bad []string
	total := 0
	var listing strings.Builder
	for _, p := range opts.addresses {
		cov, err := st.Covered(ctx, p)
		if errors.Is(err, suppress.ErrInvalidAddress) {
			bad = append(bad, fmt.Sprintf("%s: %s", p, problemText(err)))
			continue
		}
		if err != nil {
			return err
		}
		if len(cov) == 0 {
			continue
		}
		total += len(cov)
		fmt.Fprintf(&listing, "%s covers %d suppressed address(es), which it would release:\n", strings.TrimSpace(p), len(cov))
		for _, e := range cov {
			why := string(e.Source)
			if e.SuppressedKind != "" {
				why = string(e.SuppressedKind) + " (" + why + ")"
			}
			if e.Why != "" {
				why += ": " + e.Why
			}
			fmt.Fprintf(&listing, "  %s  suppressed since %s, %s\n", e.Address, fmtTime(e.SuppressedSince), why)
		}
	}
	if len(bad) > 0 {
		return usagef("nothing changed:\n  %s", strings.Join(bad, "\n  "))
	}
	if total == 0 || opts.dryRun {
		io.WriteString(stdout, listing.String())
		return nil
	}
	if opts.yes {
		io.WriteString(stdout, listing.String())
		return nil
	}
	io.WriteString(stderr, listing.String())
	if opts.confirm != nil && opts.confirm(fmt.Sprintf("Release these %d address(es)? [y/N] ", total)) {
		return nil
	}
	return usagef("nothing changed: %d suppressed address(es) would be released; give --yes to release them (--dry-run lists them)", total)
}
