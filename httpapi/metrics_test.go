package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/suppress"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape GETs /metrics over HTTP and parses the text format.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: status %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("GET /metrics: parsing: %v", err)
	}
	return fams
}

// value returns the value of the metric of family name with the given labels (name, value
// pairs); ok is false when there is none.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) (v float64, ok bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		}
	}
	return 0, false
}

func newMetricsServer(t *testing.T, m *Metrics) string {
	t.Helper()
	mux := http.NewServeMux()
	m.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestMetricsFromStore(t *testing.T) {
	ctx := context.Background()
	ro, rw := newTestStore(t)
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	for _, r := range []suppress.RunRecord{
		{Mailbox: "INBOX", Started: start, Finished: start.Add(90 * time.Second), Fetched: 12, Decoded: 10, Problems: 2,
			Recorded: 11, NewSuppressions: 4, OK: true},
		{Mailbox: "INBOX", Started: start.Add(time.Hour), Finished: start.Add(time.Hour + 3*time.Second), Fetched: 3,
			Decoded: 3, Recorded: 3, NewSuppressions: 1, OK: false},
		{Mailbox: "Bounces", Started: start, Finished: start.Add(time.Second), Fetched: 1, Decoded: 1, Recorded: 1, OK: true},
	} {
		if err := rw.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	m := NewMetrics(ro, time.Hour, nil)
	m.WebhookEvent("ses", "recorded", 1)
	m.WebhookEvent("ses", "recorded", 1)
	m.WebhookEvent("sendgrid", "bad-signature", 0)
	fams := scrape(t, newMetricsServer(t, m))

	for _, tc := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"bounceproc_store_up", nil, 1},
		{"bounceproc_mails_fetched_total", []string{"mailbox", "INBOX"}, 15},
		{"bounceproc_mails_decoded_total", []string{"mailbox", "INBOX"}, 13},
		{"bounceproc_mail_problems_total", []string{"mailbox", "INBOX"}, 2},
		{"bounceproc_mails_recorded_total", []string{"mailbox", "INBOX"}, 14},
		{"bounceproc_new_suppressions_total", []string{"mailbox", "INBOX"}, 5},
		{"bounceproc_runs_total", []string{"mailbox", "INBOX", "result", "ok"}, 1},
		{"bounceproc_runs_total", []string{"mailbox", "INBOX", "result", "failed"}, 1},
		{"bounceproc_last_run_duration_seconds", []string{"mailbox", "INBOX"}, 3},
		{"bounceproc_last_run_timestamp_seconds", []string{"mailbox", "INBOX"}, float64(start.Add(time.Hour + 3*time.Second).Unix())},
		{"bounceproc_last_success_timestamp_seconds", []string{"mailbox", "INBOX"}, float64(start.Add(90 * time.Second).Unix())},
		{"bounceproc_mails_fetched_total", []string{"mailbox", "Bounces"}, 1},
		{"bounceproc_last_success_timestamp_seconds", []string{"mailbox", "Bounces"}, float64(start.Add(time.Second).Unix())},
		// newTestStore recorded three hard bounces and a blocked one, and suppressed one
		// address by hand; one hard one was released and one allowed.
		{"bounceproc_recipients_total", []string{"kind", "hard"}, 3},
		{"bounceproc_recipients_total", []string{"kind", "blocked"}, 1},
		{"bounceproc_suppressed_addresses", nil, 2},
		{"bounceproc_known_addresses", nil, 5},
		{"bounceproc_webhook_events_total", []string{"provider", "ses", "result", "recorded"}, 2},
		{"bounceproc_webhook_events_total", []string{"provider", "sendgrid", "result", "bad-signature"}, 1},
	} {
		if got, ok := value(fams, tc.name, tc.labels...); !ok || got != tc.want {
			t.Errorf("%s%v = %v (present %v), want %v", tc.name, tc.labels, got, ok, tc.want)
		}
	}
	if _, ok := value(fams, "go_goroutines"); !ok {
		t.Error("no go_goroutines: the Go collector is missing")
	}
}

// countingStore counts how often the store is read and can be made to fail.
type countingStore struct {
	mu    sync.Mutex
	reads int
	err   error
}

func (c *countingStore) LastRuns(context.Context) ([]suppress.RunSummary, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	return []suppress.RunSummary{{Mailbox: "INBOX", Runs: c.reads}}, c.err
}

func (c *countingStore) KindCounts(context.Context) ([]suppress.Count, error) { return nil, nil }

func (c *countingStore) Counts(context.Context) (suppress.RowCounts, error) {
	return suppress.RowCounts{}, nil
}

func TestMetricsCacheAndStoreDown(t *testing.T) {
	st := &countingStore{}
	m := NewMetrics(st, time.Minute, nil)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	// The store collector is the last one registered; give it the test clock.
	setClock(t, m, clock)
	url := newMetricsServer(t, m)
	scrape(t, url)
	scrape(t, url)
	if st.reads != 1 {
		t.Errorf("two scrapes within the TTL read the store %d times, want 1", st.reads)
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	st.mu.Lock()
	st.err = errors.New("database is locked")
	st.mu.Unlock()
	fams := scrape(t, url)
	if st.reads != 2 {
		t.Errorf("a scrape after the TTL: %d store reads, want 2", st.reads)
	}
	if v, ok := value(fams, "bounceproc_store_up"); !ok || v != 0 {
		t.Errorf("bounceproc_store_up = %v (present %v) with a failing store, want 0", v, ok)
	}
	if _, ok := value(fams, "bounceproc_runs_total", "mailbox", "INBOX", "result", "ok"); ok {
		t.Error("store metrics reported although the store could not be read")
	}
}

// setClock sets the clock of m's store collector.
func setClock(t *testing.T, m *Metrics, now func() time.Time) {
	t.Helper()
	if m.store == nil {
		t.Fatal("metrics without a store collector")
	}
	m.store.now = now
}
