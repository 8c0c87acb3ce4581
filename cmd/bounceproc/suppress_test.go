package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/suppress"
)

func TestSuppressReleaseAllow(t *testing.T) {
	c := newStoreCLI(t)
	// --why is required for suppress and release, and flags may follow the address.
	if code, _, errs := c.run("suppress", "a@example.org"); code != exitUsage || !strings.Contains(errs, "--why is required") {
		t.Errorf("suppress without --why: exit %d %s", code, errs)
	}
	if code, _, _ := c.run("suppress", "--why", "x"); code != exitUsage {
		t.Errorf("suppress without an address: exit %d", code)
	}
	out := c.mustRun("suppress", "<A@Example.org>", "b@example.org", "--why", "asked to stop", "--by", "ann")
	if out != "suppressed a@example.org\nsuppressed b@example.org\n" {
		t.Errorf("suppress output = %q", out)
	}
	if out := c.mustRun("suppress", "a@example.org", "--why", "again"); !strings.Contains(out, "unchanged a@example.org: already suppressed") {
		t.Errorf("suppress again = %q", out)
	}
	// A bad address is reported; the others are still done; exit 3.
	code, out, errs := c.run("suppress", "--why", "w", "c@example.org", "not an address")
	if code != exitProblems || !strings.Contains(errs, `not an address": invalid address`) || !strings.Contains(out, "suppressed c@example.org") {
		t.Errorf("suppress with a bad address: exit %d\n%s\n%s", code, out, errs)
	}
	if got := suppressedEmails(t, c); !slices.Equal(got, []string{"a@example.org", "b@example.org", "c@example.org"}) {
		t.Errorf("suppressed = %q", got)
	}

	// Dry runs change nothing.
	if out := c.mustRun("release", "--dry-run", "--why", "test", "a@example.org"); out != "dry run: would have released a@example.org\n" {
		t.Errorf("release --dry-run = %q", out)
	}
	if got := suppressedEmails(t, c); len(got) != 3 {
		t.Errorf("a dry run released: %q", got)
	}
	if code, _, errs := c.run("release", "a@example.org"); code != exitUsage || !strings.Contains(errs, "--why") {
		t.Errorf("release without --why: exit %d %s", code, errs)
	}
	c.mustRun("release", "a@example.org", "--why", "mailbox back", "--by", "bob")
	if code, _, errs := c.run("release", "--why", "w", "nobody@example.org"); code != exitProblems || !strings.Contains(errs, "not in the store") {
		t.Errorf("release of an unknown address: exit %d %s", code, errs)
	}

	// Allowing a domain lists the suppressions it would release, and releases them only with
	// --yes; a wildcard is refused. Either way nothing changes without --yes.
	code, out, errs = c.run("allow", "@Example.ORG", "--why", "our own domain")
	if code != exitUsage || !strings.Contains(errs, "@Example.ORG covers 2 suppressed address(es)") ||
		!strings.Contains(errs, "  b@example.org  suppressed since") || !strings.Contains(errs, "give --yes") {
		t.Errorf("allow without --yes: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := c.run("allow", "*@example.org", "--yes"); code != exitUsage || !strings.Contains(errs, "wildcards are not supported") {
		t.Errorf("allow of a wildcard: exit %d %s", code, errs)
	}
	if out := c.mustRun("allow", "--dry-run", "@example.org"); !strings.Contains(out, "c@example.org  suppressed since") ||
		!strings.Contains(out, "dry run: would have allowed @example.org") {
		t.Errorf("allow --dry-run = %q", out)
	}
	if got := suppressedEmails(t, c); !slices.Equal(got, []string{"b@example.org", "c@example.org"}) {
		t.Errorf("released without --yes: %q", got)
	}
	out = c.mustRun("allow", "@Example.ORG", "--why", "our own domain", "--yes")
	if !strings.Contains(out, "allowed @example.org: released 2 suppressed address(es): b@example.org, c@example.org") {
		t.Errorf("allow = %q", out)
	}
	if code, _, errs := c.run("suppress", "--why", "w", "d@example.org"); code != exitProblems || !strings.Contains(errs, "on the allow list") {
		t.Errorf("suppress of an allowed address: exit %d %s", code, errs)
	}
	c.record(hard("e@example.org", 1, "gone"))
	if got := suppressedEmails(t, c); len(got) != 0 {
		t.Errorf("suppressed while allowed: %q", got)
	}
	if out := c.mustRun("list", "--allow"); !strings.Contains(out, "@example.org") || !strings.Contains(out, "our own domain") || !strings.Contains(out, "tester") {
		t.Errorf("list --allow = %q", out)
	}
	// Removing the entry restores what it released.
	if out := c.mustRun("allow", "--remove", "@example.org"); !strings.Contains(out, "restored 2 suppression(s) it had released: b@example.org, c@example.org") {
		t.Errorf("allow --remove = %q", out)
	}
	c.mustRun("suppress", "--why", "w", "d@example.org")
	if got := suppressedEmails(t, c); !slices.Equal(got, []string{"b@example.org", "c@example.org", "d@example.org"}) {
		t.Errorf("after allow --remove: %q", got)
	}

	// show tells the story: who did what and why.
	show := c.mustRun("show", "a@example.org")
	for _, want := range []string{"not suppressed", "suppressed by manual (ann): asked to stop", "released by manual (bob): mailbox back"} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	show = c.mustRun("show", "b@example.org")
	if !strings.Contains(show, "released by allow (tester): allow list @example.org: our own domain") {
		t.Errorf("show after allow:\n%s", show)
	}
}

func TestListAndShow(t *testing.T) {
	c := newStoreCLI(t)
	soft := func(d int) suppress.Event {
		return suppress.Event{Address: "full@example.net", OriginalAddress: "Full.Alias@example.net", Kind: classify.KindSoft,
			Reason: classify.ReasonMailboxFull, Status: "4.2.2", Reply: "452", Diagnostic: "452 4.2.2 Mailbox full\n  quota exceeded",
			RemoteMTA: "mx.example.net", OccurredAt: day(d)}
	}
	c.record(soft(1), soft(2), soft(3), hard("gone@example.org", 1, "550 5.1.1 no such user"),
		suppress.Event{Address: "blocked@example.com", Kind: classify.KindBlocked, Reason: classify.ReasonBlocked, OccurredAt: day(2)})
	out := c.mustRun("list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "EMAIL") || !strings.HasPrefix(lines[1], "full@example.net") || !strings.HasPrefix(lines[2], "gone@example.org") {
		t.Fatalf("list:\n%s", out)
	}
	if !strings.Contains(lines[1], "yes (soft)") || !strings.Contains(lines[1], " 3 ") || !strings.Contains(lines[2], "yes (hard)") {
		t.Errorf("list rows:\n%s", out)
	}
	if out := c.mustRun("list", "--kind", "all", "--limit", "1"); strings.Count(out, "\n") != 2 {
		t.Errorf("list --limit 1:\n%s", out)
	}
	if out := c.mustRun("list", "--kind", "blocked"); !strings.Contains(out, "blocked@example.com") || !strings.Contains(out, " no") {
		t.Errorf("list --kind blocked:\n%s", out)
	}

	show := c.mustRun("show", "FULL@example.net")
	for _, want := range []string{
		"full@example.net\n",
		"suppressed since 2026-05-04 10:00:00Z by the policy: soft bounces on 3 different days within 30 days",
		"3 bounces from 2026-05-02 10:00:00Z to 2026-05-04 10:00:00Z; latest: soft mailboxfull 4.2.2 452",
		"2026-05-02 10:00:00Z  soft  mailboxfull (452 4.2.2)  mail INBOX/1/1 <1@test>  original recipient full.alias@example.net  remote mx.example.net",
		"452 4.2.2 Mailbox full quota exceeded",
		"-> suppressed by policy: soft bounces on 3 different days within 30 days",
	} {
		if !strings.Contains(show, want) {
			t.Errorf("show lacks %q:\n%s", want, show)
		}
	}
	if code, _, errs := c.run("show", "never@example.org"); code != exitFailure || !strings.Contains(errs, "not in the store") {
		t.Errorf("show unknown: exit %d %s", code, errs)
	}
	if code, _, _ := c.run("show", "no-at-sign"); code != exitUsage {
		t.Errorf("show invalid: exit %d", code)
	}
	if code, _, _ := c.run("show"); code != exitUsage {
		t.Errorf("show without address: exit %d", code)
	}
}

func TestStats(t *testing.T) {
	c := newStoreCLI(t)
	c.record(hard("a@example.org", 1, ""), hard("b@example.org", 1, ""), hard("c@example.net", 2, ""),
		suppress.Event{Address: "a@example.org", Kind: classify.KindBlocked, Reason: classify.ReasonBlocked, OccurredAt: day(2)})
	out := c.mustRun("stats")
	for _, want := range []string{
		"4 events for 3 addresses; 3 addresses suppressed now",
		"by kind\n          3  hard\n          1  blocked\n",
		"by reason\n          3  userunknown\n          1  blocked\n",
		"by receiving domain (top 20)\n          3  example.org\n          1  example.net\n",
		"by day (UTC)\n          2  2026-05-02\n          2  2026-05-03\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	out = c.mustRun("stats", "--since", "2026-05-03", "--top", "1", "--format", "json")
	for _, want := range []string{`"events": 2`, `"label": "2026-05-03"`} {
		if !strings.Contains(out, want) {
			t.Errorf("stats json lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "2026-05-02") || strings.Count(out, `"label": "example.`) != 1 {
		t.Errorf("--since or --top not applied:\n%s", out)
	}
	if code, _, _ := c.run("stats", "--top", "0"); code != exitUsage {
		t.Errorf("--top 0: exit %d", code)
	}
}
