package suppress

import (
	"context"
	"crypto/sha256"
	"errors"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// Store is what callers use: the ledger of processed mails with its per-mailbox checkpoint, the
// events recorded from them, the suppression list the policy derives, the allow list and the
// manual changes. *DB implements it; a Postgres implementation can follow without touching
// callers.
//
// Every write method runs in one transaction. When the store was opened with Options.DryRun,
// every write transaction is rolled back after it ran, so the results say what the policy
// would do while nothing changes.
type Store interface {
	// RecordMail records one processed mail: its events, the suppression changes the policy
	// derives from them, its ledger row (unmarked) and, when mail.Checkpoint is set, the
	// mailbox checkpoint, all in one transaction. Recording an identity that is already in
	// the ledger is a no-op reported by Result.Duplicate (see Mail for what identity means).
	RecordMail(ctx context.Context, mail Mail, events []Event) (Result, error)
	// RecordMails records many mails in one transaction, in order, as RecordMail would one
	// by one. It is the fast path for a batch: either all of them are recorded or none.
	RecordMails(ctx context.Context, batch []MailEvents) ([]Result, error)

	// MarkDone notes that the mail's IMAP move or flag succeeded. Marking an unknown mail is
	// an error wrapping ErrNotFound; marking a marked one again is a no-op.
	MarkDone(ctx context.Context, id MailID) error
	// MarkDoneMany marks many mails in one transaction, for a batch moved at once. Unknown
	// mails are skipped and counted in the error, which wraps ErrNotFound; the others are
	// marked all the same.
	MarkDoneMany(ctx context.Context, ids []MailID) error
	// Unmarked lists the mails of a mailbox that were recorded but not yet marked, oldest
	// first, so a rerun after a crash only finishes the marking.
	Unmarked(ctx context.Context, mailbox string) ([]LedgerEntry, error)
	// Checkpoint returns the mailbox's UID checkpoint: the UIDVALIDITY it belongs to and the
	// highest UID recorded. Both are 0 for a mailbox never seen.
	Checkpoint(ctx context.Context, mailbox string) (uidValidity, lastUID uint32, err error)
	// SetCheckpoint sets the mailbox's checkpoint outright, for instance after a UIDVALIDITY
	// change when no mail was recorded yet.
	SetCheckpoint(ctx context.Context, mailbox string, uidValidity, lastUID uint32) error

	// AcquireLease takes the named lease for holder until ttl from now, so that a second
	// `run` on the same store can detect the first one. It fails with ErrLeaseHeld while
	// another holder's lease has not expired; the same holder may take it again (renewal).
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) error
	// ReleaseLease gives up the named lease if holder has it.
	ReleaseLease(ctx context.Context, name, holder string) error

	// Suppress suppresses an address by hand. It fails with ErrAllowed for an address on the
	// allow list. An address the policy suppressed after soft bounces becomes suppressed by
	// hand, so that a later delivery no longer lifts it.
	Suppress(ctx context.Context, m Manual) (Change, error)
	// Import suppresses many addresses by hand in one transaction (the source is
	// SourceImport). Addresses on the allow list are skipped and reported in Change.Note.
	Import(ctx context.Context, ms []Manual) ([]Change, error)
	// Release lifts an address's suppression by hand, whatever its kind.
	Release(ctx context.Context, m Manual) (Change, error)
	// Allow puts an address or a whole domain ("@example.org") on the allow list, and
	// releases any current suppression it covers.
	Allow(ctx context.Context, m Manual) (Change, error)
	// Disallow takes an address or "@domain" off the allow list.
	Disallow(ctx context.Context, m Manual) (Change, error)

	// Lookup returns the entry for an address (normalised first); an error wrapping
	// ErrNotFound if the store has never heard of it.
	Lookup(ctx context.Context, address string) (Entry, error)
	// History returns what led to an address's state: its events and its changes, oldest
	// first.
	History(ctx context.Context, address string) (History, error)
	// Entries streams the entries that match f to fn in a stable order (by address), without
	// loading them all. An error from fn stops the walk and is returned.
	Entries(ctx context.Context, f Filter, fn func(Entry) error) error
	// AllowList returns the allow list, sorted.
	AllowList(ctx context.Context) ([]AllowEntry, error)
	// Stats counts events by kind, reason, receiving domain and day.
	Stats(ctx context.Context, f StatsFilter) (Stats, error)

	// Close closes the store.
	Close() error
}

// Options configure a store.
type Options struct {
	// Now is the clock used for "recorded at", "since" and lease expiry; nil means time.Now.
	Now func() time.Time
	// Policy decides when addresses are suppressed; the zero value means DefaultPolicy().
	Policy *Policy
	// DryRun rolls every write transaction back after it ran: results report what would
	// happen, and nothing changes.
	DryRun bool
	// MustExist makes Open fail with ErrNoStore when there is no file at the path, instead
	// of creating a new store: for commands that only read.
	MustExist bool
	// BusyTimeout is how long a writer waits for another one holding the database lock;
	// 0 means 10 seconds.
	BusyTimeout time.Duration

	// beforeCommit, when set (by tests), runs inside a RecordMail/RecordMails transaction
	// after all its writes and before the commit.
	beforeCommit func()
}

// Policy says when bounces suppress an address. DefaultPolicy returns the defaults.
type Policy struct {
	// SuppressHard suppresses an address at its first hard bounce.
	SuppressHard bool
	// SuppressComplaint suppresses an address at its first complaint.
	SuppressComplaint bool
	// SoftDays is how many different days (UTC) with a soft bounce, within SoftWindow of the
	// latest one, suppress an address; 0 means soft bounces never suppress.
	SoftDays int
	// SoftWindow is how far back soft bounces count; older ones stop counting.
	SoftWindow time.Duration
	// DeliveredReleasesSoft makes a later "delivered" report release a soft suppression and
	// restart the soft count: failures that occurred before the delivery (recorded late) no
	// longer suppress. Hard and complaint suppressions are only released by hand.
	DeliveredReleasesSoft bool
	// Blocked bounces (the sender's problem) are always counted and never suppress.
}

// DefaultPolicy returns the default policy: hard and complaint suppress at once; soft after 3
// soft bounces on 3 different days within 30 days; blocked never; a later delivered report
// releases a soft suppression.
func DefaultPolicy() Policy {
	return Policy{
		SuppressHard:          true,
		SuppressComplaint:     true,
		SoftDays:              3,
		SoftWindow:            30 * 24 * time.Hour,
		DeliveredReleasesSoft: true,
	}
}

// MailID identifies a mail in its mailbox: the mailbox name, its UIDVALIDITY and the UID.
type MailID struct {
	Mailbox     string
	UIDValidity uint32
	UID         uint32
}

// Mail is one processed mail, as the ledger keeps it.
//
// Its identity is twofold: MailID (mailbox, UIDVALIDITY, UID), and MessageID together with
// Hash, the SHA-256 of the raw mail (see HashRaw). A mail whose MailID is in the ledger is a
// duplicate and nothing is written. A mail with a new MailID but a known MessageID+Hash (after
// a UIDVALIDITY change, or a copy of the same mail) gets a ledger row of its own, so that it
// can be marked, but no events: Result.Duplicate is true for both.
type Mail struct {
	MailID
	MessageID string
	Hash      [sha256.Size]byte
	// Checkpoint advances the mailbox checkpoint to this mail's UID (or resets it to this
	// UIDVALIDITY) in the same transaction.
	Checkpoint bool
	// Problems is the number of decoding problems met, kept in the ledger for reports.
	Problems int
	// Quarantine, when not empty, says why the mail was set aside undecoded (or with its
	// decoding stopped): it is recorded without events, and never matched by content with
	// another mail (its hash may be of nothing).
	Quarantine string
}

// HashRaw returns the SHA-256 of a raw mail, for Mail.Hash.
func HashRaw(raw []byte) [sha256.Size]byte { return sha256.Sum256(raw) }

// MailEvents is one mail and its events, for RecordMails.
type MailEvents struct {
	Mail   Mail
	Events []Event
}

// Event is what a verdict says about one recipient of a mail. Address and OriginalAddress are
// given as found in the mail and normalised by the store.
type Event struct {
	Address         string
	OriginalAddress string
	Kind            classify.Kind
	Reason          classify.Reason
	Status          classify.Status
	Reply           classify.ReplyCode
	Diagnostic      string
	RemoteMTA       string
	// Hard and Suppress are the classifier's opinion, kept as they were; the store's policy
	// decides from Kind.
	Hard     bool
	Suppress bool
	// OccurredAt is when the bounce happened (the caller takes it from the report or the
	// mail's date); zero means the recording time.
	OccurredAt time.Time
}

// EventRecord is an event as stored: the event with its normalised addresses, the mail it
// came from and when it was recorded.
type EventRecord struct {
	ID int64
	Event
	Mail       MailID
	MessageID  string
	RecordedAt time.Time
}

// Result says what recording a mail did.
type Result struct {
	// LedgerID is the mail's ledger row (the existing one for an exact duplicate).
	LedgerID int64
	// Duplicate is true when the mail was recorded before (see Mail); Marked then says
	// whether that earlier row was already marked.
	Duplicate bool
	Marked    bool
	// Decisions holds one line per event, in order: what the policy did with it.
	Decisions []Decision
	// Suppressed lists the addresses that became suppressed through this mail; Released
	// those whose soft suppression a delivered report lifted.
	Suppressed []string
	Released   []string
}

// Action is what the policy did with one event or what a manual change did.
type Action string

// The actions.
const (
	ActionRecorded   Action = "recorded"   // stored and counted, nothing else changed
	ActionSuppressed Action = "suppressed" // the address became suppressed
	ActionReleased   Action = "released"   // the address's suppression was lifted
	ActionAllowed    Action = "allowed"    // the address is on the allow list: never suppressed
	ActionUnchanged  Action = "unchanged"  // already in the requested state
	ActionInvalid    Action = "invalid"    // the address is not valid: the event was not stored
	ActionDisallowed Action = "disallowed" // taken off the allow list
)

// Decision is what the policy did with one event.
type Decision struct {
	Address string // normalised, or as given when invalid
	Kind    classify.Kind
	Action  Action
	// Note explains the decision, e.g. "soft bounce on 2 of 3 days within 30 days".
	Note string
}

// Source says how an address got suppressed.
type Source string

// The sources of a suppression.
const (
	SourceNone   Source = ""
	SourcePolicy Source = "policy" // the policy, from bounces
	SourceManual Source = "manual" // by hand, with `bounceproc suppress`
	SourceImport Source = "import" // imported from a CSV list
)

// Entry is what the store knows about one address: a summary of its failure events and its
// suppression state.
type Entry struct {
	// Address is the normalised address; Domain its (IDNA A-label) domain.
	Address string
	Domain  string
	// Kind, Reason, Status, Reply and LastDiagnostic come from the latest failure event
	// (hard, soft, blocked or complaint); Kind is empty for an address only known by hand.
	Kind           classify.Kind
	Reason         classify.Reason
	Status         classify.Status
	Reply          classify.ReplyCode
	LastDiagnostic string
	// FirstSeen and LastSeen bound the failure events; BounceCount counts them.
	FirstSeen   time.Time
	LastSeen    time.Time
	BounceCount int
	// Suppressed says whether the address must not be mailed; the fields after it say since
	// when, by what kind of event or by whom, and why.
	Suppressed      bool
	SuppressedKind  classify.Kind // the kind that suppressed it; empty for manual ones
	SuppressedSince time.Time
	Source          Source
	By              string
	Why             string
	CauseEventID    int64
	// Allowed says whether the address or its domain is on the allow list (set by Lookup
	// and History; Entries leaves it false).
	Allowed bool
}

// Filter selects entries for Entries.
type Filter struct {
	// Kind selects by the latest failure kind; "" means any.
	Kind classify.Kind
	// Cause selects the addresses the policy suppressed for this kind of bounce (whatever
	// their latest bounce); "" means any.
	Cause classify.Kind
	// Source selects the suppressions made this way (SourcePolicy, SourceManual or
	// SourceImport); "" means any.
	Source Source
	// SuppressedOnly selects suppressed addresses only.
	SuppressedOnly bool
	// Since selects addresses with a failure or a suppression at or after it; zero means any.
	Since time.Time
}

// Manual is a change made by hand: who made it and why.
type Manual struct {
	// Address is an address, or "@domain" for Allow and Disallow.
	Address string
	By      string
	Why     string
}

// Change is what a manual change did.
type Change struct {
	Address string
	Action  Action
	Note    string
}

// ChangeRecord is one stored change of an address's state, made by the policy or by hand.
type ChangeRecord struct {
	ID      int64
	Address string
	Action  Action
	Source  Source
	Kind    classify.Kind
	By      string
	Why     string
	EventID int64
	At      time.Time
}

// History is what led to an address's state.
type History struct {
	Entry   Entry
	Events  []EventRecord
	Changes []ChangeRecord
}

// AllowEntry is one entry of the allow list: an address or "@domain".
type AllowEntry struct {
	Pattern string
	By      string
	Why     string
	At      time.Time
}

// LedgerEntry is one row of the ledger of processed mails.
type LedgerEntry struct {
	ID int64
	MailID
	MessageID  string
	RecordedAt time.Time
	Marked     bool
	// DuplicateOf is the ledger row this mail duplicates by content, or 0.
	DuplicateOf int64
}

// StatsFilter bounds the events Stats counts.
type StatsFilter struct {
	// Since counts events that occurred at or after it; zero means all.
	Since time.Time
	// TopDomains caps the domain list (the most frequent first); 0 means 20.
	TopDomains int
}

// Count is one labelled count.
type Count struct {
	Label string
	N     int
}

// Stats are the counts a postmaster looks at.
type Stats struct {
	Events     int
	Addresses  int
	Suppressed int
	ByKind     []Count // by event kind, most frequent first
	ByReason   []Count // by reason, most frequent first
	ByDomain   []Count // by receiving domain, most frequent first, capped
	ByDay      []Count // by day (UTC, YYYY-MM-DD) of occurrence, oldest first
}

// Sentinel errors callers branch on.
var (
	// ErrNotFound says an address or a mail is not in the store.
	ErrNotFound = errors.New("not found")
	// ErrLeaseHeld says another holder has the lease: another run is using the store.
	ErrLeaseHeld = errors.New("lease held by another process")
	// ErrAllowed says an address is on the allow list and cannot be suppressed.
	ErrAllowed = errors.New("address is on the allow list")
	// ErrInvalidAddress says an address could not be normalised.
	ErrInvalidAddress = errors.New("invalid address")
)
