package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "list",
		summary: "list suppressed or bounced addresses, or the allow list",
		run:     listCommand,
	})
}

type listOptions struct {
	db     string
	filter suppress.Filter
	limit  int
	allow  bool
}

func listCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("list", "[--db PATH] [--kind suppressed|hard|soft|complaint|manual|import|blocked|all] [--since DATE]\n"+
		"       [--limit N] [--allow]\n\n"+
		"Prints a table of addresses, ordered by address; --allow prints the allow list instead.\n"+
		"A cell longer than its column is shortened in the middle with \"…\" (export prints them whole).", stderr)
	var opts listOptions
	var kind, since string
	addDBFlag(fs, &opts.db)
	fs.StringVar(&kind, "kind", "suppressed", kindHelp)
	fs.StringVar(&since, "since", "", "only addresses that bounced or were suppressed at or after DATE (YYYY-MM-DD, UTC)")
	fs.IntVar(&opts.limit, "limit", 0, "print at most N addresses (0: all)")
	fs.BoolVar(&opts.allow, "allow", false, "print the allow list")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if opts.filter, err = kindFilter(kind); err != nil {
		return err
	}
	if opts.filter.Since, err = parseSince(since); err != nil {
		return err
	}
	if opts.limit < 0 {
		return usagef("--limit must not be negative")
	}
	return runList(ctx, opts, stdout, stderr)
}

// errLimit stops the walk once --limit rows were printed.
var errLimit = errors.New("limit reached")

func runList(ctx context.Context, opts listOptions, stdout, stderr io.Writer) error {
	st, err := openExistingStore(ctx, opts.db)
	if err != nil {
		return err
	}
	defer st.Close()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if opts.allow {
		list, err := st.AllowList(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "PATTERN\tBY\tSINCE\tWHY")
		for _, a := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", esc(a.Pattern), esc(orDash(a.By)), fmtTime(a.At), esc(orDash(a.Why)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%d allow-list entries\n", len(list))
		return nil
	}
	// Fixed widths rather than a tabwriter: a list may have a million rows, and it streams.
	bw := bufio.NewWriter(stdout)
	const row = "%-*s %-*s %-*s %-*s %7s  %-20s  %s\n"
	fmt.Fprintf(bw, row, listEmailWidth, "EMAIL", listKindWidth, "KIND", listReasonWidth, "REASON", listStatusWidth, "STATUS", "BOUNCES", "LAST SEEN", "SUPPRESSED")
	n := 0
	err = st.Entries(ctx, opts.filter, func(e suppress.Entry) error {
		if opts.limit > 0 && n == opts.limit {
			return errLimit
		}
		n++
		_, err := fmt.Fprintf(bw, row, listEmailWidth, fitCell(esc(e.Address), listEmailWidth),
			listKindWidth, fitCell(esc(orDash(string(e.Kind))), listKindWidth),
			listReasonWidth, fitCell(esc(orDash(string(e.Reason))), listReasonWidth),
			listStatusWidth, fitCell(esc(orDash(string(e.Status))), listStatusWidth),
			strconv.Itoa(e.BounceCount), fmtTime(e.LastSeen), suppressedText(e))
		return err
	})
	if err != nil && !errors.Is(err, errLimit) {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	more := ""
	if errors.Is(err, errLimit) {
		more = " (limit reached)"
	}
	fmt.Fprintf(stderr, "%d addresses%s\n", n, more)
	return nil
}

// The widths of the list's fixed columns, in characters. An address up to listEmailWidth
// characters (most are) is shown whole; a longer one is shortened by fitCell.
const (
	listEmailWidth  = 38
	listKindWidth   = 9
	listReasonWidth = 15
	listStatusWidth = 7
)

// fitCell returns s when it has at most width characters, and otherwise its start and its end
// joined by "…", width characters in all: for an address both the local part's start and the
// domain stay readable, and the columns after it stay in line.
func fitCell(s string, width int) string {
	n := utf8.RuneCountInString(s)
	if n <= width {
		return s
	}
	r := []rune(s)
	tail := (width - 1) / 2
	head := width - 1 - tail
	return string(r[:head]) + "…" + string(r[n-tail:])
}

// suppressedText says whether and how an address is suppressed, for tables.
func suppressedText(e suppress.Entry) string {
	if !e.Suppressed {
		return "no"
	}
	if e.Source == suppress.SourcePolicy {
		return "yes (" + esc(string(e.SuppressedKind)) + ")"
	}
	return "yes (" + esc(string(e.Source)) + ")"
}

// orDash returns s, or "-" when it is empty, for table cells.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
