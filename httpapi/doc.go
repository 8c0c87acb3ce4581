// Package httpapi serves what a sending system asks bounceproc over HTTP: the lookup API
// (GET /v1/suppressions/{address}, POST /v1/suppressions/check) behind a bearer token
// (RFC 6750 §2.1), and the metrics in the Prometheus text exposition format (GET /metrics).
//
// The lookup API reads a Store's LookupMany, with the store's own address normalisation and
// its allow list: an allowed address is never reported suppressed. `serve` gives it a
// suppress.Index, which answers from memory and takes in other processes' writes within
// about a second; a *suppress.SQLite answers from the store itself (BenchmarkLookupHTTP
// compares the two). The
// metrics read what runs did from the store (suppress.LastRuns, which `run` fills through
// RecordRun) at scrape time, cached briefly, since `run` and `serve` are separate processes;
// webhook events are counted in this process through Metrics.WebhookEvent.
package httpapi
