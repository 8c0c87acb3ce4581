package suppress_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/suppress"
)

// A run records each mail's verdicts with its ledger row in one transaction, marks the mail
// on the server afterwards, and exports the suppression list.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "suppress-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	st, err := suppress.Open(ctx, filepath.Join(dir, "bounceproc.db"), suppress.Options{Now: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	raw := []byte("From: MAILER-DAEMON@mx.example.net\r\n...")
	mail := suppress.Mail{
		MailID:     suppress.MailID{Mailbox: "INBOX", UIDValidity: 1714, UID: 42},
		MessageID:  "<bounce-42@mx.example.net>",
		Hash:       suppress.HashRaw(raw),
		Checkpoint: true,
	}
	res, err := st.RecordMail(ctx, mail, []suppress.Event{{
		Address: "<Gone@Example.ORG>", Kind: classify.KindHard, Reason: classify.ReasonUserUnknown,
		Status: "5.1.1", Reply: "550", Diagnostic: "550 5.1.1 user unknown", OccurredAt: now.Add(-time.Hour),
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("newly suppressed:", res.Suppressed)
	// ... move the mail on the IMAP server, then:
	if err := st.MarkDone(ctx, mail.MailID); err != nil {
		log.Fatal(err)
	}
	again, _ := st.RecordMail(ctx, mail, nil)
	fmt.Println("recorded again is a duplicate:", again.Duplicate, again.Marked)
	v, uid, _ := st.Checkpoint(ctx, "INBOX")
	fmt.Println("checkpoint:", v, uid)

	if _, err := suppress.Export(ctx, st, os.Stdout, suppress.FormatCSV, suppress.Filter{SuppressedOnly: true}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// newly suppressed: [gone@example.org]
	// recorded again is a duplicate: true true
	// checkpoint: 1714 42
	// email,cause,suppressed_since,kind,reason,status,reply_code,first_seen,last_seen,bounce_count,last_diagnostic
	// gone@example.org,hard,2026-03-01T11:00:00Z,hard,userunknown,5.1.1,550,2026-03-01T11:00:00Z,2026-03-01T11:00:00Z,1,550 5.1.1 user unknown
}

func ExampleNormalize() {
	for _, a := range []string{"<Jöhn@Bücher.Example>", "mailto:Info@Example.org", "no-at-sign"} {
		n, err := suppress.Normalize(a)
		fmt.Printf("%q %v\n", n, err)
	}
	// Output:
	// "jöhn@xn--bcher-kva.example" <nil>
	// "info@example.org" <nil>
	// "" suppress: address "no-at-sign": invalid address: no @
}
