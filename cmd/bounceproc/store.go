package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/suppress"
)

// The suppression store's file: --db, else $BOUNCEPROC_DB, else bounceproc.db in the current
// directory.
const (
	dbEnv     = "BOUNCEPROC_DB"
	defaultDB = "bounceproc.db"
)

// defaultDBPath returns the store path used when --db is not given.
func defaultDBPath() string {
	if p := os.Getenv(dbEnv); p != "" {
		return p
	}
	return defaultDB
}

// addDBFlag adds --db to a subcommand's flags.
func addDBFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "db", defaultDBPath(), "suppression store file (the default comes from $"+dbEnv+" when set)")
}

// addByFlag adds --by, who makes a manual change: $USER unless given.
func addByFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "by", "", "who makes the change (default $USER)")
}

// who returns the person a manual change is recorded for.
func who(by string) string {
	if by = strings.TrimSpace(by); by != "" {
		return by
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

// openStore opens the store for a command that changes it (run, import, suppress, allow). A
// new store is created only where no file exists and the directory does; a file that is not a
// bounceproc store is refused. With dryRun, every change is rolled back after it ran, so
// results show what would happen, and a store that does not exist is not created.
func openStore(ctx context.Context, path string, dryRun bool) (*suppress.SQLite, error) {
	return suppress.Open(ctx, path, suppress.Options{DryRun: dryRun})
}

// openExistingStore opens the store for a command that only reads it: a missing file is an
// error rather than a new empty store.
func openExistingStore(ctx context.Context, path string) (*suppress.SQLite, error) {
	s, err := suppress.Open(ctx, path, suppress.Options{MustExist: true})
	if errors.Is(err, suppress.ErrNoStore) {
		return nil, fmt.Errorf("no suppression store at %s (give --db or set $%s)", path, dbEnv)
	}
	return s, err
}

// checkStoreDir fails when the store's directory does not exist: it is never created, since a
// typo in a path would otherwise start a second suppression list.
func checkStoreDir(db string) error {
	dir := filepath.Dir(db)
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the store's directory %s does not exist (it is not created: check --db)", dir)
	}
	if err != nil {
		return fmt.Errorf("the store's directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("the store's directory %s is not a directory", dir)
	}
	return nil
}

// parseInterspersed parses flags that may come before, between or after the positional
// arguments (`suppress ADDRESS --why "..."`), and returns the positional ones. A lone "--"
// ends the flags. (parseFlags does this for every command now.)
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	return fs.Args(), nil
}

// kindFilter turns --kind into a store filter. hard, soft and complaint select the addresses
// suppressed for that kind of bounce, whatever their latest bounce (an address suppressed for
// a hard bounce stays in the hard list after a later soft one); manual and import those
// suppressed by hand or from a list; blocked, which never suppresses, the addresses whose
// latest bounce was blocked.
func kindFilter(kind string) (suppress.Filter, error) {
	switch kind {
	case "suppressed":
		return suppress.Filter{SuppressedOnly: true}, nil
	case "all":
		return suppress.Filter{}, nil
	case "hard", "soft", "complaint":
		return suppress.Filter{SuppressedOnly: true, Cause: classify.Kind(kind)}, nil
	case "manual", "import":
		return suppress.Filter{SuppressedOnly: true, Source: suppress.Source(kind)}, nil
	case "blocked":
		return suppress.Filter{Kind: classify.KindBlocked}, nil
	}
	return suppress.Filter{}, usagef("unknown --kind %q (want hard, soft, complaint, manual, import, blocked, suppressed or all)", kind)
}

// kindHelp describes --kind for list and export.
const kindHelp = "which addresses: suppressed (all suppressed ones), hard, soft, complaint (suppressed for that\n" +
	"kind of bounce, whatever the latest one), manual, import (suppressed that way), blocked (latest\n" +
	"bounce blocked) or all"

// parseSince reads --since: a date (YYYY-MM-DD, UTC) or an RFC 3339 time.
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("bad --since %q (want YYYY-MM-DD or an RFC 3339 time)", s)
}

// fmtTime prints a stored time for people: UTC, to the second; "-" when unset.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// problemsError is a "finished, but with problems" error (exit status 3) with its own message.
type problemsError struct{ msg string }

func (e *problemsError) Error() string { return e.msg }
func (e *problemsError) Unwrap() error { return errProblems }

// problemsf returns an error that main maps to exit status 3, like errProblems.
func problemsf(format string, args ...any) error {
	return &problemsError{msg: fmt.Sprintf(format, args...)}
}

// addPolicyFlags adds the policy's settings to a command that records bounces (run), with the
// defaults of suppress.DefaultPolicy, and returns the policy they fill.
func addPolicyFlags(fs *flag.FlagSet) *suppress.Policy {
	p := suppress.DefaultPolicy()
	fs.BoolVar(&p.SuppressHard, "suppress-hard", p.SuppressHard, "suppress an address at its first hard bounce")
	fs.BoolVar(&p.SuppressComplaint, "suppress-complaints", p.SuppressComplaint, "suppress an address at its first complaint")
	fs.IntVar(&p.SoftDays, "soft-days", p.SoftDays, "suppress after soft bounces on this many different days (0: never)")
	fs.Var((*daysValue)(&p.SoftWindow), "soft-window", "soft bounces older than this stop counting (e.g. 30d or 720h)")
	fs.BoolVar(&p.DeliveredReleasesSoft, "delivered-releases-soft", p.DeliveredReleasesSoft,
		"a later delivered report releases a soft suppression")
	return &p
}

// daysValue is a duration flag that also takes whole days ("30d").
type daysValue time.Duration

func (d *daysValue) String() string {
	if d == nil {
		return ""
	}
	t := time.Duration(*d)
	if t > 0 && t%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", t/(24*time.Hour))
	}
	return t.String()
}

func (d *daysValue) Set(s string) error {
	var t time.Duration
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil {
			return fmt.Errorf("bad number of days %q", s)
		}
		t = time.Duration(days) * 24 * time.Hour
	} else {
		var err error
		if t, err = time.ParseDuration(s); err != nil {
			return err
		}
	}
	if t <= 0 {
		return fmt.Errorf("%q is not a positive duration", s)
	}
	*d = daysValue(t)
	return nil
}
