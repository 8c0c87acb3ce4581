package suppress

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"
)

// migrateV8 adds the runs table: one row per run of one mailbox, what it fetched, decoded and
// recorded and whether it finished, so that a process other than the run (the metrics of
// `serve`) can tell what runs did and when the last one succeeded.
func migrateV8(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx,
		`CREATE TABLE runs (
			id               INTEGER PRIMARY KEY,
			mailbox          TEXT    NOT NULL,
			worker           TEXT    NOT NULL DEFAULT '',
			started_at       INTEGER NOT NULL,
			finished_at      INTEGER NOT NULL,
			fetched          INTEGER NOT NULL DEFAULT 0,
			decoded          INTEGER NOT NULL DEFAULT 0,
			problems         INTEGER NOT NULL DEFAULT 0,
			recorded         INTEGER NOT NULL DEFAULT 0,
			new_suppressions INTEGER NOT NULL DEFAULT 0,
			ok               INTEGER NOT NULL
		)`,
		`CREATE INDEX runs_mailbox ON runs(mailbox, id)`,
	)
}

// migrateV9 adds run_totals: the sums of a mailbox's runs that no longer have a row of their
// own (see foldRuns), so that a run that watches for months keeps a bounded runs table while
// the totals, which the metrics export as counters, never go down.
func migrateV9(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx,
		`CREATE TABLE run_totals (
			mailbox          TEXT    PRIMARY KEY,
			runs             INTEGER NOT NULL,
			failed           INTEGER NOT NULL,
			fetched          INTEGER NOT NULL,
			decoded          INTEGER NOT NULL,
			problems         INTEGER NOT NULL,
			recorded         INTEGER NOT NULL,
			new_suppressions INTEGER NOT NULL,
			last_ok          INTEGER NOT NULL
		)`,
	)
}

// keptRuns is how many of a mailbox's latest runs keep a row of their own: a watching run
// records a pass at every wake, thousands a day. Once foldRunsEvery more have piled up, the
// oldest are folded into the mailbox's run_totals row.
const (
	keptRuns      = 1000
	foldRunsEvery = 100
)

// RunRecord is what one run did with one mailbox.
type RunRecord struct {
	Mailbox string
	// Worker names who ran it (a host and process, or a worker of a pool); may be empty.
	Worker string
	// Started and Finished bound the run; Finished is required.
	Started  time.Time
	Finished time.Time
	// Fetched counts the mails read from the mailbox, Decoded those decoded as bounces (or
	// other reports), Problems the decoding problems met, Recorded the mails newly recorded
	// and NewSuppressions the addresses that became suppressed.
	Fetched         int
	Decoded         int
	Problems        int
	Recorded        int
	NewSuppressions int
	// OK says whether the run finished without an error.
	OK bool
}

// Duration is how long the run took.
func (r RunRecord) Duration() time.Duration {
	if r.Started.IsZero() {
		return 0
	}
	return r.Finished.Sub(r.Started)
}

// RunSummary sums up the recorded runs of one mailbox.
type RunSummary struct {
	Mailbox string
	// Last is the latest run recorded; LastOK is when the latest successful run finished
	// (zero if none did).
	Last   RunRecord
	LastOK time.Time
	// Runs counts the runs recorded, Failed those that did not finish OK.
	Runs   int
	Failed int
	// The totals over all runs.
	Fetched         int64
	Decoded         int64
	Problems        int64
	Recorded        int64
	NewSuppressions int64
}

// RecordRun records what a run did with one mailbox. In a dry run it is rolled back like
// every other write: a dry run changes nothing.
func (s *SQLite) RecordRun(ctx context.Context, r RunRecord) error {
	if r.Mailbox == "" {
		return errors.New("suppress: record run: no mailbox")
	}
	if r.Finished.IsZero() {
		return fmt.Errorf("suppress: record run of %s: no finish time", r.Mailbox)
	}
	ok := 0
	if r.OK {
		ok = 1
	}
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO runs (mailbox, worker, started_at, finished_at, fetched, decoded, problems,
			recorded, new_suppressions, ok) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Mailbox, r.Worker, toMS(r.Started), toMS(r.Finished), r.Fetched, r.Decoded, r.Problems, r.Recorded,
			r.NewSuppressions, ok)
		if err != nil {
			return err
		}
		return foldRuns(ctx, tx, r.Mailbox, keptRuns, foldRunsEvery)
	})
	if err != nil {
		return fmt.Errorf("suppress: record run of %s: %w", r.Mailbox, err)
	}
	return nil
}

// foldRuns adds the runs of mailbox older than its latest keep to its run_totals row and
// deletes their rows, once at least every more than keep have piled up (so that a fold, a
// few hundred rows, happens once in every runs, not at each).
func foldRuns(ctx context.Context, tx *sql.Tx, mailbox string, keep, every int) error {
	newest := func(n int) (id int64, ok bool, err error) {
		err = tx.QueryRowContext(ctx, `SELECT id FROM runs WHERE mailbox = ? ORDER BY id DESC LIMIT 1 OFFSET ?`,
			mailbox, n-1).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		return id, err == nil, err
	}
	if _, ok, err := newest(keep + every); !ok || err != nil {
		return err
	}
	cut, _, err := newest(keep + 1)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO run_totals (mailbox, runs, failed, fetched, decoded, problems, recorded,
			new_suppressions, last_ok)
		SELECT mailbox, count(*), sum(1 - ok), sum(fetched), sum(decoded), sum(problems), sum(recorded),
			sum(new_suppressions), max(CASE WHEN ok = 1 THEN finished_at ELSE 0 END)
		FROM runs WHERE mailbox = ? AND id <= ? GROUP BY mailbox
		ON CONFLICT (mailbox) DO UPDATE SET runs = run_totals.runs + excluded.runs,
			failed = run_totals.failed + excluded.failed, fetched = run_totals.fetched + excluded.fetched,
			decoded = run_totals.decoded + excluded.decoded, problems = run_totals.problems + excluded.problems,
			recorded = run_totals.recorded + excluded.recorded,
			new_suppressions = run_totals.new_suppressions + excluded.new_suppressions,
			last_ok = max(run_totals.last_ok, excluded.last_ok)`, mailbox, cut)
	if err != nil {
		return fmt.Errorf("folding old runs: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM runs WHERE mailbox = ? AND id <= ?`, mailbox, cut); err != nil {
		return fmt.Errorf("deleting folded runs: %w", err)
	}
	return nil
}

// LastRuns sums up the recorded runs per mailbox, sorted by mailbox, the folded ones included.
func (s *SQLite) LastRuns(ctx context.Context) ([]RunSummary, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT mailbox, count(*), sum(1 - ok), sum(fetched), sum(decoded), sum(problems),
		sum(recorded), sum(new_suppressions), max(CASE WHEN ok = 1 THEN finished_at ELSE 0 END), max(id)
		FROM runs GROUP BY mailbox ORDER BY mailbox`)
	if err != nil {
		return nil, fmt.Errorf("suppress: last runs: %w", err)
	}
	defer rows.Close()
	var out []RunSummary
	last := map[int64]int{} // run id → index in out
	for rows.Next() {
		var r RunSummary
		var lastOK, id int64
		if err := rows.Scan(&r.Mailbox, &r.Runs, &r.Failed, &r.Fetched, &r.Decoded, &r.Problems, &r.Recorded,
			&r.NewSuppressions, &lastOK, &id); err != nil {
			return nil, fmt.Errorf("suppress: last runs: %w", err)
		}
		r.LastOK = fromMS(lastOK)
		last[id] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("suppress: last runs: %w", err)
	}
	rows.Close()
	if err := s.addRunTotals(ctx, out); err != nil {
		return nil, err
	}
	for id, i := range last {
		var r RunRecord
		var started, finished, ok int64
		err := s.db.QueryRowContext(ctx, `SELECT mailbox, worker, started_at, finished_at, fetched, decoded, problems, recorded,
			new_suppressions, ok FROM runs WHERE id = ?`, id).Scan(&r.Mailbox, &r.Worker, &started, &finished, &r.Fetched,
			&r.Decoded, &r.Problems, &r.Recorded, &r.NewSuppressions, &ok)
		if err != nil {
			return nil, fmt.Errorf("suppress: last run of %s: %w", out[i].Mailbox, err)
		}
		r.Started, r.Finished, r.OK = fromMS(started), fromMS(finished), ok != 0
		out[i].Last = r
	}
	return out, nil
}

// addRunTotals adds the folded runs of run_totals to the sums of out.
func (s *SQLite) addRunTotals(ctx context.Context, out []RunSummary) error {
	rows, err := s.db.QueryContext(ctx, `SELECT mailbox, runs, failed, fetched, decoded, problems, recorded,
		new_suppressions, last_ok FROM run_totals`)
	if err != nil {
		return fmt.Errorf("suppress: folded runs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t RunSummary
		var lastOK int64
		if err := rows.Scan(&t.Mailbox, &t.Runs, &t.Failed, &t.Fetched, &t.Decoded, &t.Problems, &t.Recorded,
			&t.NewSuppressions, &lastOK); err != nil {
			return fmt.Errorf("suppress: folded runs: %w", err)
		}
		i := sort.Search(len(out), func(i int) bool { return out[i].Mailbox >= t.Mailbox })
		if i == len(out) || out[i].Mailbox != t.Mailbox {
			continue // every mailbox keeps its latest runs: folded ones always have a summary
		}
		r := &out[i]
		r.Runs += t.Runs
		r.Failed += t.Failed
		r.Fetched += t.Fetched
		r.Decoded += t.Decoded
		r.Problems += t.Problems
		r.Recorded += t.Recorded
		r.NewSuppressions += t.NewSuppressions
		if at := fromMS(lastOK); lastOK > 0 && at.After(r.LastOK) {
			r.LastOK = at
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("suppress: folded runs: %w", err)
	}
	return nil
}

// KindCounts counts the recorded recipient events by kind, sorted by kind. It reads every
// event, so callers that ask often (a metrics scrape) should cache it.
func (s *SQLite) KindCounts(ctx context.Context) ([]Count, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind`)
	if err != nil {
		return nil, fmt.Errorf("suppress: count events by kind: %w", err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var n Count
		if err := rows.Scan(&n.Label, &n.N); err != nil {
			return nil, fmt.Errorf("suppress: count events by kind: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("suppress: count events by kind: %w", err)
	}
	return out, nil
}
