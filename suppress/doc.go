// Package suppress keeps the suppression list: the ledger of processed bounce mails with a
// per-mailbox IMAP UID checkpoint, one event per recipient per mail, the per-address summary
// and suppression state that a configurable Policy derives from the events, an allow list, and
// the manual changes made with who and why.
//
// Store is the interface callers use; DB (Open) implements it on two engines: an SQLite file
// in WAL mode, the embedded default, or a PostgreSQL database (a postgres:// URL) that many
// workers share. Both get the same versioned migrations on open; the differences between the
// two SQL dialects live in dialect.go, and Copy moves a store from one to the other. Times are kept in UTC; "days" in the
// soft-bounce policy and in Stats are UTC days.
//
// The "mark after commit" rule: RecordMail commits a mail's events, the suppressions they cause
// and its ledger row in one transaction; the caller moves or flags the mail on the IMAP server
// and then calls MarkDone. After a crash, Unmarked lists the mails that still need marking.
//
// Addresses are normalised in one place, Normalize: the mailbox syntax of RFC 5321 §4.1.2 and
// RFC 5322 §3.4.1 (leniently: quoted local parts are kept as written), UTF-8 local parts as
// RFC 6531 allows them, in Unicode NFC and lower case, and domains mapped and checked as
// UTS #46 / IDNA2008 (RFC 5891) lookups do, stored as A-labels. Exports are CSV as RFC 4180
// describes it, or JSON lines.
package suppress
