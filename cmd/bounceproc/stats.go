package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "stats",
		summary: "count bounces by kind, reason, receiving domain and day",
		run:     statsCommand,
	})
}

type statsOptions struct {
	db     string
	filter suppress.StatsFilter
	format string // text or json
}

func statsCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stats", "[--db PATH] [--since DATE] [--top N] [--format text|json]\n\n"+
		"Counts the recorded events (one per recipient per mail) by kind, reason, receiving domain\n"+
		"(the --top most frequent) and day (UTC), and the addresses suppressed now.", stderr)
	var opts statsOptions
	var since string
	addDBFlag(fs, &opts.db)
	fs.StringVar(&since, "since", "", "count events that happened at or after DATE (YYYY-MM-DD, UTC)")
	fs.IntVar(&opts.filter.TopDomains, "top", 20, "how many receiving domains to list")
	fs.StringVar(&opts.format, "format", "text", "output format: text or json")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if opts.filter.Since, err = parseSince(since); err != nil {
		return err
	}
	if opts.filter.TopDomains < 1 {
		return usagef("--top must be at least 1")
	}
	if opts.format != "text" && opts.format != "json" {
		return usagef("unknown --format %q (want text or json)", opts.format)
	}
	return runStats(ctx, opts, stdout, stderr)
}

// statsJSON is the JSON form of stats.
type statsJSON struct {
	Events     int         `json:"events"`
	Addresses  int         `json:"addresses"`
	Suppressed int         `json:"suppressed"`
	ByKind     []countJSON `json:"by_kind"`
	ByReason   []countJSON `json:"by_reason"`
	ByDomain   []countJSON `json:"by_domain"`
	ByDay      []countJSON `json:"by_day"`
}

type countJSON struct {
	Label string `json:"label"`
	N     int    `json:"n"`
}

func toCountJSON(cs []suppress.Count) []countJSON {
	out := make([]countJSON, len(cs))
	for i, c := range cs {
		out[i] = countJSON{c.Label, c.N}
	}
	return out
}

func runStats(ctx context.Context, opts statsOptions, stdout, _ io.Writer) error {
	st, err := openExistingStore(ctx, opts.db)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Stats(ctx, opts.filter)
	if err != nil {
		return err
	}
	if opts.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(statsJSON{
			Events: s.Events, Addresses: s.Addresses, Suppressed: s.Suppressed,
			ByKind: toCountJSON(s.ByKind), ByReason: toCountJSON(s.ByReason),
			ByDomain: toCountJSON(s.ByDomain), ByDay: toCountJSON(s.ByDay),
		})
	}
	fmt.Fprintf(stdout, "%d events for %d addresses; %d addresses suppressed now\n", s.Events, s.Addresses, s.Suppressed)
	section := func(title string, cs []suppress.Count) {
		fmt.Fprintf(stdout, "\n%s\n", title)
		if len(cs) == 0 {
			fmt.Fprintln(stdout, "  (none)")
		}
		for _, c := range cs {
			fmt.Fprintf(stdout, "  %9d  %s\n", c.N, esc(c.Label))
		}
	}
	section("by kind", s.ByKind)
	section("by reason", s.ByReason)
	section(fmt.Sprintf("by receiving domain (top %d)", opts.filter.TopDomains), s.ByDomain)
	section("by day (UTC)", s.ByDay)
	return nil
}
