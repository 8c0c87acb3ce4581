package dsn_test

import (
	"bytes"
	"encoding/base64"
	"runtime"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/dsn"
)

// largeBounce builds a DSN that returns a message with an attachment of n bytes.
func largeBounce(n int) []byte {
	var b bytes.Buffer
	b.WriteString("From: MAILER-DAEMON@mx.example.net\nTo: sender@example.com\nSubject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"OUT\"\n\n" +
		"--OUT\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n" +
		"--OUT\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n" +
		"Final-Recipient: rfc822; big@example.org\nAction: failed\nStatus: 5.3.4\n" +
		"Diagnostic-Code: smtp; 552 5.3.4 Message size exceeds fixed limit\n\n" +
		"--OUT\nContent-Type: message/rfc822\n\nFrom: sender@example.com\nTo: big@example.org\nSubject: the report\n" +
		"Message-ID: <big-1@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"IN\"\n\n" +
		"--IN\nContent-Type: text/plain\n\nsee attached\n--IN\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n")
	raw := bytes.Repeat([]byte("%PDF-1.7 binary-ish content "), n/28+1)[:n]
	enc := base64.StdEncoding.EncodeToString(raw)
	for i := 0; i < len(enc); i += 76 {
		b.WriteString(enc[i:min(i+76, len(enc))])
		b.WriteByte('\n')
	}
	b.WriteString("--IN--\n\n--OUT--\n")
	return b.Bytes()
}

// TestLargeBounceNotCopied decodes a bounce carrying a 15 MB attachment and checks that the
// attachment is never decoded or copied: the decoder allocates a small fraction of its size.
func TestLargeBounceNotCopied(t *testing.T) {
	mail := largeBounce(15 << 20)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rep := dsn.ParseBytes(mail)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	if len(rep.Recipients) != 1 || rep.Recipients[0].Status != "5.3.4" || rep.Original.MessageID != "<big-1@example.com>" {
		t.Fatalf("decoded %+v, original %+v", rep.Recipients, rep.Original)
	}
	if limit := uint64(len(mail) / 10); allocated > limit {
		t.Errorf("decoding a %d-byte bounce allocated %d bytes, want under %d: the attachment was copied", len(mail), allocated, limit)
	}
	t.Logf("%d-byte bounce: %d bytes allocated while decoding", len(mail), allocated)
}

// TestOversizedMailIsCut checks that a mail over the size cap is decoded from what was read
// and reported as too large.
func TestOversizedMailIsCut(t *testing.T) {
	mail := largeBounce(3 << 20)
	rep, err := dsn.ParseLimits(bytes.NewReader(mail), dsn.Limits{MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Recipients) != 1 {
		t.Errorf("recipients = %+v, want the one in the delivery-status part", rep.Recipients)
	}
	var codes []string
	for _, p := range rep.Problems {
		codes = append(codes, string(p.Code))
	}
	if !strings.Contains(strings.Join(codes, ","), string(dsn.ProblemTooLarge)) {
		t.Errorf("problems = %v, want %s", codes, dsn.ProblemTooLarge)
	}
}
