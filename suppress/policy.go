package suppress

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/bounceproc/bounceproc/classify"
)

// The policy's decisions: what an event does to its address (allow list, hard, soft,
// complaint, release).

// isAllowed reports whether addr or its domain is on the allow list. The list is read once
// per transaction when it is small (not at all when empty, as preload found), and asked per
// address otherwise.
func (r *recorder) isAllowed(addr, domain string) (bool, error) {
	if !r.allowLoaded {
		r.allowLoaded = true
		if n := r.allowCount; n <= maxCachedAllow {
			r.allow = make(map[string]bool, n)
			if err := r.loadAllow(); err != nil {
				return false, fmt.Errorf("read allow list: %w", err)
			}
		}
	}
	if r.allow != nil {
		return r.allow[addr] || r.allow["@"+domain], nil
	}
	var n int
	if err := r.scan(qAllowed, []any{addr, "@" + domain}, &n); err != nil {
		return false, fmt.Errorf("check allow list: %w", err)
	}
	return n > 0, nil
}

const maxCachedAllow = 10000

// loadAllow reads the allow list into r.allow, unless it is empty.
func (r *recorder) loadAllow() error {
	if r.allowCount == 0 {
		return nil
	}
	st, err := r.stmt(qAllowList)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(r.ctx)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		r.allow[p] = true
	}
	return rows.Err()
}

func isFailure(k classify.Kind) bool {
	switch k {
	case classify.KindHard, classify.KindSoft, classify.KindBlocked, classify.KindComplaint:
		return true
	}
	return false
}

// event stores one event and applies the policy to it.
func (r *recorder) event(ledgerID int64, ev Event) (Decision, error) {
	d := Decision{Address: ev.Address, Kind: ev.Kind}
	n := r.normalize(ev.Address)
	if n.err != nil {
		d.Action, d.Note = ActionInvalid, n.err.Error()
		return d, nil
	}
	addr := n.addr
	d.Address = addr
	orig := ""
	if ev.OriginalAddress != "" {
		if o := r.normalize(ev.OriginalAddress); o.err == nil {
			orig = o.addr
		} else {
			d.Note = "original address dropped: " + o.err.Error() + "; "
		}
	}
	// Codes are kept only when valid, and names only without control characters, so nothing
	// malformed is stored.
	if strings.ContainsFunc(string(ev.Kind), unicode.IsControl) {
		d.Note += fmt.Sprintf("kind %q dropped: control characters; ", string(ev.Kind))
		ev.Kind, d.Kind = classify.KindUndetermined, classify.KindUndetermined
	}
	if strings.ContainsFunc(string(ev.Reason), unicode.IsControl) {
		d.Note += fmt.Sprintf("reason %q dropped: control characters; ", string(ev.Reason))
		ev.Reason = classify.ReasonUndefined
	}
	if ev.Status != "" && !ev.Status.Valid() {
		d.Note += fmt.Sprintf("status %q dropped: not an enhanced status code; ", string(ev.Status))
		ev.Status = ""
	}
	if ev.Reply != "" && !ev.Reply.Valid() {
		d.Note += fmt.Sprintf("reply code %q dropped: not an SMTP reply code; ", string(ev.Reply))
		ev.Reply = ""
	}
	at := ev.OccurredAt
	if at.IsZero() {
		at = r.now
	}
	atMS := toMS(at)
	domain := domainOf(addr)
	r.lastEventID++
	eventID := r.lastEventID
	r.eventRows.add(eventID, ledgerID, addr, domain, orig, string(ev.Kind), string(ev.Reason),
		string(ev.Status), string(ev.Reply), ev.Diagnostic, ev.RemoteMTA, ev.Hard, ev.Suppress, atMS, toMS(r.now))
	if err := r.flushRows(false); err != nil {
		return d, err
	}
	d.Action = ActionRecorded
	if ev.Kind == classify.KindSoft {
		r.soft[addr] = append(r.soft[addr], atMS)
	}

	e, known := r.states[addr]
	if isFailure(ev.Kind) {
		if !known {
			r.states[addr] = e
		}
		why, since, err := r.failure(&d, addr, domain, ev.Kind, atMS, e)
		if err != nil {
			return d, err
		}
		if known {
			if err := r.entryOncePerStatement(addr); err != nil {
				return d, err
			}
			r.entryRows.add(eventID)
			switch {
			case why != "" && e.suppressed && string(ev.Kind) == e.kind:
				r.backdate(addr, ev.Kind, since, why, eventID)
			case why != "":
				r.suppress(addr, ev.Kind, since, why, eventID)
			}
			return d, r.flushRows(false)
		}
		// No entry yet, nor one this batch creates: the new entry carries the suppression the
		// policy decided, if any (no state update follows), by this event, of its kind, since
		// it occurred (see newEntryFromEvent).
		if why != "" {
			r.noteSuppressed(addr, ev.Kind, atMS, why, eventID)
		}
		r.newEntryRows.add(eventID, why)
		return d, r.flushRows(false)
	}
	if !known {
		d.Note += fmt.Sprintf("%s: recorded", ev.Kind)
		return d, nil // a delivered or informational event for an address with no failures
	}

	if ev.Kind == classify.KindDelivered {
		if !r.policy.DeliveredReleasesSoft {
			d.Note += "delivered: recorded"
			return d, nil
		}
		// A delivery shows the mailbox takes mail: soft bounces before it stop counting.
		o := r.op(addr)
		o.resetAt = max(o.resetAt, atMS)
		e.resetAt = max(e.resetAt, atMS)
		r.states[addr] = e
		if e.suppressed && e.source == string(SourcePolicy) && e.kind == string(classify.KindSoft) && atMS > e.since {
			if err := r.release(addr, eventID, "a later delivered report"); err != nil {
				return d, err
			}
			d.Action, d.Note = ActionReleased, d.Note+"delivered after a soft suppression: released"
			return d, nil
		}
		d.Note += "delivered: soft bounces before it stop counting"
		return d, nil
	}
	d.Note += fmt.Sprintf("%s: recorded, never suppresses", ev.Kind)
	return d, nil
}

// failure applies the policy to a failure event (hard, soft, blocked or complaint) of addr,
// whose state before it is e, and notes the decision in d. It returns why the event
// suppresses addr, or "" when it does not, and since when.
//
// The suppression's date does not depend on the order the events are recorded in (several
// workers record mailboxes side by side, and a mailbox may hold older bounces than the one
// before it): a hard bounce or complaint suppresses from the earliest of its kind, and soft
// bounces from the first moment the policy's days within its window were reached. An event
// earlier than the date of a suppression of its own kind therefore moves the date back
// (why is then not "", and e.suppressed).
func (r *recorder) failure(d *Decision, addr, domain string, kind classify.Kind, atMS int64, e entryState) (string, int64, error) {
	allowed, err := r.isAllowed(addr, domain)
	if err != nil {
		return "", 0, err
	}
	if allowed && kind != classify.KindBlocked {
		d.Action, d.Note = ActionAllowed, d.Note+fmt.Sprintf("%s: counted; on the allow list, never suppressed", kind)
		return "", 0, nil
	}
	if atMS <= e.resetAt {
		d.Note += fmt.Sprintf("%s: counted; occurred before the last release, does not suppress", kind)
		return "", 0, nil
	}

	var suppress bool
	var why string
	since := atMS
	switch kind {
	case classify.KindHard:
		suppress, why = r.policy.SuppressHard, "hard bounce"
	case classify.KindComplaint:
		suppress, why = r.policy.SuppressComplaint, "complaint"
	case classify.KindBlocked:
		d.Note += "blocked: counted; the sender's problem, never suppresses the recipient"
		return "", 0, nil
	case classify.KindSoft:
		if r.policy.SoftDays <= 0 {
			d.Note += "soft: counted; soft bounces never suppress under this policy"
			return "", 0, nil
		}
		var days int
		since, days = r.softReached(addr, atMS, e.resetAt)
		why = fmt.Sprintf("soft bounces on %d different days within %s", days, windowText(r.policy.SoftWindow))
		suppress = since > 0
		if !suppress {
			d.Note += fmt.Sprintf("soft: soft bounces on %d of %d days within %s", days, r.policy.SoftDays, windowText(r.policy.SoftWindow))
			return "", 0, nil
		}
	}
	if !suppress {
		d.Note += fmt.Sprintf("%s: counted; this policy does not suppress it", kind)
		return "", 0, nil
	}
	if e.suppressed {
		// A hard bounce or complaint turns a soft suppression into one only a person lifts.
		if e.kind == string(classify.KindSoft) && e.source == string(SourcePolicy) && kind != classify.KindSoft {
			d.Note += fmt.Sprintf("%s: already suppressed (soft); now suppressed as %s", kind, kind)
			return why, since, nil
		}
		if e.kind == string(kind) && e.source == string(SourcePolicy) && since < e.since {
			d.Note += fmt.Sprintf("%s: counted; already suppressed, now from this earlier %s", kind, kind)
			return why, since, nil
		}
		d.Note += fmt.Sprintf("%s: counted; already suppressed", kind)
		return "", 0, nil
	}
	d.Action, d.Note = ActionSuppressed, d.Note+why+": suppressed"
	return why, since, nil
}

// softReached returns when the soft bounces of addr after resetAt first met the policy
// (SoftDays different UTC days within SoftWindow), counting a window that ends at the soft
// bounce at atMS or at a later one within the window (recorded before it), and the days in
// that window; 0 and the days of the window ending at atMS when none does.
func (r *recorder) softReached(addr string, atMS, resetAt int64) (int64, int) {
	window := r.policy.SoftWindow.Milliseconds()
	first := r.softDays(addr, atMS-window, atMS, resetAt)
	if first >= r.policy.SoftDays {
		return atMS, first
	}
	var best int64
	days := 0
	for _, end := range r.soft[addr] {
		if end <= atMS || end >= atMS+window || (best != 0 && end >= best) {
			continue
		}
		if n := r.softDays(addr, end-window, end, resetAt); n >= r.policy.SoftDays {
			best, days = end, n
		}
	}
	if best == 0 {
		return 0, first
	}
	return best, days
}

// softDays counts the different UTC days with a soft bounce for addr in (from, to], after
// resetAt, from the soft bounces preload read and those recorded since. Days are whole
// multiples of 86,400,000 ms since the epoch.
func (r *recorder) softDays(addr string, from, to, resetAt int64) int {
	from = max(from, resetAt)
	days := make(map[int64]bool)
	for _, at := range r.soft[addr] {
		if at > from && at <= to {
			days[at/86400000] = true
		}
	}
	return len(days)
}

// suppress notes that the policy suppresses addr, which has an entry, through event eventID:
// the state update, the change row and the state the policy sees next.
func (r *recorder) suppress(addr string, kind classify.Kind, atMS int64, why string, eventID int64) {
	o := r.op(addr)
	o.set, o.suppressed, o.kind, o.since, o.source, o.why, o.causeEvent = true, true, string(kind), atMS, string(SourcePolicy), why, eventID
	r.noteSuppressed(addr, kind, atMS, why, eventID)
}

// noteSuppressed notes that the policy suppressed addr through event eventID: the change row and
// the state the policy sees next.
func (r *recorder) noteSuppressed(addr string, kind classify.Kind, atMS int64, why string, eventID int64) {
	r.changeRows.add(eventID, string(ActionSuppressed), string(kind), why, toMS(r.now))
	e := r.states[addr]
	e.suppressed, e.kind, e.since, e.source = true, string(kind), atMS, string(SourcePolicy)
	r.states[addr] = e
}

// backdate moves the date of addr's suppression by the policy, of kind, back to since, the
// earlier moment an event recorded after it shows (see failure); the suppression itself is
// not new, so no change row is written.
func (r *recorder) backdate(addr string, kind classify.Kind, since int64, why string, eventID int64) {
	o := r.op(addr)
	o.set, o.suppressed, o.kind, o.since, o.source, o.why, o.causeEvent = true, true, string(kind), since, string(SourcePolicy), why, eventID
	e := r.states[addr]
	e.since = since
	r.states[addr] = e
}

func (r *recorder) release(addr string, eventID int64, why string) error {
	o := r.op(addr)
	o.set, o.suppressed, o.kind, o.since, o.source, o.why, o.causeEvent = true, false, "", 0, "", "", 0
	r.changeRows.add(eventID, string(ActionReleased), string(classify.KindDelivered), why, toMS(r.now))
	e := r.states[addr]
	e.suppressed, e.kind, e.since, e.source = false, "", 0, ""
	r.states[addr] = e
	return r.flushRows(false)
}

func windowText(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}
