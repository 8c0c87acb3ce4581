package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/imapfetch"
	"github.com/bounceproc/bounceproc/internal/textsafe"
	"github.com/bounceproc/bounceproc/pipeline"
	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "run",
		summary: "fetch bounces from an IMAP mailbox, record them, and mark them processed",
		run:     runCommand,
	})
}

// Environment variables of run. Every flag can also be given as BOUNCEPROC_<FLAG> (upper case,
// '-' as '_'), e.g. BOUNCEPROC_MOVE_TO.
const (
	passwordEnv = "BOUNCEPROC_IMAP_PASSWORD"
	tokenEnv    = "BOUNCEPROC_IMAP_TOKEN"
	envPrefix   = "BOUNCEPROC_"
)

// runOptions is everything a run needs, whatever it was read from.
type runOptions struct {
	imap      imapfetch.Config
	mailboxes []string
	// account names the IMAP account in a store that several accounts share (see
	// pipeline.Config.Account).
	account string
	// mark is applied to mails that were decoded as bounces, complaints or auto-replies;
	// otherMark to ordinary mail and mails that could not be decoded (never a delete).
	mark      imapfetch.Mark
	otherMark imapfetch.Mark
	db        string
	dryRun    bool
	watch     bool
	// wait is how long to try again to take mailboxes other runs hold; lease is how long a
	// run's lease on a mailbox lasts unless renewed (see pipeline.Config.Lease).
	wait, lease time.Duration
	// progress forces the progress bar on (1) or off (-1); 0 decides by the terminal.
	progress int
	// logger receives the run's log; nil means a text log on stderr at logLevel, sharing it
	// with the progress bar.
	logger   *slog.Logger
	logLevel slog.Level

	// afterMail, set by tests, runs after each mail's result is handled (n counts them);
	// summary, when set, receives the run's counts.
	afterMail func(n int)
	summary   *runSummary
	// decode, when set by tests, replaces decodeContext.
	decode func(context.Context, []byte) (*dsn.Report, []classify.Verdict)
	// mailBudget and mailMemory bound the decoding of one mail (see decoder): 0 means the
	// default, a negative value no bound.
	mailBudget time.Duration
	mailMemory int64
}

func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "--imap HOST:PORT --user USER [--tls implicit|starttls|none] [--mailbox NAME]...\n"+
		"       [--move-to FOLDER | --flag | --delete] [--others-to FOLDER] [--db PATH] [--dry-run] [--watch]\n"+
		"       [--password-file FILE] [--ca-file FILE] [--max-size BYTES] [--mail-budget DURATION]\n"+
		"       [--mail-memory BYTES] [--lease DURATION] [--wait DURATION] [--config FILE]\n\n"+
		"Fetches the mails above the store's checkpoint, decodes and classifies them, records the\n"+
		"results, and only then marks each mail: bounces are moved, flagged or deleted as asked;\n"+
		"ordinary and undecodable mail is left in place or moved to --others-to, never deleted.\n"+
		"The password comes from $"+passwordEnv+" or --password-file, an XOAUTH2 token from\n"+
		"$"+tokenEnv+" or --token-file; never from a flag. Every flag can also be set as\n"+
		envPrefix+"<FLAG> (e.g. BOUNCEPROC_MOVE_TO) or in --config FILE (JSON, or key = value lines,\n"+
		"with mailbox repeatable). Command-line flags win over the environment, which wins over the file.\n\n"+
		"A mail whose decoding takes longer than --mail-budget, or during which the heap passes\n"+
		"--mail-memory, is stopped and recorded as too costly (set aside: left in place or moved to\n"+
		"--others-to). So is a mail during which two runs ended (a crash, a kill) or at which the\n"+
		"connection was lost twice; the run gives up (exit 1) when the connection is lost again and\n"+
		"again without a mail read in between. SIGINT or SIGTERM stops a run within a moment, even\n"+
		"in the middle of a mail; what was decoded is recorded, and the next run goes on from there.\n\n"+
		"Several runs may share one store and the same mailboxes: a run leases each mailbox from\n"+
		"the store while it works on it, renewing the lease every third of --lease, and leaves the\n"+
		"mailboxes other runs hold (it waits for them up to --wait; exit 75 when it could take\n"+
		"none). A run that dies holds its mailboxes until its lease expires (a run on the same\n"+
		"host takes them over at once when the dead run's process is gone); then another run\n"+
		"takes them and finishes the marking. With --watch, a run keeps the mailboxes it holds and\n"+
		"tries to take the others at every poll. With a PostgreSQL store, any number of runs on\n"+
		"any number of machines share it this way.", stderr)
	var (
		o                                   runOptions
		addr, user, tlsMode, auth, caFile   string
		serverName, passwordFile, tokenFile string
		moveTo, othersTo, keyword, config   string
		flagMail, deleteMail, plaintext     bool
		maxSize                             int64
		batch                               int
		timeout                             time.Duration
		mailboxes                           listFlag
		progress                            string
		verbose                             bool
	)
	fs.StringVar(&addr, "imap", "", "IMAP server as HOST:PORT (required)")
	fs.StringVar(&user, "user", "", "IMAP user name (required)")
	fs.StringVar(&tlsMode, "tls", "implicit", "implicit (port 993), starttls, or none (plain text: only on loopback or with --allow-plaintext)")
	fs.BoolVar(&plaintext, "allow-plaintext", false, "allow --tls none to a non-loopback server")
	fs.StringVar(&auth, "auth", "", "plain, login or xoauth2 (default: xoauth2 with a token, else plain)")
	fs.StringVar(&caFile, "ca-file", "", "PEM file of CAs to trust for the server's certificate")
	fs.StringVar(&serverName, "server-name", "", "name to check in the server's certificate (default: the --imap host)")
	fs.StringVar(&passwordFile, "password-file", "", "read the password from FILE (else $"+passwordEnv+")")
	fs.StringVar(&tokenFile, "token-file", "", "read an XOAUTH2 bearer token from FILE (else $"+tokenEnv+")")
	fs.Var(&mailboxes, "mailbox", "mailbox to process, repeatable or comma-separated (default INBOX)")
	fs.StringVar(&o.account, "account", "", "name of this IMAP account in a store that several accounts share: its mailboxes are kept as NAME/MAILBOX (default: the mailbox names alone)")
	fs.StringVar(&moveTo, "move-to", "", "move processed bounces to FOLDER (created if missing)")
	fs.BoolVar(&flagMail, "flag", false, "flag processed bounces with a keyword instead of moving them")
	fs.StringVar(&keyword, "keyword", imapfetch.DefaultKeyword, "the keyword --flag sets")
	fs.BoolVar(&deleteMail, "delete", false, "delete processed bounces (only bounces; other mail is never deleted)")
	fs.StringVar(&othersTo, "others-to", "", "move ordinary and undecodable mail to FOLDER (default: leave it in place)")
	addDBFlag(fs, &o.db)
	fs.BoolVar(&o.dryRun, "dry-run", false, "print what would be recorded, suppressed and moved; change nothing")
	fs.BoolVar(&o.watch, "watch", false, "stay connected and process new mail as it arrives (IDLE, else polling)")
	fs.DurationVar(&o.wait, "wait", 0, "try this long to take mailboxes other runs hold (default: leave them at once)")
	fs.DurationVar(&o.lease, "lease", pipeline.DefaultLease, "a run leases each mailbox for this long, renewing it every third while it works; a run that dies loses its mailboxes after it")
	fs.Int64Var(&maxSize, "max-size", imapfetch.DefaultMaxSize, "fetch at most BYTES of a mail; larger ones are decoded from their start and reported")
	fs.IntVar(&batch, "batch", imapfetch.DefaultBatchSize, "mails per fetch command; a store transaction holds one to two batches of mails (less at the end)")
	fs.DurationVar(&timeout, "timeout", imapfetch.DefaultTimeout, "network timeout per IMAP step")
	fs.StringVar(&progress, "progress", "auto", "progress bar: auto (on a terminal), always or never")
	fs.DurationVar(&o.mailBudget, "mail-budget", pipeline.DefaultMailBudget, "stop decoding a mail after this long and set it aside as too costly (0: no limit)")
	fs.Int64Var(&o.mailMemory, "mail-memory", pipeline.DefaultMailMemory, "stop decoding a mail when the heap passes BYTES and set it aside as too costly (0: no limit)")
	fs.BoolVar(&verbose, "v", false, "log every mail")
	fs.StringVar(&config, "config", "", "read settings from FILE (JSON, or key = value lines)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := fillFromEnvAndConfig(fs, config); err != nil {
		return err
	}

	mode, err := imapfetch.ParseTLSMode(tlsMode)
	if err != nil {
		return usagef("%v", err)
	}
	if addr == "" || user == "" {
		return usagef("--imap HOST:PORT and --user are required")
	}
	o.imap = imapfetch.Config{
		Addr: addr, TLS: mode, CAFile: caFile, ServerName: serverName, User: user,
		Auth: imapfetch.AuthMech(strings.ToLower(auth)), MaxSize: maxSize, BatchSize: batch, Timeout: timeout,
	}
	o.imap.AllowPlaintext, o.imap.PlaintextOnLoopback = plaintext, true
	if mode == imapfetch.TLSNone && !plaintext {
		// Every address the host resolves to must be loopback; Dial checks again and connects
		// to those addresses.
		if loopback, _ := imapfetch.IsLoopback(ctx, addr); !loopback {
			return usagef("--tls none sends the password in clear: only to a loopback address, or with --allow-plaintext")
		}
	}
	if o.imap.Password, err = secret(passwordFile, passwordEnv); err != nil {
		return err
	}
	if o.imap.Token, err = secret(tokenFile, tokenEnv); err != nil {
		return err
	}
	if o.imap.Password == "" && o.imap.Token == "" {
		return usagef("no password: set $%s or give --password-file (or a token via $%s / --token-file)", passwordEnv, tokenEnv)
	}
	n := 0
	for _, set := range []bool{moveTo != "", flagMail, deleteMail} {
		if set {
			n++
		}
	}
	if n > 1 {
		return usagef("--move-to, --flag and --delete exclude each other")
	}
	switch {
	case moveTo != "":
		o.mark = imapfetch.Mark{Action: imapfetch.MarkMove, Folder: moveTo}
	case flagMail:
		o.mark = imapfetch.Mark{Action: imapfetch.MarkFlag, Keyword: keyword}
	case deleteMail:
		o.mark = imapfetch.Mark{Action: imapfetch.MarkDelete}
	}
	if othersTo != "" {
		o.otherMark = imapfetch.Mark{Action: imapfetch.MarkMove, Folder: othersTo}
	}
	for _, m := range []imapfetch.Mark{o.mark, o.otherMark} {
		if err := m.Validate(); err != nil {
			return usagef("%v", err)
		}
	}
	o.mailboxes = mailboxes
	if o.lease <= 0 {
		return usagef("--lease %v: want a positive duration", o.lease)
	}
	switch progress {
	case "auto":
	case "always":
		o.progress = 1
	case "never":
		o.progress = -1
	default:
		return usagef("--progress %q: want auto, always or never", progress)
	}
	if verbose {
		o.logLevel = slog.LevelDebug
	}
	if o.mailBudget == 0 {
		o.mailBudget = -1
	}
	if o.mailMemory == 0 {
		o.mailMemory = -1
	}
	return runRun(ctx, o, stdout, stderr)
}

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(*l, s) {
			*l = append(*l, s)
		}
	}
	return nil
}

// fillFromEnvAndConfig sets every flag not given on the command line from BOUNCEPROC_<FLAG>,
// else from the config file.
func fillFromEnvAndConfig(fs *flag.FlagSet, configFile string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["config"] {
		if v, ok := os.LookupEnv(envName("config")); ok {
			configFile = v
		}
	}
	var conf map[string][]string
	if configFile != "" {
		var err error
		if conf, err = readRunConfig(configFile); err != nil {
			return err
		}
		for k := range conf {
			if k == "password" || k == "token" {
				return usagef("%s: a %s does not belong in the config file; use %s-file or $%s", configFile, k, k, passwordEnv)
			}
			if fs.Lookup(k) == nil {
				return usagef("%s: unknown setting %q", configFile, k)
			}
		}
	}
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || f.Name == "config" {
			return
		}
		if v, ok := os.LookupEnv(envName(f.Name)); ok {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, usagef("$%s: %v", envName(f.Name), err))
			}
			return
		}
		for _, v := range conf[f.Name] {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, usagef("%s: %s: %v", configFile, f.Name, err))
			}
		}
	})
	return errors.Join(errs...)
}

func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// readRunConfig reads a config file: a JSON object (values strings, numbers, booleans or lists
// of them, "mailboxes" as a synonym of "mailbox"), or lines of key = value with # comments.
func readRunConfig(path string) (map[string][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("config: %v", err)
	}
	conf := map[string][]string{}
	add := func(k string, v string) {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "mailboxes" {
			k = "mailbox"
		}
		conf[k] = append(conf[k], v)
	}
	if trimmed := strings.TrimSpace(string(data)); strings.HasPrefix(trimmed, "{") {
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, usagef("config %s: %v", path, err)
		}
		for k, v := range raw {
			vals := []any{v}
			if l, ok := v.([]any); ok {
				vals = l
			}
			for _, x := range vals {
				switch x := x.(type) {
				case string:
					add(k, x)
				case bool:
					add(k, strconv.FormatBool(x))
				case float64:
					add(k, strconv.FormatFloat(x, 'f', -1, 64))
				default:
					return nil, usagef("config %s: %s: want a string, number, boolean or a list of them", path, k)
				}
			}
		}
		return conf, nil
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok {
			return nil, usagef("config %s:%d: want key = value", path, line)
		}
		add(k, strings.Trim(strings.TrimSpace(v), `"`))
	}
	return conf, nil
}

// secret reads a credential from a file (first line, trimmed) or else from the environment.
func secret(file, env string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("reading secret file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimSpace(line), nil
	}
	return os.Getenv(env), nil
}

// runSummary counts what a run did (see pipeline.Summary).
type runSummary = pipeline.Summary

// printSummary writes the summary. Each line says what happened to the mails it counts, as the
// options made it happen (or, in a dry run, would make it happen).
func printSummary(w io.Writer, s runSummary, o runOptions) {
	would := ""
	if o.dryRun {
		would = " (dry run: nothing was changed)"
	}
	fmt.Fprintf(w, "mails fetched     %6d%s\n", s.Fetched, would)
	fmt.Fprintf(w, "  bounces         %6d  (delivery reports and bounce notices)\n", s.Bounces)
	fmt.Fprintf(w, "  complaints      %6d\n", s.Complaints)
	fmt.Fprintf(w, "  auto-replies    %6d\n", s.AutoReplies)
	if s.Reports > 0 {
		fmt.Fprintf(w, "  reports         %6d  (feedback reports that are not complaints: authentication failures, not-spam)\n", s.Reports)
	}
	fmt.Fprintf(w, "  not bounces     %6d  (%s)\n", s.NotBounces, o.othersFate())
	fmt.Fprintf(w, "  already known   %6d  (recorded by an earlier run)\n", s.AlreadyRecorded)
	if s.Repeats > 0 {
		fmt.Fprintf(w, "  repeats         %6d  (the same mail as one earlier in this run: delivered twice, or found again)\n", s.Repeats)
	}
	if s.Quarantined > 0 {
		fmt.Fprintf(w, "  set aside       %6d  (too costly to decode, or runs crashed or lost the connection on them; recorded, not decoded)\n", s.Quarantined)
	}
	fmt.Fprintf(w, "recipients: hard %d, soft %d, blocked %d, delayed %d, delivered %d, undetermined %d\n",
		s.Hard, s.Soft, s.Blocked, s.Delayed, s.Delivered, s.Other)
	fmt.Fprintf(w, "newly suppressed  %6d\n", s.NewlySuppressed)
	fmt.Fprintf(w, "mails marked      %6d\n", s.Marked)
	fmt.Fprintf(w, "problems          %6d\n", s.Problems)
	if s.Held > 0 {
		fmt.Fprintf(w, "mailboxes left    %6d  (other runs held them; the log names them)\n", s.Held)
	}
}

// errHeld says that other runs held every mailbox, so the run did nothing; main maps it to
// exit status 75.
var errHeld = errors.New("nothing done")

// errInterrupted says a run was stopped by a signal (its context ended) before it was done;
// main maps it to exit status 130.
var errInterrupted = errors.New("stopped before the end")

// runRun processes every mailbox once (or, with watch, until ctx ends), then prints the
// summary. A run stopped by ctx records what it decoded and returns errInterrupted.
func runRun(ctx context.Context, o runOptions, stdout, stderr io.Writer) error {
	err := runMailboxes(ctx, o, stdout, stderr)
	if err != nil && ctx.Err() != nil && !errors.Is(err, errProblems) {
		return fmt.Errorf("%w (%v): what was decoded is recorded, and the next run goes on from there", errInterrupted, context.Cause(ctx))
	}
	return err
}

func runMailboxes(ctx context.Context, o runOptions, stdout, stderr io.Writer) error {
	if len(o.mailboxes) == 0 {
		o.mailboxes = []string{"INBOX"}
	}
	if o.lease == 0 {
		o.lease = pipeline.DefaultLease
	}
	if err := checkDestinations(o); err != nil {
		return err
	}
	// Log lines and the progress bar share stderr: the bar clears its line for each.
	bar := newProgressBar(stderr, o.progress)
	if o.logger == nil {
		o.logger = slog.New(slog.NewTextHandler(bar, &slog.HandlerOptions{Level: o.logLevel}))
	}
	bar.log = o.logger
	o.imap.Logger = o.logger
	defer tuneGC()()
	defer tuneProcs()()
	if o.mark.Action == imapfetch.MarkDelete && o.otherMark.Action == imapfetch.MarkDelete {
		return usagef("mail that is not a bounce is never deleted")
	}
	if o.dryRun {
		// A dry run records into a throwaway copy of the store (an empty one when there is
		// none yet) what the run would record: each transaction sees the ones before it, as
		// the run's would, and nothing is created or changed.
		tmp, err := os.MkdirTemp("", "bounceproc-dry-run")
		if err != nil {
			return fmt.Errorf("run: %w", err)
		}
		defer os.RemoveAll(tmp)
		scratch := filepath.Join(tmp, "dry-run.db")
		if err := copyStore(ctx, o.db, scratch); err != nil {
			return err
		}
		o.db = scratch
	}
	if err := checkStoreDir(o.db); err != nil {
		return err
	}
	// The server's greeting and login take round trips; the store opens meanwhile (a new one
	// creates its schema, with an fsync per step) and the classifier builds its tables (15 ms
	// in a fresh process, which the first mail would otherwise wait for).
	go classify.Prepare()
	type dialed struct {
		c   *imapfetch.Client
		err error
	}
	dialing := make(chan dialed, 1)
	dialCtx, stopDialing := context.WithCancel(ctx)
	defer stopDialing()
	go func() {
		c, err := imapfetch.Dial(dialCtx, o.imap)
		dialing <- dialed{c, err}
	}()
	st, err := openStore(ctx, o.db, false)
	if err != nil {
		stopDialing() // the store's error is the one to report, without waiting for a slow server
	}
	d := <-dialing
	if d.err == nil {
		defer d.c.Close()
	}
	if err != nil {
		return err
	}
	defer st.Close()
	if d.err != nil {
		return d.err
	}
	// A damaged store must not be written to: quick_check reads every page (≈0.2 s per
	// 57 MB) and says what is wrong before anything is recorded.
	if err := st.QuickCheck(ctx); err != nil {
		return err
	}

	cfg := pipeline.Config{
		IMAP: o.imap, Mailboxes: o.mailboxes, Account: o.account, Mark: o.mark, OtherMark: o.otherMark,
		DryRun: o.dryRun, Watch: o.watch, MailBudget: o.mailBudget, MailMemory: o.mailMemory,
		InflightPath: inflightPrefix(o.db), Logger: o.logger, Decode: o.decode,
		Lease: o.lease, Wait: o.wait,
		OnMailbox: bar.start,
		OnMail: func(m pipeline.MailResult) {
			report(stdout, o, m)
			bar.step()
			if o.afterMail != nil {
				o.afterMail(m.N)
			}
		},
		OnMailboxDone: func(_ string, s pipeline.Summary) {
			if o.watch && s.Fetched > 0 {
				printSummary(stdout, s, o)
			}
		},
	}
	total, err := pipeline.Run(ctx, cfg, st, d.c)
	bar.finish()
	if errors.Is(err, pipeline.ErrHeld) {
		return fmt.Errorf("%v: %w; --wait waits for them", err, errHeld)
	}
	printSummary(stdout, total, o)
	if o.summary != nil {
		*o.summary = total
	}
	if err != nil {
		return err
	}
	if total.Problems > 0 {
		return problemsf("%d of %d mails had problems (%s)", total.Problems, total.Fetched, o.othersFate())
	}
	return nil
}

// inflightPrefix starts the names of the files that name the mail being decoded, per mailbox
// (see pipeline.Config.InflightPath): beside an SQLite store; for a PostgreSQL store, which
// has no file, in this user's cache folder (they concern the runs of this machine), named by
// a hash of the store's URL.
func inflightPrefix(db string) string {
	if !suppress.IsURL(db) {
		return db + ".inflight"
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "bounceproc")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "" // the run keeps none: a mail that crashes it is then not counted against
	}
	sum := sha256.Sum256([]byte(db))
	return filepath.Join(dir, "postgres-"+hex.EncodeToString(sum[:8])+".inflight")
}

// copyStore copies the store at db, if there is one, to the SQLite file scratch, for a dry
// run: an SQLite store as a snapshot of its file, a PostgreSQL one row by row (suppress.Copy,
// in one read transaction).
func copyStore(ctx context.Context, db, scratch string) error {
	if !suppress.IsURL(db) {
		if _, err := os.Stat(db); errors.Is(err, os.ErrNotExist) {
			return nil
		}
	}
	src, err := openExistingStore(ctx, db)
	if err != nil {
		return err
	}
	defer src.Close()
	if !suppress.IsURL(db) {
		return src.CopyTo(ctx, scratch)
	}
	dst, err := suppress.Open(ctx, scratch, suppress.Options{})
	if err != nil {
		return err
	}
	if _, err := suppress.Copy(ctx, src, dst); err != nil {
		dst.Close()
		return fmt.Errorf("copying %s for the dry run: %w", db, err)
	}
	return dst.Close()
}

// report logs one mail; in a dry run it prints what would happen to stdout.
func report(out io.Writer, o runOptions, m pipeline.MailResult) {
	res := m.Result
	if o.dryRun {
		fmt.Fprintf(out, "%s uid %d: %s", textsafe.Escape(m.Mailbox), m.UID, m.Kind)
		if res.Duplicate {
			fmt.Fprint(out, ", already recorded")
		}
		for _, d := range res.Decisions {
			verb := "record"
			if d.Action == suppress.ActionSuppressed {
				verb = "suppress"
			}
			fmt.Fprintf(out, "; would %s %s (%s)", verb, textsafe.Escape(d.Address), d.Kind)
		}
		if m.Problem != "" {
			fmt.Fprintf(out, "; problems: %s", textsafe.Escape(m.Problem))
		}
		fmt.Fprintf(out, "; would %s\n", m.Mark)
		return
	}
	if m.Problem == "" && !o.logger.Enabled(context.Background(), slog.LevelDebug) {
		return // nothing to log
	}
	attrs := []any{"mailbox", m.Mailbox, "uid", m.UID, "kind", m.Kind, "recipients", m.Recipients, "mark", m.Mark.String()}
	if len(res.Suppressed) > 0 {
		attrs = append(attrs, "suppressed", strings.Join(res.Suppressed, " "))
	}
	if res.Duplicate {
		attrs = append(attrs, "already_recorded", true)
	}
	if m.Problem != "" {
		o.logger.Warn("mail with problems", append(attrs, "problems", m.Problem)...)
		return
	}
	o.logger.Debug("mail", attrs...)
}

// progressBar draws "mailbox [=====>    ] 120/1000 mails  350/s" on a terminal; elsewhere it
// logs a line every 1,000 mails. Log lines written through it (Write) clear the bar's line
// first and draw the bar again after, so that each has a line of its own.
type progressBar struct {
	w       io.Writer
	on      bool
	log     *slog.Logger
	mu      sync.Mutex // guards the fields below and writes to w
	name    string
	total   int
	done    int
	started time.Time
	drawn   time.Time
	shown   bool // the bar is on the last line
}

func newProgressBar(w io.Writer, force int) *progressBar {
	b := &progressBar{w: w}
	switch {
	case force > 0:
		b.on = true
	case force == 0:
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			b.on = true
		}
	}
	return b
}

// Write writes a log line, on a line of its own.
func (b *progressBar) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.shown {
		return b.w.Write(p)
	}
	fmt.Fprint(b.w, "\r\x1b[K") // carriage return, erase the line
	n, err := b.w.Write(p)
	b.draw()
	return n, err
}

func (b *progressBar) start(name string, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.name, b.total, b.done, b.started = name, total, 0, time.Now()
	if b.on && total > 0 {
		b.draw()
	}
}

func (b *progressBar) step() {
	b.mu.Lock()
	b.done++
	name, done, total := b.name, b.done, b.total
	if b.on && (time.Since(b.drawn) > 100*time.Millisecond || b.done == b.total) {
		b.draw()
	}
	b.mu.Unlock()
	if !b.on && done%1000 == 0 {
		b.log.Info("progress", "mailbox", name, "done", done, "of", total)
	}
}

// draw draws the bar; b.mu is held.
func (b *progressBar) draw() {
	const width = 30
	fill := 0
	if b.total > 0 {
		fill = min(width, b.done*width/b.total)
	}
	rate := 0.0
	if el := time.Since(b.started).Seconds(); el > 0 {
		rate = float64(b.done) / el
	}
	bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
	if fill > 0 && fill < width {
		bar = bar[:fill-1] + ">" + bar[fill:]
	}
	fmt.Fprintf(b.w, "\r%s [%s] %d/%d mails  %.0f/s ", b.name, bar, b.done, b.total, rate)
	b.drawn = time.Now()
	b.shown = true
}

func (b *progressBar) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shown {
		fmt.Fprintln(b.w)
		b.shown = false
	}
}

// checkDestinations refuses a run whose --move-to or --others-to folder is also one of the
// mailboxes it processes: every mail it moved would come back as new, and the run would move
// the same mails again and again. IMAP names are case-sensitive except INBOX (RFC 3501 §5.1).
func checkDestinations(o runOptions) error {
	same := func(a, b string) bool {
		if strings.EqualFold(a, "INBOX") && strings.EqualFold(b, "INBOX") {
			return true
		}
		return a == b
	}
	for _, mb := range o.mailboxes {
		for _, m := range []struct {
			flag string
			mark imapfetch.Mark
		}{{"--move-to", o.mark}, {"--others-to", o.otherMark}} {
			if m.mark.Action == imapfetch.MarkMove && same(mb, m.mark.Folder) {
				return usagef("mailbox %q is also the %s folder: the run would process the mails it moved there again; choose another folder", mb, m.flag)
			}
		}
	}
	return nil
}

// othersFate says what happens to mail that is not a bounce or could not be decoded: what a
// summary line says of it must be what the run did (or, in a dry run, would do).
func (o runOptions) othersFate() string {
	switch {
	case o.dryRun && o.otherMark.Action == imapfetch.MarkMove:
		return "would be recorded in the ledger and moved to " + strconv.Quote(o.otherMark.Folder)
	case o.dryRun:
		return "would be recorded in the ledger and left in place"
	case o.otherMark.Action == imapfetch.MarkMove:
		return "recorded in the ledger, moved to " + strconv.Quote(o.otherMark.Folder)
	default:
		return "recorded in the ledger, left in place"
	}
}
