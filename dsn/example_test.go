package dsn_test

import (
	"fmt"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// ExampleParse decodes a free-text bounce and classifies its recipient.
func ExampleParse() {
	mail := `From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: sender@example.com
Subject: Undelivered Mail Returned to Sender

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<gone@example.org>: host mx.example.org[192.0.2.10] said: 550 5.1.1
    <gone@example.org>: Recipient address rejected: User unknown (in reply to
    RCPT TO command)
`
	rep, err := dsn.Parse(strings.NewReader(mail))
	if err != nil {
		panic(err)
	}
	for _, r := range rep.Recipients {
		v := classify.Classify(r.Facts(rep))
		fmt.Println(r.Address, r.Reply, r.Status, r.Command, v.Kind, v.Reason, v.Suppress)
	}
	// Output:
	// gone@example.org 550 5.1.1 RCPT hard userunknown true
}
