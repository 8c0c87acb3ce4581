package esp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// Webhooks serves the providers' webhook endpoints. Each endpoint is on only when its
// verifier or credentials are set:
//
//	POST /webhooks/ses        SNS messages for Amazon SES (SNS set, with its topic allow-list)
//	POST /webhooks/sendgrid   SendGrid Event Webhook posts (SendGrid set)
//	POST /webhooks/postmark   Postmark webhooks with basic authentication (Postmark set)
//	POST /webhooks/mailgun    Mailgun webhooks (Mailgun set)
//
// A request is answered 200 only after its events are committed to the store. Bad input is
// 400 (a body that is not the provider's events, with the reason in plain text) and 413 (a
// body over MaxBody); a bad signature or bad credentials 401, logged; an SNS topic not in
// the allow-list 403; a store failure 500, so that the provider retries. Nothing is recorded
// unless the answer is 200.
type Webhooks struct {
	Store    Store
	SNS      *SNSVerifier
	SendGrid *SendGridVerifier
	Postmark *BasicAuth
	Mailgun  *MailgunVerifier
	// Logger receives a line per refused request and per recorded body; nil discards them.
	Logger *slog.Logger
	// Observe, when set, is called once per request with the provider and its result
	// ("recorded", "duplicate", "ignored", "bad-input", "bad-signature", "forbidden",
	// "too-large", "error", "confirmed"), and the number of events it concerns; for metrics.
	Observe func(p Provider, result string, n int)
}

// Mount registers the endpoints that are on in mux and returns their paths.
func (w *Webhooks) Mount(mux *http.ServeMux) []string {
	var paths []string
	add := func(p Provider, on bool, h func(http.ResponseWriter, *http.Request, []byte)) {
		if !on {
			return
		}
		path := "/webhooks/" + string(p)
		mux.Handle("POST "+path, w.endpoint(p, h))
		paths = append(paths, path)
	}
	add(SES, w.SNS != nil, w.ses)
	add(SendGrid, w.SendGrid != nil, w.sendGrid)
	add(Postmark, w.Postmark != nil, w.postmark)
	add(Mailgun, w.Mailgun != nil, w.mailgun)
	return paths
}

func (w *Webhooks) log() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (w *Webhooks) observe(p Provider, result string, n int) {
	if w.Observe != nil {
		w.Observe(p, result, n)
	}
}

// endpoint reads the body, capped at MaxBody, and hands it to h.
func (w *Webhooks) endpoint(p Provider, h func(http.ResponseWriter, *http.Request, []byte)) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, MaxBody))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			w.observe(p, "too-large", 0)
			http.Error(rw, fmt.Sprintf("the body is larger than %d bytes", MaxBody), http.StatusRequestEntityTooLarge)
			return
		case err != nil:
			w.observe(p, "bad-input", 0)
			http.Error(rw, "reading the body: "+err.Error(), http.StatusBadRequest)
			return
		}
		h(rw, r, body)
	})
}

// refuse answers a request whose signature, credentials or input are wrong, by the error's
// kind, and logs a bad signature.
func (w *Webhooks) refuse(rw http.ResponseWriter, r *http.Request, p Provider, err error) {
	switch {
	case errors.Is(err, ErrBadSignature):
		w.log().Warn("webhook: refused a request with a bad signature", "provider", string(p), "remote", r.RemoteAddr, "err", err)
		w.observe(p, "bad-signature", 0)
		if p == Postmark {
			rw.Header().Set("WWW-Authenticate", `Basic realm="bounceproc", charset="UTF-8"`)
		}
		http.Error(rw, "bad signature or credentials", http.StatusUnauthorized)
	case errors.Is(err, ErrTopicNotAllowed):
		w.log().Warn("webhook: refused a message from a topic not allowed", "provider", string(p), "remote", r.RemoteAddr, "err", err)
		w.observe(p, "forbidden", 0)
		http.Error(rw, strings.TrimPrefix(err.Error(), "esp: "), http.StatusForbidden)
	case errors.Is(err, ErrBadInput):
		w.log().Info("webhook: refused bad input", "provider", string(p), "remote", r.RemoteAddr, "err", err)
		w.observe(p, "bad-input", 0)
		http.Error(rw, strings.TrimPrefix(err.Error(), "esp: "), http.StatusBadRequest)
	default:
		w.log().Error("webhook: failed", "provider", string(p), "err", err)
		w.observe(p, "error", 0)
		http.Error(rw, "internal error; retry later", http.StatusInternalServerError)
	}
}

// record records events and answers; it reports whether they were committed.
func (w *Webhooks) record(ctx context.Context, rw http.ResponseWriter, r *http.Request, p Provider, events []Event) bool {
	out, err := Record(ctx, w.Store, events)
	if err != nil {
		w.refuse(rw, r, p, err)
		return false
	}
	for _, res := range []struct {
		name string
		n    int
	}{{"recorded", out.Recorded}, {"duplicate", out.Duplicates}, {"ignored", out.Ignored}} {
		if res.n > 0 {
			w.observe(p, res.name, res.n)
		}
	}
	w.log().Info("webhook: events", "provider", string(p), "events", out.Events, "recorded", out.Recorded,
		"duplicates", out.Duplicates, "ignored", out.Ignored, "suppressed", len(out.Suppressed))
	rw.Header().Set("Content-Type", "application/json")
	json.NewEncoder(rw).Encode(struct {
		Events     int `json:"events"`
		Recorded   int `json:"recorded"`
		Duplicates int `json:"duplicates"`
		Ignored    int `json:"ignored"`
		Suppressed int `json:"suppressed"`
	}{out.Events, out.Recorded, out.Duplicates, out.Ignored, len(out.Suppressed)})
	return true
}

func (w *Webhooks) ses(rw http.ResponseWriter, r *http.Request, body []byte) {
	m, err := parseSNS(body)
	if err != nil {
		w.refuse(rw, r, SES, err)
		return
	}
	if h := r.Header.Get("X-Amz-Sns-Message-Type"); h != "" && h != m.Type {
		w.refuse(rw, r, SES, badInput("the x-amz-sns-message-type header says %q, the message %q", clip(h, 64), clip(m.Type, 64)))
		return
	}
	if err := w.SNS.Verify(r.Context(), m); err != nil {
		w.refuse(rw, r, SES, err)
		return
	}
	switch m.Type {
	case "SubscriptionConfirmation":
		if err := w.SNS.Confirm(r.Context(), m); err != nil {
			w.refuse(rw, r, SES, err)
			return
		}
		w.log().Info("webhook: confirmed the SNS subscription", "topic", m.TopicArn)
		w.observe(SES, "confirmed", 0)
		rw.WriteHeader(http.StatusOK)
		return
	case "UnsubscribeConfirmation":
		w.log().Warn("webhook: SNS says the subscription was ended; nothing is done", "topic", m.TopicArn)
		w.observe(SES, "ignored", 1)
		rw.WriteHeader(http.StatusOK)
		return
	}
	events, err := sesFromSNS(m, "SES notification")
	if err != nil {
		w.refuse(rw, r, SES, err)
		return
	}
	w.record(r.Context(), rw, r, SES, events)
}

func (w *Webhooks) sendGrid(rw http.ResponseWriter, r *http.Request, body []byte) {
	if err := w.SendGrid.Verify(r.Header.Get(SendGridSignatureHeader), r.Header.Get(SendGridTimestampHeader), body); err != nil {
		w.refuse(rw, r, SendGrid, err)
		return
	}
	events, err := ParseSendGrid(body)
	if err != nil {
		w.refuse(rw, r, SendGrid, err)
		return
	}
	w.record(r.Context(), rw, r, SendGrid, events)
}

func (w *Webhooks) postmark(rw http.ResponseWriter, r *http.Request, body []byte) {
	user, password, ok := r.BasicAuth()
	if !ok || !w.Postmark.Check(user, password) {
		w.refuse(rw, r, Postmark, fmt.Errorf("esp: %w: no or wrong basic authentication", ErrBadSignature))
		return
	}
	events, err := ParsePostmark(body)
	if err != nil {
		w.refuse(rw, r, Postmark, err)
		return
	}
	w.record(r.Context(), rw, r, Postmark, events)
}

func (w *Webhooks) mailgun(rw http.ResponseWriter, r *http.Request, body []byte) {
	release, err := w.Mailgun.Verify(body)
	if err != nil {
		w.refuse(rw, r, Mailgun, err)
		return
	}
	events, err := ParseMailgun(body)
	if err != nil {
		release(false)
		w.refuse(rw, r, Mailgun, err)
		return
	}
	release(w.record(r.Context(), rw, r, Mailgun, events))
}
