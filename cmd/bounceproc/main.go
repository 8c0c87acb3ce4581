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
)

const exitCodesHelp = `Exit status: 0 ok, 1 failure, 2 usage error, 3 finished but some mails had problems,
130 stopped by SIGINT or SIGTERM (what was done is kept).`

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
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
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
	fmt.Fprintln(w, "Run 'bounceproc COMMAND -h' for a command's flags.")
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
		fmt.Fprintln(stderr, exitCodesHelp)
	}
	return fs
}

// parseFlags parses args into fs, turning a parse error into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: err.Error()}
	}
	return nil
}
