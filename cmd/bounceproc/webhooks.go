package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/bounceproc/bounceproc/esp"
)

// webhookOptions are serve's settings for the providers' webhooks (package esp). Each
// endpoint is on only when its secret is given.
type webhookOptions struct {
	postmarkAuthFile, mailgunKeyFile, sendgridKeyFile string
	topics                                            listFlag
	// snsClient, set by tests, fetches SNS certificates and confirms subscriptions.
	snsClient *http.Client
}

// addWebhookFlags adds serve's webhook flags.
func addWebhookFlags(fs *flag.FlagSet) *webhookOptions {
	o := &webhookOptions{}
	fs.StringVar(&o.postmarkAuthFile, "postmark-auth-file", "", "enable POST /webhooks/postmark: `FILE` holds the user:password line Postmark sends (basic auth)")
	fs.StringVar(&o.mailgunKeyFile, "mailgun-key-file", "", "enable POST /webhooks/mailgun: `FILE` holds Mailgun's webhook signing key")
	fs.StringVar(&o.sendgridKeyFile, "sendgrid-public-key-file", "", "enable POST /webhooks/sendgrid: `FILE` holds the Event Webhook's verification key (base64 DER or PEM)")
	fs.Var(&o.topics, "sns-topic-arn", "enable POST /webhooks/ses for SNS topic `ARN` (repeatable): messages of other topics are refused")
	return o
}

// on reports whether any webhook is enabled.
func (o *webhookOptions) on() bool {
	return o != nil && (o.postmarkAuthFile != "" || o.mailgunKeyFile != "" || o.sendgridKeyFile != "" || len(o.topics) > 0)
}

// readKeyFile reads a secret file whole, trimmed.
func readKeyFile(name, what string) (string, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("serve: reading %s: %w", what, err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("serve: %s %s is empty", what, name)
	}
	return s, nil
}

// mountWebhooks mounts the enabled webhooks, recording into env's writable store, and counts
// their events in env's metrics.
func mountWebhooks(env *serveEnv, opts serveOptions) error {
	o := opts.webhooks
	if !o.on() {
		return nil
	}
	w := &esp.Webhooks{Logger: env.log, Observe: func(p esp.Provider, result string, n int) {
		env.metrics.WebhookEvent(string(p), result, n)
	}}
	if o.postmarkAuthFile != "" {
		line, err := readKeyFile(o.postmarkAuthFile, "--postmark-auth-file")
		if err != nil {
			return err
		}
		line, _, _ = strings.Cut(line, "\n")
		if w.Postmark, err = esp.NewBasicAuth(line); err != nil {
			return usagef("--postmark-auth-file: %v", err)
		}
	}
	if o.mailgunKeyFile != "" {
		key, err := readKeyFile(o.mailgunKeyFile, "--mailgun-key-file")
		if err != nil {
			return err
		}
		if w.Mailgun, err = esp.NewMailgunVerifier(key); err != nil {
			return usagef("--mailgun-key-file: %v", err)
		}
	}
	if o.sendgridKeyFile != "" {
		key, err := readKeyFile(o.sendgridKeyFile, "--sendgrid-public-key-file")
		if err != nil {
			return err
		}
		if w.SendGrid, err = esp.NewSendGridVerifier(key); err != nil {
			return usagef("--sendgrid-public-key-file: %v", err)
		}
	}
	if len(o.topics) > 0 {
		for _, t := range o.topics {
			if !strings.HasPrefix(t, "arn:aws") || strings.Count(t, ":") != 5 {
				return usagef("--sns-topic-arn %q is not a topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)", t)
			}
		}
		w.SNS = &esp.SNSVerifier{Topics: o.topics, Client: o.snsClient}
	}
	w.Store = env.writable
	for _, p := range w.Mount(env.mux) {
		env.parts = append(env.parts, "events at POST "+p)
	}
	return nil
}
