package esp

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/bounceproc/bounceproc/suppress"
)

// Store is the part of the suppression store that events are recorded through:
// *suppress.SQLite implements it. Events are recorded and marked done in one transaction,
// since there is no mailbox to move them out of.
type Store interface {
	RecordMailsMarkDone(ctx context.Context, batch []suppress.MailEvents, done []suppress.MailID) ([]suppress.Result, error)
}

// Mailbox is the ledger's mailbox name for a provider's events: "esp:ses", "esp:sendgrid", ...
// An IMAP mailbox of that name would share the ledger's namespace; none is expected.
func Mailbox(p Provider) string { return "esp:" + string(p) }

// LedgerMail is the ledger identity of an event, so that the ledger's duplicate checks apply
// to events as they do to mails:
//
//   - MailID: the mailbox "esp:<provider>", and UIDVALIDITY and UID from the first 8 bytes of
//     the SHA-256 of the provider's name and the event ID. Two different event IDs of a
//     provider share a MailID with a chance of about n²/2⁶⁵ among n events (under 3 in
//     10,000 for a hundred million events), and the later of the two would be taken for a
//     duplicate.
//   - MessageID: the event ID itself, so that the store's history shows which event an
//     address's record came from; Hash: the SHA-256 of the provider's name and the event ID.
//
// This needs no change to the store's schema: the ledger already refuses a second MailID, and
// a second MessageID+Hash. The same event received by the webhook and later in a backfill
// file (same provider, same ID) is recorded once.
func LedgerMail(p Provider, id string) suppress.Mail {
	sum := sha256.Sum256([]byte(string(p) + "\x00" + id))
	return suppress.Mail{
		MailID: suppress.MailID{Mailbox: Mailbox(p),
			UIDValidity: binary.BigEndian.Uint32(sum[0:4]), UID: binary.BigEndian.Uint32(sum[4:8])},
		MessageID: id,
		Hash:      sum,
	}
}

// Outcome says what recording a set of events did.
type Outcome struct {
	// Events counts the events given; Recorded those newly recorded, Duplicates those the
	// ledger already held, Ignored those not about a delivery's outcome.
	Events, Recorded, Duplicates, Ignored int
	// Suppressed lists the addresses that became suppressed.
	Suppressed []string
	// Decisions holds what the policy did with each recipient of the recorded events.
	Decisions []suppress.Decision
}

// Record records events in one transaction: each event is a ledger row (see LedgerMail) with
// one store event per recipient, through the store's policy, and is marked done at once.
// Ignored events are counted and not recorded. Nothing is recorded when an error is returned.
func Record(ctx context.Context, st Store, events []Event) (Outcome, error) {
	out := Outcome{Events: len(events)}
	var batch []suppress.MailEvents
	var done []suppress.MailID
	for _, ev := range events {
		if ev.Ignored != "" {
			out.Ignored++
			continue
		}
		m := LedgerMail(ev.Provider, ev.ID)
		me := suppress.MailEvents{Mail: m}
		for _, r := range ev.Recipients {
			me.Events = append(me.Events, suppress.Event{
				Address: r.Address, OriginalAddress: r.Address,
				Kind: r.Verdict.Kind, Reason: r.Verdict.Reason,
				Status: r.Facts.Status, Reply: r.Facts.Reply,
				Diagnostic: r.Facts.Diagnostic, RemoteMTA: r.Facts.RemoteMTA,
				Hard: r.Verdict.Hard, Suppress: r.Verdict.Suppress,
				OccurredAt: ev.OccurredAt,
			})
		}
		batch = append(batch, me)
		done = append(done, m.MailID)
	}
	if len(batch) == 0 {
		return out, nil
	}
	results, err := st.RecordMailsMarkDone(ctx, batch, done)
	if err != nil {
		return Outcome{Events: len(events)}, fmt.Errorf("esp: recording %d event(s): %w", len(batch), err)
	}
	for _, res := range results {
		if res.Duplicate {
			out.Duplicates++
			continue
		}
		out.Recorded++
		out.Suppressed = append(out.Suppressed, res.Suppressed...)
		out.Decisions = append(out.Decisions, res.Decisions...)
	}
	return out, nil
}
