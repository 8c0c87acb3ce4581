package esp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/suppress"
)

const testTopic = "arn:aws:sns:us-east-1:123456789012:ses-bounces"

// snsFake is a local stand-in for sns.us-east-1.amazonaws.com: a TLS server with a
// certificate from a test CA, serving the signing certificate and counting subscription
// confirmations, and a client that trusts the CA and dials the server for any SNS host.
type snsFake struct {
	key       *rsa.PrivateKey
	certURL   string
	client    *http.Client
	confirmed atomic.Int32
	certGets  atomic.Int32
}

func newSNSFake(t *testing.T) *snsFake {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leaf := func(pub any, names []string, serial int64) []byte {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "sns.us-east-1.amazonaws.com"},
			DNSNames: names, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, pub, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	f := &snsFake{}
	f.key, _ = rsa.GenerateKey(rand.Reader, 2048)
	signPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf(&f.key.PublicKey, nil, 2)})
	tlsKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	srvCert := tls.Certificate{Certificate: [][]byte{leaf(&tlsKey.PublicKey, []string{"sns.us-east-1.amazonaws.com"}, 3)}, PrivateKey: tlsKey}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/SimpleNotificationService-test.pem":
			f.certGets.Add(1)
			w.Write(signPEM)
		case r.URL.Query().Get("Action") == "ConfirmSubscription":
			f.confirmed.Add(1)
			io.WriteString(w, "<ConfirmSubscriptionResponse/>")
		default:
			http.NotFound(w, r)
		}
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{srvCert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	addr := srv.Listener.Addr().String()
	f.client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		DialContext: func(ctx context.Context, network, hostport string) (net.Conn, error) {
			// The resolver: every SNS host is the local server.
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	f.certURL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem"
	return f
}

// sign signs an SNS message in place with the given signature version.
func (f *snsFake) sign(t *testing.T, m *snsMessage, version string) {
	t.Helper()
	m.SignatureVersion, m.SigningCertURL = version, f.certURL
	text, err := m.stringToSign()
	if err != nil {
		t.Fatal(err)
	}
	var sig []byte
	if version == "1" {
		h := sha1.Sum([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA1, h[:])
	} else {
		h := sha256.Sum256([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA256, h[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	m.Signature = base64.StdEncoding.EncodeToString(sig)
}

func notification(id, message string) *snsMessage {
	return &snsMessage{Type: "Notification", MessageID: id, TopicArn: testTopic, Message: message,
		Timestamp:      "2026-11-30T14:59:39.000Z",
		UnsubscribeURL: "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x"}
}

func body(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testbed is a webhook server on a real SQLite store.
type testbed struct {
	t     *testing.T
	store *suppress.SQLite
	srv   *httptest.Server
	logs  *logBuffer
	sns   *snsFake
	sg    *ecdsa.PrivateKey
	mgKey string
	now   time.Time
	// observed counts what Webhooks.Observe was told, by "provider result".
	mu       sync.Mutex
	observed map[string]int
}

func newTestbed(t *testing.T) *testbed {
	t.Helper()
	ctx := context.Background()
	st, err := suppress.Open(ctx, filepath.Join(t.TempDir(), "store.db"), suppress.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tb := &testbed{t: t, store: st, logs: &logBuffer{}, sns: newSNSFake(t), mgKey: "key-test-signing", now: time.Now()}
	tb.sg, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&tb.sg.PublicKey)
	sgv, err := NewSendGridVerifier(base64.StdEncoding.EncodeToString(der))
	if err != nil {
		t.Fatal(err)
	}
	pm, _ := NewBasicAuth("postmark:s3cret-pass")
	mg, _ := NewMailgunVerifier(tb.mgKey)
	mg.Now = func() time.Time { return tb.now }
	w := &Webhooks{Store: st, SendGrid: sgv, Postmark: pm, Mailgun: mg,
		SNS:    &SNSVerifier{Topics: []string{testTopic}, Client: tb.sns.client},
		Logger: slog.New(slog.NewTextHandler(tb.logs, nil)),
		Observe: func(p Provider, result string, n int) {
			tb.mu.Lock()
			defer tb.mu.Unlock()
			tb.observed[string(p)+" "+result] += n
		}}
	tb.observed = map[string]int{}
	mux := http.NewServeMux()
	if paths := w.Mount(mux); len(paths) != 4 {
		t.Fatalf("Mount = %v, want 4 endpoints", paths)
	}
	tb.srv = httptest.NewServer(mux)
	t.Cleanup(tb.srv.Close)
	return tb
}

// logBuffer collects log lines written by the server's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// post posts a body and returns the status and the answer.
func (tb *testbed) post(path string, b []byte, header http.Header) (int, string) {
	tb.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, tb.srv.URL+path, bytes.NewReader(b))
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// events counts the events in the store.
func (tb *testbed) events() int {
	tb.t.Helper()
	st, err := tb.store.Stats(context.Background(), suppress.StatsFilter{})
	if err != nil {
		tb.t.Fatal(err)
	}
	return st.Events
}

func (tb *testbed) suppressed(addr string) bool {
	e, err := tb.store.Lookup(context.Background(), addr)
	if errors.Is(err, suppress.ErrNotFound) {
		return false
	}
	if err != nil {
		tb.t.Fatal(err)
	}
	return e.Suppressed
}

func TestSESWebhook(t *testing.T) {
	tb := newTestbed(t)
	bounce := string(readSample(t, "ses-bounce.json"))
	for _, version := range []string{"1", "2"} {
		t.Run("SignatureVersion"+version, func(t *testing.T) {
			m := notification("sns-"+version, strings.Replace(bounce, "8c0d7d5b", "v"+version, 1))
			tb.sns.sign(t, m, version)
			before := tb.events()
			code, out := tb.post("/webhooks/ses", body(t, m), http.Header{"X-Amz-Sns-Message-Type": {"Notification"}})
			if code != 200 || !strings.Contains(out, `"recorded":1`) {
				t.Fatalf("POST = %d %s, want 200 with one recorded", code, out)
			}
			// SNS delivers again (a retry): counted once.
			code, out = tb.post("/webhooks/ses", body(t, m), nil)
			if code != 200 || !strings.Contains(out, `"duplicates":1`) {
				t.Fatalf("replay: POST = %d %s, want 200 with one duplicate", code, out)
			}
			if got := tb.events() - before; got != 1 {
				t.Errorf("%d events recorded for one notification delivered twice, want 1", got)
			}
		})
	}
	if !tb.suppressed("jane.doe@example.org") {
		t.Error("jane.doe@example.org is not suppressed after a Permanent bounce with 5.1.1")
	}
	if n := tb.sns.certGets.Load(); n != 1 {
		t.Errorf("the signing certificate was fetched %d times, want 1 (cached)", n)
	}

	t.Run("tampered", func(t *testing.T) {
		m := notification("sns-tampered", strings.Replace(bounce, "jane.doe", "other", -1))
		tb.sns.sign(t, m, "2")
		m.Message = strings.Replace(m.Message, "other@", "victim@", -1)
		before := tb.events()
		code, _ := tb.post("/webhooks/ses", body(t, m), nil)
		if code != http.StatusUnauthorized {
			t.Errorf("tampered message: %d, want 401", code)
		}
		if tb.events() != before || tb.suppressed("victim@example.org") {
			t.Error("a tampered message was recorded")
		}
		if !strings.Contains(tb.logs.String(), "bad signature") {
			t.Errorf("no log line for the bad signature: %s", tb.logs)
		}
	})
	t.Run("topic not allowed", func(t *testing.T) {
		m := notification("sns-other-topic", bounce)
		m.TopicArn = "arn:aws:sns:us-east-1:999999999999:someone-else"
		tb.sns.sign(t, m, "2")
		if code, _ := tb.post("/webhooks/ses", body(t, m), nil); code != http.StatusForbidden {
			t.Errorf("other topic: %d, want 403", code)
		}
	})
	t.Run("certificate URL not SNS", func(t *testing.T) {
		for _, u := range []string{"http://sns.us-east-1.amazonaws.com/x.pem", "https://sns.us-east-1.amazonaws.com.evil.example/x.pem",
			"https://evil.example/sns.us-east-1.amazonaws.com/x.pem", "https://user@sns.us-east-1.amazonaws.com/x.pem",
			"https://sns.us-east-1.amazonaws.com:8443/x.pem"} {
			m := notification("sns-cert-url", bounce)
			tb.sns.sign(t, m, "2")
			m.SigningCertURL = u
			if code, _ := tb.post("/webhooks/ses", body(t, m), nil); code != http.StatusUnauthorized {
				t.Errorf("SigningCertURL %s: %d, want 401", u, code)
			}
		}
	})
	t.Run("subscription", func(t *testing.T) {
		m := &snsMessage{Type: "SubscriptionConfirmation", MessageID: "sub-1", Token: "tok", TopicArn: testTopic,
			Message: "You have chosen to subscribe to the topic.", Timestamp: "2026-11-30T14:00:00.000Z",
			SubscribeURL: "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + testTopic + "&Token=tok"}
		tb.sns.sign(t, m, "1")
		code, out := tb.post("/webhooks/ses", body(t, m), nil)
		if code != 200 || tb.sns.confirmed.Load() != 1 {
			t.Fatalf("confirmation: %d %s, %d confirmations; want 200 and 1", code, out, tb.sns.confirmed.Load())
		}
		// A SubscribeURL off SNS, or for another topic, is never fetched.
		for i, u := range []string{"https://evil.example/?Action=ConfirmSubscription&TopicArn=" + testTopic,
			"http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + testTopic,
			"https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:1:other"} {
			m.SubscribeURL, m.MessageID = u, fmt.Sprint("sub-bad-", i)
			tb.sns.sign(t, m, "2")
			if code, _ := tb.post("/webhooks/ses", body(t, m), nil); code != http.StatusBadRequest {
				t.Errorf("SubscribeURL %s: %d, want 400", u, code)
			}
		}
		if n := tb.sns.confirmed.Load(); n != 1 {
			t.Errorf("%d confirmations, want 1", n)
		}
		m.TopicArn = "arn:aws:sns:us-east-1:999999999999:someone-else"
		m.SubscribeURL = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + m.TopicArn
		tb.sns.sign(t, m, "2")
		if code, _ := tb.post("/webhooks/ses", body(t, m), nil); code != http.StatusForbidden || tb.sns.confirmed.Load() != 1 {
			t.Errorf("a topic not allowed: %d, want 403 and no confirmation", code)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		m := notification("sns-bad", `{"notificationType":"Bounce","mail":{}}`)
		tb.sns.sign(t, m, "2")
		before := tb.events()
		code, out := tb.post("/webhooks/ses", body(t, m), nil)
		if code != http.StatusBadRequest || !strings.Contains(out, "bounce") || tb.events() != before {
			t.Errorf("a notification without its bounce: %d %q, want 400 saying so and nothing recorded", code, out)
		}
		if code, _ := tb.post("/webhooks/ses", []byte("{"), nil); code != http.StatusBadRequest {
			t.Errorf("broken JSON: %d, want 400", code)
		}
		if code, _ := tb.post("/webhooks/ses", bytes.Repeat([]byte(" "), MaxBody+1), nil); code != http.StatusRequestEntityTooLarge {
			t.Errorf("a body over the cap: %d, want 413", code)
		}
	})
}

func (tb *testbed) sendGridHeaders(ts string, b []byte) http.Header {
	h := sha256.Sum256(append([]byte(ts), b...))
	sig, err := ecdsa.SignASN1(rand.Reader, tb.sg, h[:])
	if err != nil {
		tb.t.Fatal(err)
	}
	return http.Header{SendGridSignatureHeader: {base64.StdEncoding.EncodeToString(sig)}, SendGridTimestampHeader: {ts}}
}

func TestSendGridWebhook(t *testing.T) {
	tb := newTestbed(t)
	b := readSample(t, "sendgrid-events.json")
	hdr := tb.sendGridHeaders("1764514900", b)
	code, out := tb.post("/webhooks/sendgrid", b, hdr)
	if code != 200 || !strings.Contains(out, `"recorded":6`) || !strings.Contains(out, `"ignored":1`) {
		t.Fatalf("POST = %d %s; want 200, 6 recorded, 1 ignored", code, out)
	}
	code, out = tb.post("/webhooks/sendgrid", b, hdr)
	if code != 200 || !strings.Contains(out, `"duplicates":6`) || tb.events() != 6 {
		t.Errorf("replay: %d %s, %d events; want 6 duplicates and 6 events", code, out, tb.events())
	}
	for addr, want := range map[string]bool{"gone@example.org": true, "angry@example.net": true,
		"listed@example.net": false, "full@example.com": false, "old@example.org": false} {
		if got := tb.suppressed(addr); got != want {
			t.Errorf("%s suppressed = %v, want %v", addr, got, want)
		}
	}
	tampered := bytes.Replace(b, []byte("gone@example.org"), []byte("else@example.org"), 1)
	if code, _ := tb.post("/webhooks/sendgrid", tampered, hdr); code != http.StatusUnauthorized {
		t.Errorf("tampered body: %d, want 401", code)
	}
	if code, _ := tb.post("/webhooks/sendgrid", b, nil); code != http.StatusUnauthorized {
		t.Errorf("no signature: %d, want 401", code)
	}
	other := tb.sendGridHeaders("1764514900", b)
	other.Set(SendGridTimestampHeader, "1764514999")
	if code, _ := tb.post("/webhooks/sendgrid", b, other); code != http.StatusUnauthorized {
		t.Errorf("another timestamp: %d, want 401", code)
	}
	bad := []byte(`[{"email":"a@example.org","event":"bounce"}]`)
	if code, out := tb.post("/webhooks/sendgrid", bad, tb.sendGridHeaders("1764514900", bad)); code != http.StatusBadRequest || !strings.Contains(out, "no ID") {
		t.Errorf("an event without sg_event_id: %d %q, want 400", code, out)
	}
	if tb.suppressed("else@example.org") || tb.events() != 6 {
		t.Error("a refused body was recorded")
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for k, want := range map[string]int{"sendgrid recorded": 6, "sendgrid duplicate": 6, "sendgrid ignored": 2} {
		if tb.observed[k] != want {
			t.Errorf("Observe: %q counted %d, want %d (all: %v)", k, tb.observed[k], want, tb.observed)
		}
	}
}

func TestPostmarkWebhook(t *testing.T) {
	tb := newTestbed(t)
	b := readSample(t, "postmark-bounce.json")
	auth := func(user, pass string) http.Header {
		return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))}}
	}
	for _, h := range []http.Header{nil, auth("postmark", "wrong"), auth("other", "s3cret-pass"), auth("postmark", "s3cret-pas")} {
		code, _ := tb.post("/webhooks/postmark", b, h)
		if code != http.StatusUnauthorized {
			t.Errorf("credentials %v: %d, want 401", h, code)
		}
	}
	if tb.events() != 0 {
		t.Fatal("recorded without credentials")
	}
	for range 2 {
		if code, out := tb.post("/webhooks/postmark", b, auth("postmark", "s3cret-pass")); code != 200 {
			t.Fatalf("POST = %d %s", code, out)
		}
	}
	c := readSample(t, "postmark-spamcomplaint.json")
	if code, out := tb.post("/webhooks/postmark", c, auth("postmark", "s3cret-pass")); code != 200 {
		t.Fatalf("complaint: %d %s", code, out)
	}
	if n := tb.events(); n != 2 {
		t.Errorf("%d events, want 2 (the bounce twice counts once, and the complaint)", n)
	}
	if !tb.suppressed("john@example.com") {
		t.Error("john@example.com is not suppressed")
	}
}

// mailgunPostOf signs the sample's event-data for timestamp and token.
func (tb *testbed) mailgunPostOf(ts int64, token string, id string) []byte {
	var p map[string]json.RawMessage
	if err := json.Unmarshal(readSample(tb.t, "mailgun-failed.json"), &p); err != nil {
		tb.t.Fatal(err)
	}
	mac := hmac.New(sha256.New, []byte(tb.mgKey))
	fmt.Fprintf(mac, "%d%s", ts, token)
	sig, _ := json.Marshal(map[string]string{"timestamp": fmt.Sprint(ts), "token": token, "signature": hex.EncodeToString(mac.Sum(nil))})
	p["signature"] = sig
	p["event-data"] = bytes.Replace(p["event-data"], []byte("G9Bn5sl1TC6nu79C8C0bwg"), []byte(id), 1)
	return body(tb.t, p)
}

func TestMailgunWebhook(t *testing.T) {
	tb := newTestbed(t)
	now := tb.now.Unix()
	b := tb.mailgunPostOf(now, "token-1", "ev-1")
	if code, out := tb.post("/webhooks/mailgun", b, nil); code != 200 || !strings.Contains(out, `"recorded":1`) {
		t.Fatalf("POST = %d %s", code, out)
	}
	if code, _ := tb.post("/webhooks/mailgun", b, nil); code != http.StatusUnauthorized {
		t.Errorf("replayed token: %d, want 401", code)
	}
	// The same event under a new signature (a retry) is a duplicate, not a second bounce.
	if code, out := tb.post("/webhooks/mailgun", tb.mailgunPostOf(now, "token-2", "ev-1"), nil); code != 200 || !strings.Contains(out, `"duplicates":1`) {
		t.Errorf("the event again: %d %s, want a duplicate", code, out)
	}
	if code, _ := tb.post("/webhooks/mailgun", tb.mailgunPostOf(now-3600, "token-3", "ev-3"), nil); code != http.StatusUnauthorized {
		t.Errorf("an hour-old timestamp: %d, want 401", code)
	}
	// Mailgun signs the timestamp and token, not the event data ("Securing webhooks"): a
	// captured post changed and sent again is refused as a replay of its token, and a
	// changed timestamp or token breaks the signature.
	tampered := bytes.Replace(b, []byte("alice@"), []byte("mallory@"), -1)
	if code, _ := tb.post("/webhooks/mailgun", tampered, nil); code != http.StatusUnauthorized {
		t.Errorf("tampered event data: %d, want 401", code)
	}
	fresh := tb.mailgunPostOf(now, "token-4", "ev-4")
	if code, _ := tb.post("/webhooks/mailgun", bytes.Replace(fresh, []byte("token-4"), []byte("token-x"), 1), nil); code != http.StatusUnauthorized {
		t.Errorf("tampered token: %d, want 401", code)
	}
	// A post refused for bad input does not use up its token: Mailgun's retry gets through.
	broken := bytes.Replace(tb.mailgunPostOf(now, "token-5", "ev-5"), []byte(`"recipient":"alice@example.com"`), []byte(`"recipient":""`), 1)
	if code, _ := tb.post("/webhooks/mailgun", broken, nil); code != http.StatusBadRequest {
		t.Errorf("no recipient: %d, want 400", code)
	}
	if code, out := tb.post("/webhooks/mailgun", tb.mailgunPostOf(now, "token-5", "ev-5"), nil); code != 200 {
		t.Errorf("the retry after a refused post: %d %s, want 200", code, out)
	}
	if n := tb.events(); n != 2 {
		t.Errorf("%d events, want 2 (ev-1 and ev-5)", n)
	}
	if !tb.suppressed("alice@example.com") {
		t.Error("alice@example.com is not suppressed")
	}
}
