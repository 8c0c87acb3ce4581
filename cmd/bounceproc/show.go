package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/bounceproc/bounceproc/internal/textsafe"
	"github.com/bounceproc/bounceproc/suppress"
)

func init() {
	commands = append(commands, command{
		name:    "show",
		summary: "show an address's state and the history that led to it",
		run:     showCommand,
	})
}

type showOptions struct {
	db      string
	address string
}

func showCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("show", "[--db PATH] ADDRESS\n\n"+
		"Prints whether ADDRESS is suppressed and why, then its bounces and the changes made to it,\n"+
		"oldest first.", stderr)
	var opts showOptions
	addDBFlag(fs, &opts.db)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one ADDRESS")
	}
	opts.address = pos[0]
	return runShow(ctx, opts, stdout, stderr)
}

func runShow(ctx context.Context, opts showOptions, stdout, _ io.Writer) error {
	if _, err := suppress.Normalize(opts.address); err != nil {
		return usagef("%v", err)
	}
	st, err := openExistingStore(ctx, opts.db)
	if err != nil {
		return err
	}
	defer st.Close()
	h, err := st.History(ctx, opts.address)
	if errors.Is(err, suppress.ErrNotFound) {
		return fmt.Errorf("%s is not in the store", opts.address)
	}
	if err != nil {
		return err
	}
	e := h.Entry
	allowed := e.Allowed
	if !allowed {
		// History's entry is empty for an address known only from deliveries.
		list, err := st.AllowList(ctx)
		if err != nil {
			return err
		}
		for _, a := range list {
			if a.Pattern == e.Address || a.Pattern == "@"+e.Domain {
				allowed = true
			}
		}
	}
	fmt.Fprintf(stdout, "%s\n", esc(e.Address))
	switch {
	case e.Suppressed && e.Source == suppress.SourcePolicy:
		fmt.Fprintf(stdout, "  suppressed since %s by the policy: %s\n", fmtTime(e.SuppressedSince), esc(e.Why))
	case e.Suppressed:
		fmt.Fprintf(stdout, "  suppressed since %s by hand (%s) by %s: %s\n", fmtTime(e.SuppressedSince), e.Source, esc(orDash(e.By)), esc(orDash(e.Why)))
	default:
		fmt.Fprintf(stdout, "  not suppressed\n")
	}
	if allowed {
		fmt.Fprintf(stdout, "  on the allow list: never suppressed\n")
	}
	if e.BounceCount > 0 {
		fmt.Fprintf(stdout, "  %d bounces from %s to %s; latest: %s %s %s %s\n", e.BounceCount, fmtTime(e.FirstSeen), fmtTime(e.LastSeen),
			esc(string(e.Kind)), esc(orDash(string(e.Reason))), esc(orDash(string(e.Status))), esc(orDash(string(e.Reply))))
	}
	if len(h.Events)+len(h.Changes) == 0 {
		return nil
	}
	// One timeline: events by when they happened, changes by when they were made.
	type line struct {
		at   string
		text string
	}
	var lines []line
	for _, ev := range h.Events {
		var b strings.Builder
		fmt.Fprintf(&b, "%s  %s", esc(string(ev.Kind)), esc(orDash(string(ev.Reason))))
		if ev.Status != "" || ev.Reply != "" {
			fmt.Fprintf(&b, " (%s)", esc(strings.TrimSpace(string(ev.Reply)+" "+string(ev.Status))))
		}
		fmt.Fprintf(&b, "  mail %s/%d/%d %s", esc(ev.Mail.Mailbox), ev.Mail.UIDValidity, ev.Mail.UID, esc(ev.MessageID))
		if ev.OriginalAddress != "" && ev.OriginalAddress != ev.Address {
			fmt.Fprintf(&b, "  original recipient %s", esc(ev.OriginalAddress))
		}
		if ev.RemoteMTA != "" {
			fmt.Fprintf(&b, "  remote %s", esc(ev.RemoteMTA))
		}
		if ev.Diagnostic != "" {
			fmt.Fprintf(&b, "\n      %s", esc(oneLine(ev.Diagnostic, 200)))
		}
		lines = append(lines, line{fmtTime(ev.OccurredAt), b.String()})
	}
	for _, c := range h.Changes {
		text := fmt.Sprintf("%s by %s", c.Action, c.Source)
		if c.By != "" {
			text += " (" + esc(c.By) + ")"
		}
		if c.Address != e.Address {
			text += " for " + esc(c.Address)
		}
		if c.Why != "" {
			text += ": " + esc(c.Why)
		}
		lines = append(lines, line{fmtTime(c.At), "-> " + text})
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].at < lines[j].at })
	fmt.Fprintln(stdout)
	for _, l := range lines {
		fmt.Fprintf(stdout, "  %s  %s\n", l.at, l.text)
	}
	return nil
}

// esc makes text from the store safe to print: anyone can send a bounce, and its text may
// hold terminal control sequences.
func esc(s string) string { return textsafe.Escape(s) }

// oneLine folds s onto one line and cuts it to at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
