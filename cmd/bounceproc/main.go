// Command bounceproc turns bounce mail into suppression decisions: it fetches bounces from a
// postmaster mailbox, decodes and classifies them, records the verdicts and exports the addresses
// that must not be mailed again.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"

	"github.com/bounceproc/bounceproc/internal/hugepages"
)

// Exit codes, shared by every subcommand and listed in each one's help.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitProblems = 3
	// exitInterrupted is a command stopped by SIGINT or SIGTERM before the end, as shells
	// report a process ended by SIGINT.
	exitInterrupted = 130
	// exitHeld is a run that did nothing because other runs held every mailbox: as
	// sysexits.h's EX_TEMPFAIL, try again later.
	exitHeld = 75
)

const exitCodesHelp = `Exit status: 0 ok, 1 failure, 2 usage error, 3 finished but some mails had problems,
75 nothing done because other runs hold the work, 130 stopped by SIGINT or SIGTERM (what was done is kept)
(each command's help says what each code means for it).`

// exitHelp says what each exit status means for each command; its help prints it. A command
// missing here prints exitCodesHelp. TestExitHelpMatchesCode checks the cases it names.
var exitHelp = map[string]string{
	"decode": `Exit status:
  0  every mail was read and decoded without problems
  1  a PATH or a file in it could not be read (the other mails are still decoded and printed),
     or the output could not be written
  2  usage error: unknown flag or --format, no PATH and standard input is a terminal
  3  every file was read, but some mails had problems (listed on standard error)`,
	"explain": `Exit status:
  0  explained
  1  standard input (-) could not be read, or the output could not be written
  2  usage error: no CODE or TEXT, unknown --format`,
	"serve": `Exit status:
  0  stopped by Ctrl-C or SIGTERM
  1  the address could not be listened on, --dir lacks the built module, the store (--db)
     cannot be opened or the token file (--api-token-file) read
  2  usage error`,
	"demo": `Exit status:
  0  the demo ran (the damaged sample mails it includes on purpose do not change this)
  1  failure: DIR could not be written, or the in-memory server or the store failed
  2  usage error`,
	"allow": `Exit status:
  0  done (or, with --dry-run, shown)
  1  failure: the store could not be opened or written
  2  usage error, changing nothing: a pattern that is not an address or @DOMAIN (wildcards
     such as *@example.org are refused), or an allow that would release suppressed addresses
     without --yes (on a terminal, a "y" to the question does instead)`,
	"release": `Exit status:
  0  done (or, with --dry-run, shown)
  1  failure: the store could not be opened or written
  2  usage error: no ADDRESS, no --why
  3  some addresses were not changed: invalid, or not in the store (the others were)`,
	"suppress": `Exit status:
  0  done (or, with --dry-run, shown)
  1  failure: the store could not be opened or written
  2  usage error: no ADDRESS, no --why
  3  some addresses were not changed: invalid, or on the allow list (the others were)`,
	"import": `Exit status:
  0  every row was imported (or, with --dry-run, shown)
  1  failure: FILE or the store could not be read or written
  2  usage error, or FILE has no email column
  3  some rows were rejected (listed on standard error; the others were imported)`,
	"export": `Exit status:
  0  exported
  1  failure: no store at --db, or the output could not be written
  2  usage error`,
	"list": `Exit status:
  0  listed (an empty list included)
  1  failure: no store at --db, or it could not be read
  2  usage error`,
	"show": `Exit status:
  0  shown
  1  failure: the address is not in the store, or no store at --db
  2  usage error: not one ADDRESS, or an invalid one`,
	"stats": `Exit status:
  0  shown
  1  failure: no store at --db, or it could not be read
  2  usage error`,
	"run": `Exit status:
  0  every fetched mail was recorded and marked (mailboxes other runs held are left to them,
     counted in the summary and named in the log)
  1  failure: IMAP connection, login, mailbox or store error; a mail could not be marked
  2  usage error: flags, environment or config file
  3  the run finished, but some mails had problems (recorded in the ledger and left in
     place, or moved to --others-to), or were set aside (too costly to decode, or
     the run crashed or lost its connection twice in them)
  75  nothing done: other runs held every mailbox (until --wait ran out); try again later
  130 stopped by SIGINT or SIGTERM: what was decoded is committed`,
	"check": `Exit status:
  0  the store is sound
  1  the store is missing, is not a bounceproc store, or is damaged (what is wrong is printed)
  2  usage error`,
	"version": `Exit status:
  0  always`,
}

// errProblems is returned by a subcommand that finished its work but met mails it could not
// read or decode; main maps it to exit status 3.
var errProblems = errors.New("some mails had problems")

// usageError marks an error in how the command was called; main maps it to exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// command is one subcommand. Each lives in a file of its own and adds itself to commands in
// an init function.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands []command

func main() {
	// The commands that read mail in bulk fill a fresh heap, cheaper to fault in on huge
	// pages. (Here, not in runRun or runDecode: a process that runs them over and over, the
	// tests' and the benchmarks', keeps its heap, and there the advice cost 2-3 % more CPU;
	// the other commands would pay 300 page faults for it.)
	if len(os.Args) > 1 && slices.Contains([]string{"run", "decode", "demo"}, os.Args[1]) {
		hugepages.ForHeap()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// runMain dispatches to a subcommand and maps its error to an exit code, in one place.
func runMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		printUsage(stderr)
		return exitUsage
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help" && len(args) == 1:
		printUsage(stdout)
		return exitOK
	case args[0] == "help":
		// `help CMD` is `CMD -h`, on standard output since it was asked for.
		if len(args) > 2 {
			fmt.Fprintf(stderr, "bounceproc help: want one COMMAND, got %q\n", args[1:])
			return exitUsage
		}
		args = []string{args[1], "-h"}
		stderr = stdout
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == args[0] })
	if i < 0 {
		fmt.Fprintf(stderr, "bounceproc: unknown command %q\n\n", args[0])
		printUsage(stderr)
		return exitUsage
	}
	err := commands[i].run(ctx, args[1:], stdout, stderr)
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "bounceproc %s: %v\n", args[0], err)
		return exitUsage
	case errors.Is(err, errInterrupted), ctx.Err() != nil && errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "bounceproc %s: %v\n", args[0], err)
		return exitInterrupted
	case errors.Is(err, errProblems):
		fmt.Fprintf(stderr, "bounceproc %s: %v\n", args[0], err)
		return exitProblems
	case errors.Is(err, errHeld):
		fmt.Fprintf(stderr, "bounceproc %s: %v\n", args[0], err)
		return exitHeld
	default:
		fmt.Fprintf(stderr, "bounceproc %s: %v\n", args[0], err)
		return exitFailure
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: bounceproc COMMAND [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cs := slices.Clone(commands)
	slices.SortFunc(cs, func(a, b command) int { return strings.Compare(a.name, b.name) })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'bounceproc help COMMAND' (or 'bounceproc COMMAND -h') for a command's flags and exit codes.")
	fmt.Fprintln(w, exitCodesHelp)
}

// newFlagSet returns a flag set for a subcommand that reports errors instead of exiting and
// prints its help with the exit codes.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: bounceproc %s %s\n\n", name, synopsis)
		fs.PrintDefaults()
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Flags may come before, between or after the arguments; -- ends the flags.")
		if h, ok := exitHelp[name]; ok {
			fmt.Fprintln(stderr, h)
		} else {
			fmt.Fprintln(stderr, exitCodesHelp)
		}
	}
	return fs
}

// parseFlags parses args into fs, turning a parse error into a usage error. Flags may come
// before, between or after the positional arguments (`decode FILE --format table`), as users
// of other CLIs expect; a lone "--" ends the flags, and what follows it is positional even
// when it starts with "-". Afterwards fs.Args() holds the positional arguments, in order.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return &usageError{msg: err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	// Leave the positional arguments in fs.Args(): after "--", Parse sets no flag.
	if err := fs.Parse(append([]string{"--"}, pos...)); err != nil {
		return &usageError{msg: err.Error()}
	}
	return nil
}

func init() {
	commands = append(commands, command{
		name:    "version",
		summary: "print the version, the commit it was built from and the Go release",
		run: func(_ context.Context, args []string, stdout, stderr io.Writer) error {
			fs := newFlagSet("version", "", stderr)
			if err := parseFlags(fs, args); err != nil {
				return err
			}
			if fs.NArg() > 0 {
				return usagef("unexpected argument %q", fs.Arg(0))
			}
			bi, ok := debug.ReadBuildInfo()
			if !ok {
				_, err := fmt.Fprintln(stdout, "bounceproc (no build information: built without module support)")
				return err
			}
			_, err := io.WriteString(stdout, versionText(bi))
			return err
		},
	})
}

// versionText describes a build: the module version ("(devel)" for a build in a source
// tree, v1.2.3 for `go install ...@v1.2.3`), the VCS revision, its time and whether the
// tree had uncommitted changes (when go build recorded them), and the Go release.
func versionText(bi *debug.BuildInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "bounceproc %s\n", bi.Main.Version)
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		fmt.Fprintf(&b, "commit:   %s", rev)
		if settings["vcs.modified"] == "true" {
			b.WriteString(" (with uncommitted changes)")
		}
		b.WriteString("\n")
	}
	if t := settings["vcs.time"]; t != "" {
		fmt.Fprintf(&b, "time:     %s\n", t)
	}
	fmt.Fprintf(&b, "go:       %s\n", bi.GoVersion)
	if bi.Main.Sum != "" {
		fmt.Fprintf(&b, "checksum: %s\n", bi.Main.Sum)
	}
	return b.String()
}
