package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/suppress"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// StatsStore is what the metrics read from the store at scrape time; *suppress.SQLite
// implements it.
type StatsStore interface {
	LastRuns(ctx context.Context) ([]suppress.RunSummary, error)
	KindCounts(ctx context.Context) ([]suppress.Count, error)
	Counts(ctx context.Context) (suppress.RowCounts, error)
}

// DefaultCacheTTL is how long the metrics keep what they read from the store: scrapes within
// it cost nothing, and the store is read at most once per TTL however many scrapers there are.
const DefaultCacheTTL = 10 * time.Second

// Metrics serves /metrics: what runs did and what the store holds (read from the store,
// since runs are other processes), and the webhook events this process received. Create it
// with NewMetrics.
type Metrics struct {
	reg     *prometheus.Registry
	webhook *prometheus.CounterVec
	store   *storeCollector // nil without a store
}

// NewMetrics returns the metrics of store (nil: only this process's own counters), reading
// the store at most once per ttl (0: DefaultCacheTTL).
func NewMetrics(store StatsStore, ttl time.Duration, log *slog.Logger) *Metrics {
	if ttl <= 0 {
		ttl = DefaultCacheTTL
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		webhook: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "bounceproc_webhook_events_total",
			Help: "Webhook events received by this process, by provider and result.",
		}, []string{"provider", "result"}),
	}
	m.reg.MustRegister(m.webhook, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if store != nil {
		m.store = &storeCollector{store: store, ttl: ttl, log: log, now: time.Now}
		m.reg.MustRegister(m.store)
	}
	return m
}

// WebhookEvent counts n webhook events of provider ("ses", "sendgrid", …) with their result
// ("recorded", "duplicate", "ignored", "bad-signature", "bad-input", …). A request refused
// before its events could be read (n of 0) counts as one. Safe for concurrent use; a nil
// *Metrics ignores it.
func (m *Metrics) WebhookEvent(provider, result string, n int) {
	if m == nil {
		return
	}
	m.webhook.WithLabelValues(provider, result).Add(float64(max(n, 1)))
}

// Index is what the metrics read of the lookups' in-memory index (suppress.Index).
type Index interface {
	Age() time.Duration
	Size() (entries, bytes int)
	Err() error
}

// WatchIndex adds the state of the lookups' index: how old its content is (alert when it
// stops refreshing), whether its last refresh failed, and its entries and memory.
func (m *Metrics) WatchIndex(x Index) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "bounceproc_lookup_index_age_seconds",
			Help: "Seconds since the lookups' in-memory index last read the store successfully.",
		}, func() float64 { return x.Age().Seconds() }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "bounceproc_lookup_index_refresh_failing",
			Help: "1 when the last refresh of the lookups' index failed (it answers from older content), else 0.",
		}, func() float64 {
			if x.Err() != nil {
				return 1
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "bounceproc_lookup_index_entries",
			Help: "Addresses the lookups' in-memory index holds.",
		}, func() float64 { n, _ := x.Size(); return float64(n) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "bounceproc_lookup_index_bytes",
			Help: "Memory the lookups' in-memory index takes.",
		}, func() float64 { _, b := x.Size(); return float64(b) }),
	)
}

// Register mounts GET /metrics on mux.
func (m *Metrics) Register(mux *http.ServeMux) {
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// The metrics read from the store.
var (
	descFetched = prometheus.NewDesc("bounceproc_mails_fetched_total",
		"Mails fetched from the mailbox, over all recorded runs.", []string{"mailbox"}, nil)
	descDecoded = prometheus.NewDesc("bounceproc_mails_decoded_total",
		"Mails decoded as bounces or other reports, over all recorded runs.", []string{"mailbox"}, nil)
	descProblems = prometheus.NewDesc("bounceproc_mail_problems_total",
		"Decoding problems met, over all recorded runs.", []string{"mailbox"}, nil)
	descRecorded = prometheus.NewDesc("bounceproc_mails_recorded_total",
		"Mails newly recorded in the store, over all recorded runs.", []string{"mailbox"}, nil)
	descNewSupp = prometheus.NewDesc("bounceproc_new_suppressions_total",
		"Addresses that became suppressed through runs of the mailbox.", []string{"mailbox"}, nil)
	descRuns = prometheus.NewDesc("bounceproc_runs_total",
		"Recorded runs by result (ok or failed).", []string{"mailbox", "result"}, nil)
	descDuration = prometheus.NewDesc("bounceproc_last_run_duration_seconds",
		"How long the latest run of the mailbox took.", []string{"mailbox"}, nil)
	descLastRun = prometheus.NewDesc("bounceproc_last_run_timestamp_seconds",
		"When the latest run of the mailbox finished (Unix time), whatever its result.", []string{"mailbox"}, nil)
	descLastOK = prometheus.NewDesc("bounceproc_last_success_timestamp_seconds",
		"When the latest successful run of the mailbox finished (Unix time): alert when it gets old.", []string{"mailbox"}, nil)
	descRecipients = prometheus.NewDesc("bounceproc_recipients_total",
		"Recipient events recorded in the store, by kind (hard, soft, blocked, complaint, ...).", []string{"kind"}, nil)
	descSuppressed = prometheus.NewDesc("bounceproc_suppressed_addresses",
		"Addresses suppressed now.", nil, nil)
	descAddresses = prometheus.NewDesc("bounceproc_known_addresses",
		"Addresses the store has an entry for.", nil, nil)
	descUp = prometheus.NewDesc("bounceproc_store_up",
		"1 if the store could be read at the last refresh, else 0 (the store's metrics are then missing).", nil, nil)
)

// storeCollector reads the store's metrics at scrape time, at most once per ttl.
type storeCollector struct {
	store StatsStore
	ttl   time.Duration
	log   *slog.Logger
	now   func() time.Time

	mu   sync.Mutex
	at   time.Time // when snap was read; zero: never
	snap storeSnapshot
}

type storeSnapshot struct {
	ok     bool
	runs   []suppress.RunSummary
	kinds  []suppress.Count
	counts suppress.RowCounts
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descFetched, descDecoded, descProblems, descRecorded, descNewSupp, descRuns,
		descDuration, descLastRun, descLastOK, descRecipients, descSuppressed, descAddresses, descUp} {
		ch <- d
	}
}

// snapshot returns what the store holds, read again when the last read is older than ttl.
func (c *storeCollector) snapshot() storeSnapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := c.now(); c.at.IsZero() || now.Sub(c.at) >= c.ttl {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var s storeSnapshot
		var err error
		if s.runs, err = c.store.LastRuns(ctx); err == nil {
			if s.kinds, err = c.store.KindCounts(ctx); err == nil {
				s.counts, err = c.store.Counts(ctx)
			}
		}
		if err != nil {
			c.log.Error("httpapi: reading the store for metrics", "err", err)
		}
		s.ok = err == nil
		c.snap, c.at = s, now
	}
	return c.snap
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.snapshot()
	up := 0.0
	if s.ok {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up)
	if !s.ok {
		return
	}
	counter := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for _, r := range s.runs {
		mb := r.Mailbox
		counter(descFetched, r.Fetched, mb)
		counter(descDecoded, r.Decoded, mb)
		counter(descProblems, r.Problems, mb)
		counter(descRecorded, r.Recorded, mb)
		counter(descNewSupp, r.NewSuppressions, mb)
		counter(descRuns, int64(r.Runs-r.Failed), mb, "ok")
		counter(descRuns, int64(r.Failed), mb, "failed")
		gauge(descDuration, r.Last.Duration().Seconds(), mb)
		gauge(descLastRun, unixSeconds(r.Last.Finished), mb)
		if !r.LastOK.IsZero() {
			gauge(descLastOK, unixSeconds(r.LastOK), mb)
		}
	}
	for _, k := range s.kinds {
		label := k.Label
		if label == string(classify.KindUndetermined) {
			label = "undetermined" // stored as "", as classify names it
		}
		counter(descRecipients, int64(k.N), label)
	}
	gauge(descSuppressed, float64(s.counts.Suppressed))
	gauge(descAddresses, float64(s.counts.Addresses))
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
