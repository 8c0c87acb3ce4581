package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/bounceproc/bounceproc/esp"
	"github.com/bounceproc/bounceproc/internal/textsafe"
)

func init() {
	commands = append(commands, command{
		name:    "ingest",
		summary: "record a sending service's bounce and complaint events from JSON files (backfill)",
		run:     ingestCommand,
	})
	exitHelp["ingest"] = `Exit status:
  0  every file was read and its events recorded (or, with --dry-run, shown)
  1  failure: the store could not be opened or written
  2  usage error: no --provider, an unknown one, or no FILE
  3  some files could not be read or were not the provider's events (nothing of those
     was recorded; the other files were)`
}

// ingestBatch is how many events one transaction records.
const ingestBatch = 1000

// ingestMaxFile caps the size of one file ingest reads.
const ingestMaxFile = 1 << 30

type ingestOptions struct {
	provider esp.Provider
	db       string
	dryRun   bool
	files    []string
}

func ingestCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ingest", "--provider ses|sendgrid|postmark|mailgun [--db PATH] [--dry-run] FILE...\n\n"+
		"Records the events of a sending service from files, as its webhook would (see serve), for a\n"+
		"backfill: SES notifications or the SNS messages that carry them, SendGrid Event Webhook\n"+
		"posts, Postmark bounce and spam-complaint webhook records, Mailgun webhook posts, event-data\n"+
		"objects or Events API pages. A file holds one JSON object, a JSON array of them, or one per\n"+
		"line. Signatures are not checked. Each event is recorded once, by its provider event ID:\n"+
		"ingesting a file again, or events the webhook already received, records nothing new.", stderr)
	var o ingestOptions
	var provider string
	fs.StringVar(&provider, "provider", "", "the service the events come from: ses, sendgrid, postmark or mailgun (required)")
	addDBFlag(fs, &o.db)
	fs.BoolVar(&o.dryRun, "dry-run", false, "show what would be recorded and suppressed; change nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if provider == "" {
		return usagef("--provider is required (ses, sendgrid, postmark or mailgun)")
	}
	p, err := esp.ParseProvider(provider)
	if err != nil {
		return usagef("--provider: %v", err)
	}
	o.provider, o.files = p, fs.Args()
	if len(o.files) == 0 {
		return usagef("no FILE given")
	}
	return runIngest(ctx, o, stdout, stderr)
}

func runIngest(ctx context.Context, o ingestOptions, stdout, stderr io.Writer) error {
	if !o.dryRun {
		if err := checkStoreDir(o.db); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
	}
	st, err := openStore(ctx, o.db, o.dryRun)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	defer st.Close()
	bad := 0
	var total esp.Outcome
	for _, name := range o.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		events, err := readEventFile(name, o.provider)
		if err != nil {
			bad++
			fmt.Fprintf(stderr, "%s: %v\n", name, err)
			continue
		}
		var sum esp.Outcome
		for i := 0; i < len(events); i += ingestBatch {
			out, err := esp.Record(ctx, st, events[i:min(i+ingestBatch, len(events))])
			if err != nil {
				return fmt.Errorf("ingest: %s: %w", name, err)
			}
			addOutcome(&sum, out)
		}
		fmt.Fprintf(stdout, "%s: %d events: %d recorded, %d already recorded, %d not about delivery; %d newly suppressed\n",
			textsafe.Escape(name), sum.Events, sum.Recorded, sum.Duplicates, sum.Ignored, len(sum.Suppressed))
		for _, a := range sum.Suppressed {
			fmt.Fprintf(stdout, "  suppressed %s\n", textsafe.Escape(a))
		}
		addOutcome(&total, sum)
	}
	if len(o.files) > 1 {
		fmt.Fprintf(stdout, "total: %d events: %d recorded, %d already recorded, %d not about delivery; %d newly suppressed\n",
			total.Events, total.Recorded, total.Duplicates, total.Ignored, len(total.Suppressed))
	}
	if o.dryRun {
		fmt.Fprintln(stdout, "dry run: nothing was recorded")
	}
	if bad > 0 {
		return fmt.Errorf("%d file(s) not ingested: %w", bad, errProblems)
	}
	return nil
}

func addOutcome(sum *esp.Outcome, o esp.Outcome) {
	sum.Events += o.Events
	sum.Recorded += o.Recorded
	sum.Duplicates += o.Duplicates
	sum.Ignored += o.Ignored
	sum.Suppressed = append(sum.Suppressed, o.Suppressed...)
}

// readEventFile reads and parses one file of a provider's events.
func readEventFile(name string, p esp.Provider) ([]esp.Event, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, ingestMaxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > ingestMaxFile {
		return nil, fmt.Errorf("larger than %d bytes: split it", ingestMaxFile)
	}
	return esp.ParseFile(p, data)
}
