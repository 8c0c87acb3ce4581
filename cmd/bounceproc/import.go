package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/bounceproc/bounceproc/internal/textsafe"
	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "import",
		summary: "import an existing suppression list from a CSV file",
		run:     importCommand,
	})
}

type importOptions struct {
	db      string
	file    string // "-" for standard input
	column  string // the email column's name; "" to find it
	by, why string
	dryRun  bool
	stdin   io.Reader
}

func importCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "[--db PATH] [--column NAME] [--by WHO] [--why TEXT] [--dry-run] FILE.csv\n\n"+
		"Suppresses every address of a CSV file whose header names an email column (email, email address,\n"+
		"e-mail, address or recipient, in any case; or --column NAME), such as this tool's export or a\n"+
		"sending provider's suppression-list download. Rows that cannot be used are reported with their\n"+
		"line number and skipped; the rest are imported (exit status 3 when some were skipped). Addresses\n"+
		"on the allow list are skipped. FILE - reads standard input.", stderr)
	opts := importOptions{stdin: os.Stdin}
	addDBFlag(fs, &opts.db)
	addByFlag(fs, &opts.by)
	fs.StringVar(&opts.why, "why", "", "why the addresses are suppressed (default: imported from FILE)")
	fs.StringVar(&opts.column, "column", "", "name of the email column")
	fs.BoolVar(&opts.dryRun, "dry-run", false, "show what would change without changing anything")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one FILE.csv")
	}
	opts.file = pos[0]
	return runImport(ctx, opts, stdout, stderr)
}

// emailColumns are the header names taken for the email column, compared after lower-casing
// and removing blanks, '-' and '_'.
var emailColumns = []string{"email", "emailaddress", "address", "recipient", "mail"}

func headerKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '-', '_':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// importBatch is how many rows go into one transaction.
const importBatch = 2000

type importCounts struct {
	rows, suppressed, unchanged, allowed, rejected int
}

func runImport(ctx context.Context, opts importOptions, stdout, stderr io.Writer) error {
	var in io.Reader = opts.stdin
	name := "standard input"
	if opts.file != "-" {
		f, err := os.Open(opts.file)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer f.Close()
		in, name = f, opts.file
	}
	why := opts.why
	if why == "" {
		why = "imported from " + name
	}
	br := bufio.NewReader(in)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" { // a byte order mark, as spreadsheets write
		br.Discard(3)
	}
	rows := newCSVRows(br)
	first, err := rows.Next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("import: %s is empty", name)
		}
		return fmt.Errorf("import: %s: reading the header: %w", name, err)
	}
	if first.err != nil {
		return fmt.Errorf("import: %s:%d: the header: %w", name, first.line, first.err)
	}
	header := first.fields
	col := -1
	for i, h := range header {
		k := headerKey(h)
		if opts.column != "" {
			if k == headerKey(opts.column) {
				col = i
				break
			}
			continue
		}
		for _, want := range emailColumns {
			if k == want && (col < 0 || indexOf(emailColumns, headerKey(header[col])) > indexOf(emailColumns, k)) {
				col = i
			}
		}
	}
	if col < 0 {
		if opts.column != "" {
			return usagef("%s: no column %q in the header (%s)", name, opts.column, textsafe.Escape(strings.Join(header, ", ")))
		}
		return usagef("%s: no email column in the header (%s); name it with --column", name, textsafe.Escape(strings.Join(header, ", ")))
	}

	st, err := openStore(ctx, opts.db, opts.dryRun)
	if err != nil {
		return err
	}
	defer st.Close()
	var c importCounts
	// Messages about rows are printed once per batch, in line order.
	type note struct {
		line int
		text string
	}
	var notes []note
	reject := func(line int, why string) {
		c.rejected++
		notes = append(notes, note{line, why})
	}
	printNotes := func() {
		sort.SliceStable(notes, func(i, j int) bool { return notes[i].line < notes[j].line })
		for _, n := range notes {
			fmt.Fprintf(stderr, "%s:%d: %s\n", esc(name), n.line, esc(n.text))
		}
		notes = notes[:0]
	}
	batch := make([]suppress.Manual, 0, importBatch)
	lines := make([]int, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		changes, err := st.Import(ctx, batch)
		if err != nil {
			return err
		}
		for i, ch := range changes {
			switch ch.Action {
			case suppress.ActionSuppressed:
				c.suppressed++
			case suppress.ActionUnchanged:
				c.unchanged++
			case suppress.ActionAllowed:
				c.allowed++
				notes = append(notes, note{lines[i], ch.Address + " is on the allow list: not suppressed"})
			default:
				reject(lines[i], ch.Note)
			}
		}
		batch, lines = batch[:0], lines[:0]
		printNotes()
		return nil
	}
	rows.fields = len(header)
	rows.plausible = func(f []string) bool {
		if col >= len(f) {
			return false
		}
		_, err := suppress.Normalize(unneutralize(strings.TrimSpace(f[col])))
		return err == nil
	}
	for {
		row, err := rows.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("import: %s: %w", name, err)
		}
		c.rows++
		line, rec := row.line, row.fields
		if row.err != nil {
			reject(line, row.err.Error())
			continue
		}
		if col >= len(rec) {
			reject(line, fmt.Sprintf("only %d fields, no %q", len(rec), header[col]))
			continue
		}
		v := unneutralize(strings.TrimSpace(rec[col]))
		if v == "" {
			reject(line, "empty "+header[col])
			continue
		}
		if _, err := suppress.Normalize(v); err != nil {
			reject(line, strings.TrimPrefix(err.Error(), "suppress: "))
			continue
		}
		batch = append(batch, suppress.Manual{Address: v, By: who(opts.by), Why: why})
		lines = append(lines, line)
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	printNotes()
	prefix := ""
	if opts.dryRun {
		prefix = "dry run (nothing changed): "
	}
	fmt.Fprintf(stdout, "%s%d rows read: %d newly suppressed, %d already suppressed, %d on the allow list, %d rejected\n",
		prefix, c.rows, c.suppressed, c.unchanged, c.allowed, c.rejected)
	if c.rejected > 0 {
		return problemsf("%d of %d rows rejected", c.rejected, c.rows)
	}
	return nil
}

// unneutralize undoes the leading apostrophe an export puts before a formula-like cell, so
// that our own exports import as they were.
func unneutralize(s string) string {
	if len(s) >= 2 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@', '\t', '\r':
			return s[1:]
		}
	}
	return s
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return len(list)
}
