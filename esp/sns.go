package esp

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// snsMessage is an Amazon SNS message as SNS posts it to an HTTPS subscription ("Parsing
// message formats", docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html).
type snsMessage struct {
	Type             string `json:"Type"`
	MessageID        string `json:"MessageId"`
	Token            string `json:"Token"`
	TopicArn         string `json:"TopicArn"`
	Subject          string `json:"Subject"`
	Message          string `json:"Message"`
	Timestamp        string `json:"Timestamp"`
	SignatureVersion string `json:"SignatureVersion"`
	Signature        string `json:"Signature"`
	SigningCertURL   string `json:"SigningCertURL"`
	SubscribeURL     string `json:"SubscribeURL"`
	UnsubscribeURL   string `json:"UnsubscribeURL"`
}

// stringToSign builds what SNS signs ("Verifying the signatures of Amazon SNS messages"):
// name and value lines of the message's fields in this order, Subject only when present for a
// Notification; SubscribeURL and Token for the two confirmation types.
func (m *snsMessage) stringToSign() (string, error) {
	type kv struct{ k, v string }
	var fields []kv
	switch m.Type {
	case "Notification":
		fields = []kv{{"Message", m.Message}, {"MessageId", m.MessageID}}
		if m.Subject != "" {
			fields = append(fields, kv{"Subject", m.Subject})
		}
		fields = append(fields, kv{"Timestamp", m.Timestamp}, kv{"TopicArn", m.TopicArn}, kv{"Type", m.Type})
	case "SubscriptionConfirmation", "UnsubscribeConfirmation":
		fields = []kv{{"Message", m.Message}, {"MessageId", m.MessageID}, {"SubscribeURL", m.SubscribeURL},
			{"Timestamp", m.Timestamp}, {"Token", m.Token}, {"TopicArn", m.TopicArn}, {"Type", m.Type}}
	default:
		return "", fmt.Errorf("unknown SNS message type %q", m.Type)
	}
	var b strings.Builder
	for _, f := range fields {
		b.WriteString(f.k)
		b.WriteByte('\n')
		b.WriteString(f.v)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// snsHost matches the host of an SNS signing certificate or subscription URL:
// sns.<region>.amazonaws.com (sns.<region>.amazonaws.com.cn in China), as the AWS SDKs'
// message validators check it.
var snsHost = regexp.MustCompile(`^sns\.[a-z0-9-]{3,}\.amazonaws\.com(\.cn)?$`)

// checkSNSURL checks that raw is an https URL on an SNS host, with no user information and
// the default port, and returns it parsed.
func checkSNSURL(raw, what string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", what, raw, err)
	}
	if u.Scheme != "https" || u.User != nil || u.Port() != "" || !snsHost.MatchString(u.Hostname()) {
		return nil, fmt.Errorf("%s %q is not an https URL on an SNS host (sns.<region>.amazonaws.com)", what, raw)
	}
	return u, nil
}

// ErrBadSignature says a request's signature or credentials do not check out: a webhook
// answers 401 and logs it.
var ErrBadSignature = errors.New("bad signature")

// ErrTopicNotAllowed says an SNS message comes from a topic not in the allow-list: a webhook
// answers 403.
var ErrTopicNotAllowed = errors.New("SNS topic not allowed")

// SNSVerifier checks Amazon SNS messages: the topic against an allow-list, the signing
// certificate's URL, and the signature (SignatureVersion 1, SHA1withRSA, and 2,
// SHA256withRSA). Certificates are fetched over HTTPS with Client, which must verify TLS
// (http.DefaultClient does), and cached by URL. It is safe for concurrent use.
type SNSVerifier struct {
	// Topics is the allow-list of topic ARNs; a message from any other topic is refused.
	Topics []string
	// Client fetches certificates and confirms subscriptions; nil means a client with
	// verified TLS and a 10-second timeout. Tests give one that trusts a test CA and dials a
	// local server.
	Client *http.Client
	// Now is the clock for certificate validity; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	certs map[string]*x509.Certificate
}

// maxCerts caps the certificate cache; SNS signs with a handful of certificates.
const maxCerts = 64

// maxCertBytes caps a fetched certificate.
const maxCertBytes = 64 << 10

func (v *SNSVerifier) client() *http.Client {
	if v.Client != nil {
		return v.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}

func (v *SNSVerifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// allowed reports whether the topic is in the allow-list (an exact match).
func (v *SNSVerifier) allowed(topic string) bool {
	for _, t := range v.Topics {
		if t == topic {
			return true
		}
	}
	return false
}

// Verify checks a message's topic and signature. Errors wrap ErrTopicNotAllowed or
// ErrBadSignature, or ErrBadInput for a message that is not one.
func (v *SNSVerifier) Verify(ctx context.Context, m *snsMessage) error {
	if !v.allowed(m.TopicArn) {
		return fmt.Errorf("esp: %w: %q (allow it with --sns-topic-arn)", ErrTopicNotAllowed, m.TopicArn)
	}
	var newHash func() hashWriter
	var alg crypto.Hash
	switch m.SignatureVersion {
	case "1":
		newHash, alg = func() hashWriter { return sha1.New() }, crypto.SHA1
	case "2":
		newHash, alg = func() hashWriter { return sha256.New() }, crypto.SHA256
	default:
		return fmt.Errorf("esp: %w: SignatureVersion %q (want 1 or 2)", ErrBadSignature, m.SignatureVersion)
	}
	text, err := m.stringToSign()
	if err != nil {
		return badInput("%v", err)
	}
	sig, err := base64.StdEncoding.DecodeString(m.Signature)
	if err != nil || len(sig) == 0 {
		return fmt.Errorf("esp: %w: the Signature is not base64", ErrBadSignature)
	}
	if _, err := checkSNSURL(m.SigningCertURL, "SigningCertURL"); err != nil {
		return fmt.Errorf("esp: %w: %v", ErrBadSignature, err)
	}
	cert, err := v.cert(ctx, m.SigningCertURL)
	if err != nil {
		return fmt.Errorf("esp: %w: %v", ErrBadSignature, err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("esp: %w: the signing certificate's key is not RSA", ErrBadSignature)
	}
	h := newHash()
	io.WriteString(h, text)
	if err := rsa.VerifyPKCS1v15(pub, alg, h.Sum(nil), sig); err != nil {
		return fmt.Errorf("esp: %w: SNS message %s: the signature does not match", ErrBadSignature, m.MessageID)
	}
	return nil
}

type hashWriter interface {
	io.Writer
	Sum([]byte) []byte
}

// cert returns the certificate at certURL, from the cache or fetched; an expired or not yet
// valid certificate is refused.
func (v *SNSVerifier) cert(ctx context.Context, certURL string) (*x509.Certificate, error) {
	v.mu.Lock()
	c := v.certs[certURL]
	v.mu.Unlock()
	if c == nil {
		var err error
		if c, err = v.fetchCert(ctx, certURL); err != nil {
			return nil, err
		}
		v.mu.Lock()
		if v.certs == nil || len(v.certs) >= maxCerts {
			v.certs = make(map[string]*x509.Certificate)
		}
		v.certs[certURL] = c
		v.mu.Unlock()
	}
	if now := v.now(); now.Before(c.NotBefore) || now.After(c.NotAfter) {
		return nil, fmt.Errorf("the signing certificate at %s is not valid now (valid %s to %s)",
			certURL, c.NotBefore.Format(time.RFC3339), c.NotAfter.Format(time.RFC3339))
	}
	return c, nil
}

// fetchCert fetches and parses a PEM certificate.
func (v *SNSVerifier) fetchCert(ctx context.Context, certURL string) (*x509.Certificate, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, certURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching the signing certificate: %w", err)
	}
	resp, err := v.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching the signing certificate: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching the signing certificate %s: %s", certURL, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCertBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetching the signing certificate: %w", err)
	}
	if len(data) > maxCertBytes {
		return nil, fmt.Errorf("the signing certificate at %s is larger than %d bytes", certURL, maxCertBytes)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%s holds no PEM certificate", certURL)
	}
	c, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parsing the signing certificate: %w", err)
	}
	return c, nil
}

// Confirm confirms a verified SubscriptionConfirmation by a GET of its SubscribeURL, which must
// be an https URL on an SNS host naming the message's own topic.
func (v *SNSVerifier) Confirm(ctx context.Context, m *snsMessage) error {
	u, err := checkSNSURL(m.SubscribeURL, "SubscribeURL")
	if err != nil {
		return badInput("%v", err)
	}
	if t := u.Query().Get("TopicArn"); t != m.TopicArn {
		return badInput("the SubscribeURL names topic %q, the message %q", t, m.TopicArn)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("esp: confirming the subscription: %w", err)
	}
	resp, err := v.client().Do(req)
	if err != nil {
		return fmt.Errorf("esp: confirming the subscription to %s: %w", m.TopicArn, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("esp: confirming the subscription to %s: %s", m.TopicArn, resp.Status)
	}
	return nil
}

// parseSNS reads one SNS message posted to the endpoint.
func parseSNS(body []byte) (*snsMessage, error) {
	var m snsMessage
	if err := strictish(body, &m); err != nil {
		return nil, badInput("not an SNS message (JSON): %v", jsonError(err))
	}
	if m.Type == "" || m.TopicArn == "" || m.MessageID == "" {
		return nil, badInput("not an SNS message: Type, TopicArn and MessageId are required")
	}
	return &m, nil
}
