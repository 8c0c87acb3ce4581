package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/bounceproc/bounceproc/suppress"
)

// Limits of the lookup API.
const (
	// MaxBatch is the most addresses one POST /v1/suppressions/check may ask about.
	MaxBatch = 10000
	// MaxBody caps a request body: room for MaxBatch addresses of the longest kind
	// (254 octets, RFC 5321 §4.5.3.1) with JSON quoting.
	MaxBody = 4 << 20
)

// Store is what the lookup API reads; *suppress.SQLite implements it.
type Store interface {
	LookupMany(ctx context.Context, addresses []string) ([]suppress.LookupResult, error)
}

// API answers lookups of the suppression list. Create it with NewAPI.
type API struct {
	store Store
	token [sha256.Size]byte
	log   *slog.Logger
}

// NewAPI returns the lookup API over store, open to requests that carry token as a bearer
// token. An empty token is refused: the API is never open to everyone.
func NewAPI(store Store, token string, log *slog.Logger) (*API, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, errors.New("httpapi: empty API token")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &API{store: store, token: sha256.Sum256([]byte(token)), log: log}, nil
}

// Register mounts the API's routes on mux.
func (a *API) Register(mux *http.ServeMux) {
	mux.Handle("GET /v1/suppressions/{address...}", a.auth(http.HandlerFunc(a.lookupOne)))
	mux.Handle("POST /v1/suppressions/check", a.auth(http.HandlerFunc(a.check)))
}

// Answer is what the API says about one address.
type Answer struct {
	// Address is the address as asked; Normalized the form the store keeps it in.
	Address    string `json:"address"`
	Normalized string `json:"normalized,omitempty"`
	// Valid is false for an address that cannot be normalised; Error then says why.
	Valid bool   `json:"valid"`
	Error string `json:"error,omitempty"`
	// Suppressed says the address must not be mailed. An allowed address never is.
	Suppressed bool `json:"suppressed"`
	// Allowed says the address or its domain is on the allow list.
	Allowed bool `json:"allowed,omitempty"`
	// Known says the store has an entry for the address (bounces or a manual change).
	Known bool `json:"known,omitempty"`
	// Since, Cause, Source, By and Why describe the suppression: since when; the kind of
	// bounce that caused it (hard, soft, complaint), or "manual" or "import"; who made it by
	// hand and why.
	Since  time.Time `json:"since,omitzero"`
	Cause  string    `json:"cause,omitempty"`
	Source string    `json:"source,omitempty"`
	By     string    `json:"by,omitempty"`
	Why    string    `json:"why,omitempty"`
	// LastBounce is the latest failure recorded for the address, if any.
	LastBounce *Bounce `json:"last_bounce,omitempty"`
}

// Bounce is the latest failure recorded for an address, with the count and time span of all.
type Bounce struct {
	Kind       string    `json:"kind"`
	Reason     string    `json:"reason,omitempty"`
	Status     string    `json:"status,omitempty"`
	Reply      string    `json:"reply,omitempty"`
	Diagnostic string    `json:"diagnostic,omitempty"`
	At         time.Time `json:"at,omitzero"`
	FirstSeen  time.Time `json:"first_seen,omitzero"`
	Count      int       `json:"count"`
}

// CheckRequest is the body of POST /v1/suppressions/check.
type CheckRequest struct {
	Addresses []string `json:"addresses"`
}

// CheckResponse answers a CheckRequest: one answer per address, in the order asked, and
// how many of them are suppressed and invalid.
type CheckResponse struct {
	Results    []Answer `json:"results"`
	Suppressed int      `json:"suppressed"`
	Invalid    int      `json:"invalid"`
}

// answer turns a store result into the API's answer.
func answer(r suppress.LookupResult) Answer {
	a := Answer{Address: r.Input}
	if r.Err != nil {
		a.Error = strings.TrimPrefix(r.Err.Error(), "suppress: ")
		return a
	}
	e := r.Entry
	a.Normalized, a.Valid, a.Allowed, a.Known = r.Address, true, e.Allowed, r.Known
	if r.Suppressed() {
		a.Suppressed, a.Since, a.Source, a.By, a.Why = true, e.SuppressedSince, string(e.Source), e.By, e.Why
		a.Cause = string(e.SuppressedKind)
		if a.Cause == "" {
			a.Cause = string(e.Source)
		}
	}
	if r.Known && e.Kind != "" {
		a.LastBounce = &Bounce{Kind: string(e.Kind), Reason: string(e.Reason), Status: string(e.Status), Reply: string(e.Reply),
			Diagnostic: e.LastDiagnostic, At: e.LastSeen, FirstSeen: e.FirstSeen, Count: e.BounceCount}
	}
	return a
}

func (a *API) lookupOne(w http.ResponseWriter, r *http.Request) {
	addr := r.PathValue("address")
	res, err := a.store.LookupMany(r.Context(), []string{addr})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ans := answer(res[0])
	code := http.StatusOK
	if !ans.Valid {
		code = http.StatusBadRequest
	}
	// By hand, as the batch answer: json.Marshal took as long as the lookup.
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(append(appendAnswer(make([]byte, 0, 512), &ans), '\n'))
}

func (a *API) check(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "the body must be JSON (Content-Type: application/json), not %q", ct)
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", MaxBody)
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading the body: %v", err)
		return
	}
	var req CheckRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, `the body must be {"addresses": ["...", ...]}: %v`, err)
		return
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "the body holds more than one JSON value")
		return
	}
	if req.Addresses == nil {
		writeError(w, http.StatusBadRequest, `the body has no "addresses" list`)
		return
	}
	if len(req.Addresses) > MaxBatch {
		writeError(w, http.StatusRequestEntityTooLarge, "%d addresses: at most %d per request", len(req.Addresses), MaxBatch)
		return
	}
	res, err := a.store.LookupMany(r.Context(), req.Addresses)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := CheckResponse{Results: make([]Answer, len(res))}
	for i, x := range res {
		out.Results[i] = answer(x)
		if out.Results[i].Suppressed {
			out.Suppressed++
		}
		if !out.Results[i].Valid {
			out.Invalid++
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(append(appendCheckResponse(make([]byte, 0, 256*len(out.Results)+64), out), '\n'))
}

// fail answers a store error: logged, and a 500 that does not tell the client the details
// (or 503 when the client went away or the request timed out).
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		writeError(w, http.StatusServiceUnavailable, "the lookup was cancelled")
		return
	}
	a.log.Error("httpapi: lookup failed", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "the store could not be read; see the server's log")
}

// auth lets requests with the right bearer token through to next and answers 401 to others.
// The token is compared as a SHA-256 in constant time, so neither its content nor its length
// shows in the time an answer takes.
func (a *API) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		got := sha256.Sum256([]byte(strings.TrimSpace(token)))
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], a.token[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bounceproc"`)
			writeError(w, http.StatusUnauthorized, "missing or wrong bearer token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ErrorBody is the body of every error answer.
type ErrorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, code int, format string, args ...any) {
	writeJSON(w, code, ErrorBody{Error: fmt.Sprintf(format, args...)})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"error":"encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}
