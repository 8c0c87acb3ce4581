package suppress

import (
	"database/sql"
	"fmt"
	"math"
)

// Reading what a batch needs before it decides: known mails, entry states, normalised
// addresses.

type normalized struct {
	addr string
	err  error
}

// entryState is the part of an entry the policy reads.
type entryState struct {
	suppressed     bool
	kind, source   string
	since, resetAt int64
}

// queryIn runs query, whose "(IN)" stands for a list of values (see dialect.inList), with
// fixed as the parameters before the list, and calls scan for every row.
func (r *recorder) queryIn(query string, fixed, values []any, scan func(*sql.Rows) error) error {
	q, runs, err := r.s.dialect.inList(query, fixed, values)
	if err != nil || len(runs) == 0 {
		return err
	}
	st, err := r.s.txStmt(r.ctx, r.tx, q)
	if err != nil {
		return err
	}
	for _, run := range runs {
		rows, err := st.QueryContext(r.ctx, run.args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// preload reads in a few queries what the batch's mails and events would otherwise look up
// one by one: the highest ids, the allow list's length, the ledger rows of its MailIDs and of its contents, the
// entries of its addresses and their recent soft bounces.
func (r *recorder) preload(batch []MailEvents) error {
	if err := r.scan(qTops, nil, &r.lastLedgerID, &r.lastEventID, &r.allowCount); err != nil {
		return fmt.Errorf("read the highest ids: %w", err)
	}
	// The batch's MailIDs that are in the ledger, per mailbox and UIDVALIDITY.
	r.known = make(map[MailID]knownMail)
	ids := make([]MailID, len(batch))
	var prefixes []any
	for i, me := range batch {
		ids[i] = me.Mail.MailID
		prefixes = append(prefixes, me.Mail.Hash[:contentPrefix])
	}
	boxes, uids := uidsByBox(ids)
	for _, b := range boxes {
		// Only UIDs up to the highest one recorded can be known: in a run, new mails are all
		// above it, and one lookup of the highest spares looking each of them up.
		var top int64
		err := r.scan(qTopUID, []any{b.mailbox, b.uidv}, &top)
		if err != nil {
			return fmt.Errorf("read ledger: %w", err)
		}
		var maybe []any
		for _, u := range uids[b] {
			if int64(u.(uint32)) <= top {
				maybe = append(maybe, u)
			}
		}
		err = r.queryIn(`SELECT uid, id, marked_at IS NOT NULL FROM ledger WHERE mailbox = ? AND uid_validity = ? AND uid IN (IN)`,
			[]any{b.mailbox, b.uidv}, maybe, func(rows *sql.Rows) error {
				var uid uint32
				var k knownMail
				if err := rows.Scan(&uid, &k.id, &k.marked); err != nil {
					return err
				}
				r.known[MailID{b.mailbox, b.uidv, uid}] = k
				return nil
			})
		if err != nil {
			return fmt.Errorf("read ledger: %w", err)
		}
	}
	r.content = make(map[string]int64)
	// The index holds the hashes' first bytes (see migrateV4 and V5): what it finds is matched
	// on the whole hash and Message-ID by the map's key.
	err := r.queryIn(`SELECT id, message_id, content_hash FROM ledger WHERE hash_prefix IN (IN) AND duplicate_of IS NULL AND quarantine = ''`,
		nil, prefixes, func(rows *sql.Rows) error {
			var id int64
			var mid string
			var h []byte
			if err := rows.Scan(&id, &mid, &h); err != nil {
				return err
			}
			r.content[contentKey(mid, h)] = id
			return nil
		})
	if err != nil {
		return fmt.Errorf("read ledger: %w", err)
	}

	r.normal = make(map[string]normalized)
	var addrs []any
	seen := make(map[string]bool)
	earliest := int64(math.MaxInt64)
	for _, me := range batch {
		for _, ev := range me.Events {
			n := r.normalize(ev.Address)
			if n.err == nil && !seen[n.addr] {
				seen[n.addr] = true
				addrs = append(addrs, n.addr)
			}
			at := ev.OccurredAt
			if at.IsZero() {
				at = r.now
			}
			earliest = min(earliest, toMS(at))
		}
	}
	r.states = make(map[string]entryState)
	err = r.queryIn(`SELECT address, suppressed, suppressed_kind, suppressed_since, source, reset_at FROM entries WHERE address IN (IN)`,
		nil, addrs, func(rows *sql.Rows) error {
			var a string
			var e entryState
			if err := rows.Scan(&a, &e.suppressed, &e.kind, &e.since, &e.source, &e.resetAt); err != nil {
				return err
			}
			r.states[a] = e
			return nil
		})
	if err != nil {
		return fmt.Errorf("read entries: %w", err)
	}
	r.soft = make(map[string][]int64)
	if r.policy.SoftDays > 0 {
		// A soft bounce is a failure, and every failure event upserts its address's entry:
		// only addresses with an entry can have soft bounces. The (address, kind,
		// occurred_at) index answers this alone.
		var known []any
		for _, a := range addrs {
			if _, ok := r.states[a.(string)]; ok {
				known = append(known, a)
			}
		}
		softFrom := earliest - r.policy.SoftWindow.Milliseconds()
		err = r.queryIn(`SELECT address, occurred_at FROM events WHERE kind = 'soft' AND occurred_at > ? AND address IN (IN)`,
			[]any{softFrom}, known, func(rows *sql.Rows) error {
				var a string
				var at int64
				if err := rows.Scan(&a, &at); err != nil {
					return err
				}
				r.soft[a] = append(r.soft[a], at)
				return nil
			})
		if err != nil {
			return fmt.Errorf("read soft bounces: %w", err)
		}
	}
	return nil
}

// contentPrefix is the number of leading bytes of a content hash the ledger indexes, in its
// column hash_prefix.
const contentPrefix = 8

func contentKey(messageID string, hash []byte) string { return messageID + "\x00" + string(hash) }

// normalize is Normalize, remembered for the batch.
func (r *recorder) normalize(address string) normalized {
	n, ok := r.normal[address]
	if !ok {
		n.addr, n.err = Normalize(address)
		r.normal[address] = n
	}
	return n
}
