package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/url"
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

// dbPasswordFile is --db-password-file: a file holding the PostgreSQL password.
var dbPasswordFile string

// addDBFlag adds --db and --db-password-file to a subcommand's flags.
func addDBFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "db", defaultDBPath(), "suppression store: an SQLite file, or a PostgreSQL database as\n"+
		"postgres://USER@HOST:5432/DBNAME?sslmode=... (the default comes from $"+dbEnv+" when set).\n"+
		"The password is never part of the URL: it comes from $PGPASSWORD, --db-password-file or\n"+
		"~/.pgpass. For a host other than the loopback the connection requires TLS with a verified\n"+
		"certificate (sslmode=verify-full) unless the URL sets sslmode itself")
	fs.StringVar(&dbPasswordFile, "db-password-file", "", "file holding the PostgreSQL password (its first line)")
}

// storeURL returns what to open for --db: an SQLite path as it is; a PostgreSQL URL refused
// when it holds a password, with sslmode=verify-full added for a host that is not the
// loopback when it sets no sslmode (pgx's default, prefer, takes an unverified certificate
// or none), and the password of --db-password-file added. pgx itself reads $PGPASSWORD and
// ~/.pgpass when the URL has no password.
func storeURL(db string) (string, error) {
	if !suppress.IsURL(db) {
		return db, nil
	}
	u, err := url.Parse(db)
	if err != nil {
		return "", usagef("--db: not a PostgreSQL URL: %v", err)
	}
	if _, ok := u.User.Password(); ok {
		return "", usagef("--db: the URL contains a password, which other users can read on the command line or in the environment of a process;\n" +
			"remove it and put it in $PGPASSWORD, a file given with --db-password-file, or ~/.pgpass")
	}
	q := u.Query()
	if q.Get("sslmode") == "" && !loopbackHost(u.Hostname(), q.Get("host")) {
		q.Set("sslmode", "verify-full")
		u.RawQuery = q.Encode()
	}
	if dbPasswordFile != "" {
		b, err := os.ReadFile(dbPasswordFile)
		if err != nil {
			return "", fmt.Errorf("--db-password-file: %w", err)
		}
		pw, _, _ := strings.Cut(string(b), "\n")
		pw = strings.TrimSuffix(pw, "\r")
		if pw == "" {
			return "", fmt.Errorf("--db-password-file %s: the first line is empty", dbPasswordFile)
		}
		name := u.User.Username()
		if name == "" {
			name = os.Getenv("PGUSER")
		}
		u.User = url.UserPassword(name, pw)
	}
	return u.String(), nil
}

// loopbackHost reports whether a PostgreSQL URL's host (or its host= parameter, which may
// name a Unix socket directory) is this machine.
func loopbackHost(host, param string) bool {
	if host == "" {
		host = param
	}
	if host == "" || strings.HasPrefix(host, "/") || strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
	name, err := storeURL(path)
	if err != nil {
		return nil, err
	}
	return suppress.Open(ctx, name, suppress.Options{DryRun: dryRun})
}

// openExistingStore opens the store for a command that only reads it: a missing file, or a
// PostgreSQL database without the schema, is an error rather than a new empty store.
func openExistingStore(ctx context.Context, path string) (*suppress.SQLite, error) {
	name, err := storeURL(path)
	if err != nil {
		return nil, err
	}
	s, err := suppress.Open(ctx, name, suppress.Options{MustExist: true})
	if errors.Is(err, suppress.ErrNoStore) {
		if suppress.IsURL(path) {
			return nil, fmt.Errorf("no suppression store in %s: the database has no bounceproc schema (a command that records creates it)", path)
		}
		return nil, fmt.Errorf("no suppression store at %s (give --db or set $%s)", path, dbEnv)
	}
	return s, err
}

// checkStoreDir fails when the store's directory does not exist: it is never created, since a
// typo in a path would otherwise start a second suppression list.
func checkStoreDir(db string) error {
	if suppress.IsURL(db) {
		return nil
	}
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
