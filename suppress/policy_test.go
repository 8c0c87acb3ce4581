package suppress

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

func TestPolicyDefaults(t *testing.T) {
	const (
		hard      = classify.KindHard
		soft      = classify.KindSoft
		blocked   = classify.KindBlocked
		complaint = classify.KindComplaint
		delivered = classify.KindDelivered
		delayed   = classify.KindDelayed
		autoreply = classify.KindAutoReply
	)
	type step struct {
		kind classify.Kind
		day  int
		hour int // hours added to the day
		want Action
	}
	cases := []struct {
		name           string
		steps          []step
		wantSuppressed bool
		wantKind       classify.Kind // the suppression's kind, when suppressed
		wantCount      int
	}{
		{"hard suppresses at once", []step{{hard, 0, 0, ActionSuppressed}}, true, hard, 1},
		{"complaint suppresses at once", []step{{complaint, 0, 0, ActionSuppressed}}, true, complaint, 1},
		{"blocked never suppresses but counts",
			[]step{{blocked, 0, 0, ActionRecorded}, {blocked, 1, 0, ActionRecorded}, {blocked, 2, 0, ActionRecorded}, {blocked, 3, 0, ActionRecorded}},
			false, "", 4},
		{"three soft bounces on one day",
			[]step{{soft, 0, 0, ActionRecorded}, {soft, 0, 1, ActionRecorded}, {soft, 0, 2, ActionRecorded}},
			false, "", 3},
		{"soft bounces on three different days",
			[]step{{soft, 0, 0, ActionRecorded}, {soft, 0, 3, ActionRecorded}, {soft, 1, 0, ActionRecorded}, {soft, 2, 0, ActionSuppressed}},
			true, soft, 4},
		{"soft bounces within 29 days count",
			[]step{{soft, 0, 0, ActionRecorded}, {soft, 10, 0, ActionRecorded}, {soft, 29, 0, ActionSuppressed}},
			true, soft, 3},
		{"a soft bounce 30 days old stops counting",
			[]step{{soft, 0, 0, ActionRecorded}, {soft, 10, 0, ActionRecorded}, {soft, 30, 0, ActionRecorded}, {soft, 31, 0, ActionSuppressed}},
			true, soft, 4},
		{"older soft bounces stop counting",
			[]step{{soft, 0, 0, ActionRecorded}, {soft, 1, 0, ActionRecorded}, {soft, 40, 0, ActionRecorded}, {soft, 41, 0, ActionRecorded}, {soft, 75, 0, ActionRecorded}},
			false, "", 5},
		{"blocked does not count towards soft",
			[]step{{blocked, 0, 0, ActionRecorded}, {blocked, 1, 0, ActionRecorded}, {soft, 2, 0, ActionRecorded}},
			false, "", 3},
		{"a later delivered report releases a soft suppression and restarts the count",
			[]step{{soft, 0, 0, ActionRecorded}, {soft, 1, 0, ActionRecorded}, {soft, 2, 0, ActionSuppressed},
				{delivered, 3, 0, ActionReleased}, {soft, 4, 0, ActionRecorded}, {soft, 5, 0, ActionRecorded}, {soft, 6, 0, ActionSuppressed}},
			true, soft, 6},
		{"a delivered report older than the suppression does not release it",
			[]step{{soft, 0, 0, ActionRecorded}, {soft, 1, 0, ActionRecorded}, {soft, 2, 6, ActionSuppressed}, {delivered, 2, 1, ActionRecorded}},
			true, soft, 3},
		{"a delivered report restarts the soft count",
			[]step{{soft, 0, 0, ActionRecorded}, {soft, 1, 0, ActionRecorded}, {delivered, 2, 0, ActionRecorded},
				{soft, 3, 0, ActionRecorded}, {soft, 4, 0, ActionRecorded}, {soft, 5, 0, ActionSuppressed}},
			true, soft, 5},
		{"delivered does not release a hard suppression",
			[]step{{hard, 0, 0, ActionSuppressed}, {delivered, 1, 0, ActionRecorded}}, true, hard, 1},
		{"delivered does not release a complaint",
			[]step{{complaint, 0, 0, ActionSuppressed}, {delivered, 1, 0, ActionRecorded}}, true, complaint, 1},
		{"a hard bounce after a soft suppression makes it hard",
			[]step{{soft, 0, 0, ActionRecorded}, {soft, 1, 0, ActionRecorded}, {soft, 2, 0, ActionSuppressed},
				{hard, 3, 0, ActionRecorded}, {delivered, 4, 0, ActionRecorded}},
			true, hard, 4},
		{"delayed and auto-replies are recorded only",
			[]step{{delayed, 0, 0, ActionRecorded}, {autoreply, 1, 0, ActionRecorded}, {delayed, 2, 0, ActionRecorded}},
			false, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, Options{Now: newClock(dayN(100)).Now})
			r := &recorder1{t: t, s: s}
			const addr = "someone@example.org"
			for i, st := range tc.steps {
				at := dayN(st.day).Add(time.Duration(st.hour) * time.Hour)
				res := r.record(addr, st.kind, at)
				if len(res.Decisions) != 1 {
					t.Fatalf("step %d: %d decisions, want 1", i, len(res.Decisions))
				}
				if d := res.Decisions[0]; d.Action != st.want {
					t.Errorf("step %d (%s on day %d +%dh): action %q (%s), want %q", i, st.kind, st.day, st.hour, d.Action, d.Note, st.want)
				}
				wantNew := st.want == ActionSuppressed
				if got := len(res.Suppressed) == 1 && res.Suppressed[0] == addr; got != wantNew {
					t.Errorf("step %d: Result.Suppressed = %v, want newly suppressed %v", i, res.Suppressed, wantNew)
				}
				if got := len(res.Released) == 1; got != (st.want == ActionReleased) {
					t.Errorf("step %d: Result.Released = %v", i, res.Released)
				}
			}
			e, err := s.Lookup(context.Background(), addr)
			if tc.wantCount == 0 {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("Lookup(%q) = %+v, %v; want ErrNotFound for an address with no failures", addr, e, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Lookup(%q) = %v", addr, err)
			}
			if e.Suppressed != tc.wantSuppressed || e.SuppressedKind != tc.wantKind {
				t.Errorf("suppressed = %v (%q), want %v (%q)", e.Suppressed, e.SuppressedKind, tc.wantSuppressed, tc.wantKind)
			}
			if e.BounceCount != tc.wantCount {
				t.Errorf("bounce count = %d, want %d", e.BounceCount, tc.wantCount)
			}
			if e.Suppressed && (e.Source != SourcePolicy || e.CauseEventID == 0 || e.Why == "") {
				t.Errorf("suppression source %q, cause %d, why %q: want policy, an event, a reason", e.Source, e.CauseEventID, e.Why)
			}
		})
	}
}

func TestEntrySummary(t *testing.T) {
	s := openTest(t, Options{Now: newClock(dayN(100)).Now})
	r := &recorder1{t: t, s: s}
	const addr = "x@example.org"
	r.record(addr, classify.KindSoft, dayN(5))
	r.record(addr, classify.KindBlocked, dayN(9))
	// Recorded later but occurred earlier: counts, but does not become the latest.
	r.record(addr, classify.KindHard, dayN(1))
	e := lookup(t, s, addr)
	if e.BounceCount != 3 || !e.FirstSeen.Equal(dayN(1)) || !e.LastSeen.Equal(dayN(9)) {
		t.Errorf("count %d, first %s, last %s; want 3, %s, %s", e.BounceCount, e.FirstSeen, e.LastSeen, dayN(1), dayN(9))
	}
	if e.Kind != classify.KindBlocked || e.Reason != classify.ReasonBlocked || e.Status != "5.7.1" || e.Reply != "554" ||
		!strings.Contains(e.LastDiagnostic, "client host blocked") {
		t.Errorf("latest = %q %q %q %q %q; want the blocked event's", e.Kind, e.Reason, e.Status, e.Reply, e.LastDiagnostic)
	}
	if !e.Suppressed || e.SuppressedKind != classify.KindHard || !e.SuppressedSince.Equal(dayN(1)) {
		t.Errorf("suppressed %v kind %q since %s; want hard since %s", e.Suppressed, e.SuppressedKind, e.SuppressedSince, dayN(1))
	}
	if e.Domain != "example.org" {
		t.Errorf("domain = %q", e.Domain)
	}
}

func TestPolicyConfigurable(t *testing.T) {
	p := DefaultPolicy()
	p.SuppressComplaint = false
	p.SoftDays = 2
	p.SoftWindow = 7 * 24 * time.Hour
	p.DeliveredReleasesSoft = false
	s := openTest(t, Options{Now: newClock(dayN(100)).Now, Policy: &p})
	r := &recorder1{t: t, s: s}
	if a := r.record("c@example.org", classify.KindComplaint, dayN(0)).Decisions[0].Action; a != ActionRecorded {
		t.Errorf("complaint with SuppressComplaint off: %q, want recorded", a)
	}
	r.record("s@example.org", classify.KindSoft, dayN(0))
	if a := r.record("s@example.org", classify.KindSoft, dayN(7)).Decisions[0].Action; a != ActionRecorded {
		t.Errorf("soft 7 days apart with a 7-day window: %q, want recorded", a)
	}
	if a := r.record("s@example.org", classify.KindSoft, dayN(8)).Decisions[0].Action; a != ActionSuppressed {
		t.Errorf("second soft day within 7 days: %q, want suppressed", a)
	}
	if a := r.record("s@example.org", classify.KindDelivered, dayN(9)).Decisions[0].Action; a != ActionRecorded {
		t.Errorf("delivered with DeliveredReleasesSoft off: %q, want recorded", a)
	}
	if !lookup(t, s, "s@example.org").Suppressed {
		t.Error("s@example.org released although DeliveredReleasesSoft is off")
	}

	p = DefaultPolicy()
	p.SoftDays = 0
	p.SuppressHard = false
	s2 := openTest(t, Options{Now: newClock(dayN(100)).Now, Policy: &p})
	r2 := &recorder1{t: t, s: s2}
	for d := range 10 {
		r2.record("n@example.org", classify.KindSoft, dayN(d))
	}
	r2.record("h@example.org", classify.KindHard, dayN(0))
	for _, a := range []string{"n@example.org", "h@example.org"} {
		if lookup(t, s2, a).Suppressed {
			t.Errorf("%s suppressed under a policy that never suppresses it", a)
		}
	}
}

func TestAllowList(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(dayN(100)).Now})
	r := &recorder1{t: t, s: s}
	if _, err := s.Allow(ctx, Manual{Address: "Boss@Example.ORG", By: "ann", Why: "the CEO"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Allow(ctx, Manual{Address: "@Partner.Example", By: "ann", Why: "our partner"}); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"boss@example.org", "anyone@partner.example"} {
		for _, k := range []classify.Kind{classify.KindHard, classify.KindComplaint} {
			res := r.record(addr, k, dayN(1))
			if d := res.Decisions[0]; d.Action != ActionAllowed || len(res.Suppressed) != 0 {
				t.Errorf("%s %s: %q (%s), want allowed and not suppressed", k, addr, d.Action, d.Note)
			}
		}
		e := lookup(t, s, addr)
		if e.Suppressed || !e.Allowed || e.BounceCount != 2 {
			t.Errorf("%s: suppressed %v allowed %v count %d; want false true 2", addr, e.Suppressed, e.Allowed, e.BounceCount)
		}
		if _, err := s.Suppress(ctx, Manual{Address: addr, By: "bob"}); !errors.Is(err, ErrAllowed) {
			t.Errorf("Suppress(%s) = %v, want ErrAllowed", addr, err)
		}
	}
	// A subdomain is not covered by @partner.example.
	if a := r.record("x@mail.partner.example", classify.KindHard, dayN(1)).Decisions[0].Action; a != ActionSuppressed {
		t.Errorf("subdomain: %q, want suppressed", a)
	}

	// Allowing releases what is suppressed; disallowing lets the policy act again.
	r.record("late@other.example", classify.KindHard, dayN(2))
	c, err := s.Allow(ctx, Manual{Address: "@other.example", By: "ann", Why: "mistake"})
	if err != nil || c.Action != ActionAllowed || !strings.Contains(c.Note, "late@other.example") {
		t.Fatalf("Allow(@other.example) = %+v, %v", c, err)
	}
	if lookup(t, s, "late@other.example").Suppressed {
		t.Error("allow did not release late@other.example")
	}
	if c, err := s.Allow(ctx, Manual{Address: "@other.example"}); err != nil || c.Action != ActionUnchanged {
		t.Errorf("Allow again = %+v, %v; want unchanged", c, err)
	}
	before := lookup(t, s, "x@mail.partner.example") // suppressed by the policy, untouched by @other.example
	c, err = s.Disallow(ctx, Manual{Address: "@OTHER.example", By: "ann"})
	if err != nil || c.Action != ActionDisallowed || !strings.Contains(c.Note, "restored 1 suppression(s) it had released: late@other.example") {
		t.Fatalf("Disallow = %+v, %v; want it to restore late@other.example", c, err)
	}
	// Taking the entry off the list restores what it released, as it was.
	if e := lookup(t, s, "late@other.example"); !e.Suppressed || e.SuppressedKind != classify.KindHard || e.Source != SourcePolicy ||
		!e.SuppressedSince.Equal(dayN(2)) || e.Why != "hard bounce" || e.CauseEventID == 0 {
		t.Errorf("after disallow: %+v, want the hard suppression of day 2 back", e)
	}
	if after := lookup(t, s, "x@mail.partner.example"); after != before {
		t.Errorf("disallow changed an address it had not released: %+v, was %+v", after, before)
	}
	// And the policy acts again on the domain.
	if a := r.record("new@other.example", classify.KindHard, dayN(101)).Decisions[0].Action; a != ActionSuppressed {
		t.Errorf("after disallow: %q, want suppressed", a)
	}
	list, err := s.AllowList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var pats []string
	for _, a := range list {
		pats = append(pats, a.Pattern)
	}
	if got := strings.Join(pats, " "); got != "@partner.example boss@example.org" {
		t.Errorf("AllowList = %q", got)
	}
	for _, bad := range []string{"@bad domain", "*@example.com", "@*.example.com", "a?c@example.com", "example.com", "@", ""} {
		if _, err := s.Allow(ctx, Manual{Address: bad}); !errors.Is(err, ErrInvalidAddress) {
			t.Errorf("Allow(%q) = %v, want ErrInvalidAddress", bad, err)
		}
		if _, err := s.Covered(ctx, bad); !errors.Is(err, ErrInvalidAddress) {
			t.Errorf("Covered(%q) = %v, want ErrInvalidAddress", bad, err)
		}
	}
}

// TestAllowRestoresManualSuppression: a suppression made by hand comes back with who and why.
func TestAllowRestoresManualSuppression(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Now: newClock(dayN(5)).Now})
	if _, err := s.Suppress(ctx, Manual{Address: "a@example.net", By: "bob", Why: "asked to stop"}); err != nil {
		t.Fatal(err)
	}
	cov, err := s.Covered(ctx, "@Example.NET")
	if err != nil || len(cov) != 1 || cov[0].Address != "a@example.net" {
		t.Fatalf("Covered(@example.net) = %+v, %v", cov, err)
	}
	if _, err := s.Allow(ctx, Manual{Address: "@example.net", By: "ann", Why: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Disallow(ctx, Manual{Address: "@example.net", By: "ann"}); err != nil {
		t.Fatal(err)
	}
	if e := lookup(t, s, "a@example.net"); !e.Suppressed || e.Source != SourceManual || e.By != "bob" || e.Why != "asked to stop" {
		t.Errorf("after disallow: %+v, want bob's manual suppression back", e)
	}
}

func TestManualSuppressAndRelease(t *testing.T) {
	ctx := context.Background()
	clk := newClock(dayN(10))
	s := openTest(t, Options{Now: clk.Now})
	r := &recorder1{t: t, s: s}

	c, err := s.Suppress(ctx, Manual{Address: " <Manual@Example.org> ", By: "ann", Why: "asked us to stop"})
	if err != nil || c.Action != ActionSuppressed || c.Address != "manual@example.org" {
		t.Fatalf("Suppress = %+v, %v", c, err)
	}
	e := lookup(t, s, "manual@example.org")
	if !e.Suppressed || e.Source != SourceManual || e.By != "ann" || e.Why != "asked us to stop" || e.Kind != "" || !e.SuppressedSince.Equal(dayN(10)) {
		t.Errorf("manual entry = %+v", e)
	}
	if c, _ := s.Suppress(ctx, Manual{Address: "manual@example.org", By: "bob"}); c.Action != ActionUnchanged {
		t.Errorf("second Suppress: %q, want unchanged", c.Action)
	}
	// A soft suppression taken over by hand is not lifted by a delivery.
	for d := range 3 {
		r.record("soft@example.org", classify.KindSoft, dayN(d))
	}
	if c, err := s.Suppress(ctx, Manual{Address: "soft@example.org", By: "ann", Why: "keep it off"}); err != nil || c.Action != ActionSuppressed {
		t.Errorf("Suppress(soft-suppressed) = %+v, %v; want suppressed by hand", c, err)
	}
	if a := r.record("soft@example.org", classify.KindDelivered, dayN(11)).Decisions[0].Action; a != ActionRecorded {
		t.Errorf("delivered after a manual suppression: %q, want recorded", a)
	}
	if e := lookup(t, s, "soft@example.org"); !e.Suppressed || e.Source != SourceManual || e.By != "ann" {
		t.Errorf("soft@example.org = %+v; want suppressed by hand", e)
	}

	// A hard suppression is released only by hand; events before the release do not bring it
	// back, a new hard bounce does.
	r.record("h@example.org", classify.KindHard, dayN(1))
	clk.Set(dayN(20))
	c, err = s.Release(ctx, Manual{Address: "H@example.org", By: "bob", Why: "mailbox recreated"})
	if err != nil || c.Action != ActionReleased {
		t.Fatalf("Release = %+v, %v", c, err)
	}
	if a := r.record("h@example.org", classify.KindHard, dayN(15)).Decisions[0].Action; a != ActionRecorded {
		t.Errorf("hard bounce from before the release: %q, want recorded", a)
	}
	if lookup(t, s, "h@example.org").Suppressed {
		t.Error("an event older than the release suppressed again")
	}
	if a := r.record("h@example.org", classify.KindHard, dayN(21)).Decisions[0].Action; a != ActionSuppressed {
		t.Errorf("hard bounce after the release: %q, want suppressed", a)
	}
	if c, _ := s.Release(ctx, Manual{Address: "manual@example.org", By: "bob"}); c.Action != ActionReleased {
		t.Errorf("release of a manual suppression: %q", c.Action)
	}
	if c, _ := s.Release(ctx, Manual{Address: "manual@example.org", By: "bob"}); c.Action != ActionUnchanged {
		t.Errorf("second release: %q, want unchanged", c.Action)
	}
	if _, err := s.Release(ctx, Manual{Address: "nobody@example.org"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Release(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := s.Suppress(ctx, Manual{Address: "not an address"}); !errors.Is(err, ErrInvalidAddress) {
		t.Errorf("Suppress(invalid) = %v, want ErrInvalidAddress", err)
	}

	h, err := s.History(ctx, "h@example.org")
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, c := range h.Changes {
		acts = append(acts, string(c.Action)+"/"+string(c.Source)+"/"+c.By)
	}
	if got, want := strings.Join(acts, " "), "suppressed/policy/ released/manual/bob suppressed/policy/"; got != want {
		t.Errorf("changes = %q, want %q", got, want)
	}
	if len(h.Events) != 3 || !h.Events[0].OccurredAt.Equal(dayN(1)) || !h.Events[2].OccurredAt.Equal(dayN(21)) {
		t.Errorf("history events = %+v", h.Events)
	}
	if ev := h.Events[0]; ev.Mail.Mailbox != "INBOX" || ev.Mail.UIDValidity != 7 || ev.MessageID == "" || ev.Status != "5.1.1" || !ev.RecordedAt.Equal(dayN(10)) {
		t.Errorf("event record = %+v", ev)
	}
}

func TestDryRun(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/dry.db"
	real := openAtPath(t, path, Options{Now: newClock(dayN(10)).Now})
	(&recorder1{t: t, s: real}).record("a@example.org", classify.KindSoft, dayN(0))
	(&recorder1{t: t, s: real, n: 1}).record("a@example.org", classify.KindSoft, dayN(1))

	dry := openAtPath(t, path, Options{Now: newClock(dayN(10)).Now, DryRun: true})
	res, err := dry.RecordMail(ctx, mailN(50), []Event{
		{Address: "a@example.org", Kind: classify.KindSoft, OccurredAt: dayN(2)},
		{Address: "b@example.org", Kind: classify.KindHard, OccurredAt: dayN(2)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Suppressed, " "); got != "a@example.org b@example.org" {
		t.Errorf("dry run would suppress %q, want both", got)
	}
	if _, err := dry.Suppress(ctx, Manual{Address: "c@example.org"}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, real, "SELECT count(*) FROM events"); n != 2 {
		t.Errorf("dry run left %d events, want the 2 from before", n)
	}
	if n := count(t, real, "SELECT count(*) FROM entries WHERE suppressed = 1"); n != 0 {
		t.Errorf("dry run left %d suppressions", n)
	}
	if n := count(t, real, "SELECT count(*) FROM ledger"); n != 2 {
		t.Errorf("dry run left %d ledger rows", n)
	}
}

func TestInvalidAddressInEvent(t *testing.T) {
	s := openTest(t, Options{Now: newClock(dayN(10)).Now})
	res, err := s.RecordMail(context.Background(), mailN(1), []Event{
		{Address: "not an address", Kind: classify.KindHard},
		{Address: "ok@example.org", OriginalAddress: "broken@@", Kind: classify.KindHard, Status: "5.1.1 (x)", Reply: "55"},
		{Address: "odd@example.org", Kind: "hard\x1f", Reason: "user\nunknown"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Decisions[0]; d.Action != ActionInvalid || !strings.Contains(d.Note, "invalid address") {
		t.Errorf("decision for an invalid address = %+v", d)
	}
	if d := res.Decisions[1]; d.Action != ActionSuppressed || !strings.Contains(d.Note, "original address dropped") {
		t.Errorf("decision for a valid address with a broken original = %+v", d)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 2 {
		t.Errorf("%d events stored, want 2", n)
	}
	if d := res.Decisions[2]; d.Action != ActionRecorded || d.Kind != classify.KindUndetermined ||
		!strings.Contains(d.Note, "kind \"hard\\x1f\" dropped") || !strings.Contains(d.Note, "reason \"user\\nunknown\" dropped") {
		t.Errorf("decision for a kind and reason with control characters = %+v", d)
	}
	if n := count(t, s, "SELECT count(*) FROM events WHERE kind = '' AND reason = ''"); n != 1 {
		t.Errorf("a kind or reason with control characters was stored")
	}
	if n := count(t, s, "SELECT count(*) FROM events WHERE address = 'ok@example.org' AND original_address = '' AND status = '' AND reply_code = ''"); n != 1 {
		t.Errorf("a broken original address, status or reply code was stored")
	}
	if note := res.Decisions[1].Note; !strings.Contains(note, `status "5.1.1 (x)" dropped`) || !strings.Contains(note, `reply code "55" dropped`) {
		t.Errorf("note = %q", note)
	}
}
