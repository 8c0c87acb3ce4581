package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"github.com/bounceproc/bounceproc/esp"
)

// webhookOptions are serve's settings for the providers' webhooks (package esp). Each
// endpoint is on only when its secret is given.
type webhookOptions struct {
	db                                                string
	postmarkAuthFile, mailgunKeyFile, sendgridKeyFile string
	topics                                            listFlag
	// snsClient, set by tests, fetches SNS certificates and confirms subscriptions.
	snsClient *http.Client
}

// addWebhookFlags adds serve's webhook flags.
func addWebhookFlags(fs *flag.FlagSet) *webhookOptions {
	o := &webhookOptions{}
	addDBFlag(fs, &o.db)
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

// mountWebhooks opens the store and mounts the enabled webhooks on mux; the returned function
// closes the store.
func mountWebhooks(ctx context.Context, o *webhookOptions, mux *http.ServeMux, log *slog.Logger, stdout io.Writer) (func() error, error) {
	w := &esp.Webhooks{Logger: log}
	if o.postmarkAuthFile != "" {
		line, err := readKeyFile(o.postmarkAuthFile, "--postmark-auth-file")
		if err != nil {
			return nil, err
		}
		line, _, _ = strings.Cut(line, "\n")
		if w.Postmark, err = esp.NewBasicAuth(line); err != nil {
			return nil, usagef("--postmark-auth-file: %v", err)
		}
	}
	if o.mailgunKeyFile != "" {
		key, err := readKeyFile(o.mailgunKeyFile, "--mailgun-key-file")
		if err != nil {
			return nil, err
		}
		if w.Mailgun, err = esp.NewMailgunVerifier(key); err != nil {
			return nil, usagef("--mailgun-key-file: %v", err)
		}
	}
	if o.sendgridKeyFile != "" {
		key, err := readKeyFile(o.sendgridKeyFile, "--sendgrid-public-key-file")
		if err != nil {
			return nil, err
		}
		if w.SendGrid, err = esp.NewSendGridVerifier(key); err != nil {
			return nil, usagef("--sendgrid-public-key-file: %v", err)
		}
	}
	if len(o.topics) > 0 {
		for _, t := range o.topics {
			if !strings.HasPrefix(t, "arn:aws") || strings.Count(t, ":") != 5 {
				return nil, usagef("--sns-topic-arn %q is not a topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)", t)
			}
		}
		w.SNS = &esp.SNSVerifier{Topics: o.topics, Client: o.snsClient}
	}
	if err := checkStoreDir(o.db); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	st, err := openStore(ctx, o.db, false)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	w.Store = st
	for _, p := range w.Mount(mux) {
		fmt.Fprintf(stdout, "webhook on POST %s, recording into %s\n", p, o.db)
	}
	return st.Close, nil
}
