package dsn_test

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
)

// The pieces the structure cases are built from, with LF line ends (the parser reads CRLF,
// LF and CR alike; the cases on line ends build their own).
const (
	// stHead is the header of a bounce from the reporting MTA, up to its Content-Type.
	stHead = "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\nTo: sender@example.net\n" +
		"Subject: Undelivered Mail Returned to Sender\nDate: Tue, 01 Dec 2026 10:00:00 +0000\n" +
		"Message-ID: <st1@mx.example.net>\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n"
	// stFwdHead is the header of a person's (a helpdesk's) mail forwarding a bounce.
	stFwdHead = "From: Carol Person <carol@example.net>\nTo: IT Helpdesk <helpdesk@example.net>\n" +
		"Cc: dave@example.net\nSubject: Fwd: Undelivered Mail Returned to Sender\n" +
		"Date: Tue, 01 Dec 2026 11:00:00 +0000\nMessage-ID: <fwd1@example.net>\nMIME-Version: 1.0\n"
	// stHuman is the human-readable part of a report that leaves the recipients to the
	// delivery-status part.
	stHuman = "This is the mail system at host mx.example.net.\n\nI'm sorry to have to inform you that your message could not\n" +
		"be delivered to one or more recipients. It's attached below.\n\n                   The mail system\n"
	// stOrig is the returned message, sent to an address that is not a recipient of the report.
	stOrig = "Return-Path: <sender@example.net>\nFrom: Sender <sender@example.net>\nTo: someone@example.com, other@example.com\n" +
		"Subject: hello\nMessage-ID: <orig-st@example.net>\nDate: Tue, 01 Dec 2026 09:59:57 +0000\n\nhello, write to me at sender@example.net\n"
	// stReportType is the Content-Type of a report whose boundary is "R".
	stReportType = `multipart/report; report-type=delivery-status; boundary="R"`
	// stNote is a forwarder's note that names addresses of its own and failure words.
	stNote = "Hi team,\n\nthis bounce came back when I wrote to our customer, can you check why it could not be delivered?\n\n" +
		"Thanks,\nCarol Person | Sales | carol@example.net | +1 555 0100\n"
)

// stMail is a mail of the header head (ending with a line break), the Content-Type ct and the body.
func stMail(head, ct, body string) string { return head + "Content-Type: " + ct + "\n\n" + body }

// stBounce is a bounce from the reporting MTA with the Content-Type ct and the body.
func stBounce(ct, body string) string { return stMail(stHead, ct, body) }

// stMP joins parts into the body of a multipart entity with the boundary b.
func stMP(b string, parts ...string) string {
	var s strings.Builder
	for _, p := range parts {
		s.WriteString("--" + b + "\n" + p + "\n")
	}
	return s.String() + "--" + b + "--\n"
}

// stPart is a body part of the Content-Type ct.
func stPart(ct, body string) string { return "Content-Type: " + ct + "\n\n" + body }

// stPartH is a body part with the header lines head (without the empty line after them).
func stPartH(head, body string) string { return head + "\n\n" + body }

// stDS is a delivery-status body: the per-message fields and the recipient groups given.
func stDS(groups ...string) string {
	return "Reporting-MTA: dns; mx.example.net\nX-Postfix-Queue-ID: 4AbCdE\nArrival-Date: Tue,  1 Dec 2026 09:59:58 +0000 (UTC)\n\n" +
		strings.Join(groups, "\n")
}

// stRcpt is the group of one failed recipient with its status and Diagnostic-Code text.
func stRcpt(addr, status, diag string) string {
	return "Final-Recipient: rfc822; " + addr + "\nOriginal-Recipient: rfc822;" + addr + "\nAction: failed\nStatus: " + status +
		"\nRemote-MTA: dns; mx.example.org\nDiagnostic-Code: smtp; " + diag + "\n"
}

// stReport is the body of a three-part report (text, delivery-status, returned message).
func stReport(groups ...string) string {
	return stMP("R", stPart("text/plain; charset=us-ascii", stHuman), stPart("message/delivery-status", stDS(groups...)),
		stPart("message/rfc822", stOrig))
}

// stDSN is a whole bounce: a report on the recipient groups given.
func stDSN(groups ...string) string { return stBounce(stReportType, stReport(groups...)) }

// stForward is a person's mail forwarding the mail inner as a message/rfc822 attachment.
func stForward(inner string) string {
	return stMail(stFwdHead, `multipart/mixed; boundary="F"`, stMP("F", stPart("text/plain; charset=utf-8", stNote),
		stPartH("Content-Type: message/rfc822\nContent-Disposition: attachment; filename=\"Undelivered Mail Returned to Sender.eml\"", inner)))
}

// stReportWith is a bounce whose report's middle part is the delivery-status body ds with the
// part header lines head.
func stReportWith(head, ds string) string {
	return stBounce(stReportType, stMP("R", stPart("text/plain; charset=us-ascii", stHuman), stPartH(head, ds), stPart("message/rfc822", stOrig)))
}

// stB64 is s in base64, in lines of 76 characters.
func stB64(s string) string {
	e := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(e) > 76 {
		b.WriteString(e[:76] + "\n")
		e = e[76:]
	}
	return b.String() + e + "\n"
}

// stEncode is s in the charset of enc.
func stEncode(enc encoding.Encoding, s string) string {
	out, err := enc.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return out
}

// The recipients the cases expect.
var (
	stAlice = layoutRecip{"alice@example.org", failed, "550", "5.1.1"}
	stBob   = layoutRecip{"bob@example.org", failed, "552", "5.2.2"}
)

// The groups of stAlice and stBob.
var (
	stAliceGroup = stRcpt("alice@example.org", "5.1.1", "550 5.1.1 <alice@example.org>: Recipient address rejected: User unknown in local recipient table")
	stBobGroup   = stRcpt("bob@example.org", "5.2.2", "552 5.2.2 <bob@example.org>: Mailbox full")
)

// stKarlBounce is a bounce on karl@example.org to sender@example.com, as the returned
// message of a bounce of a bounce: its recipient is not the outer report's.
var stKarlBounce = stBoundary(stMail(strings.Replace(stHead, "To: sender@example.net", "To: sender@example.com", 1), stReportType, stReport(stRcpt("karl@example.org", "5.1.1", "550 5.1.1 <karl@example.org>: User unknown"))), "K")

// stBoundary gives the report s, built with the boundary "R", the boundary b: an entity
// nested in another has a boundary of its own (RFC 2046 §5.1.2).
func stBoundary(s, b string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, `boundary="R"`, `boundary="`+b+`"`), "\n--R", "\n--"+b)
	if strings.HasPrefix(s, "--R") {
		s = "--" + b + s[3:]
	}
	return s
}

// stPostfixText is Postfix's text on a recipient refused with 550 5.1.1.
func stPostfixText(addr string) string {
	return stHuman + "\n<" + addr + ">: host mx.example.org[192.0.2.1] said: 550 5.1.1\n    <" + addr +
		">: Recipient address rejected: User unknown in local\n    recipient table (in reply to RCPT TO command)\n"
}

// stCase is one whole mail and what it must decode to. problem, when set, must be among the
// report's problems.
type stCase struct {
	name    string
	mail    string
	want    []layoutRecip
	problem dsn.ProblemCode
}

// stOpen are the cases that still fail, each with what is wrong: they are skipped, not
// deleted, until a general rule reads them.
var stOpen = map[string]string{}

// TestStructure is a held-out round on the MIME structure around a bounce (RFC 2045/2046,
// RFC 3462/6522 multipart/report, RFC 3464 delivery-status, RFC 6533): bounces forwarded by
// a person as an attachment or inline, bounces of bounces, nesting, returned headers,
// internationalised reports, transfer encodings, line ends, the field syntax of the status
// part, Content-Type quirks, charsets, encoded words, raw 8-bit text, mails cut off and very
// long lines. Each case is a whole mail; the recipients, their action, reply and status
// must be exactly the ones the mail reports on, and nothing else.
func TestStructure(t *testing.T) {
	tests := slices.Concat(stForwardCases(), stNestingCases(), stGlobalCases(), stEncodingCases(), stFieldCases(),
		stContentTypeCases(), stCharsetCases(), stDamageCases(), stSecondRoundCases())
	if len(tests) < 60 {
		t.Errorf("%d cases, want at least 60", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if why := stOpen[tt.name]; why != "" {
				t.Skip("open: " + why)
			}
			rep := dsn.ParseBytes([]byte(tt.mail))
			stCount(t, rep, tt.want)
			checkLayout(t, tt.mail, tt.want, "")
			if tt.problem != "" && !slices.ContainsFunc(rep.Problems, func(p dsn.Problem) bool { return p.Code == tt.problem }) {
				t.Errorf("problems %v lack %s", rep.Problems, tt.problem)
			}
		})
	}
}

// stCount logs, for the record of a round, the recipients a case reports that it should not
// and would suppress ("WRONG-SUPPRESS"), and the failed recipients it should report and does
// not, or reports with other codes ("MISSED").
func stCount(t *testing.T, rep *dsn.Report, want []layoutRecip) {
	t.Helper()
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		if !slices.ContainsFunc(want, func(w layoutRecip) bool { return strings.EqualFold(w.addr, r.Address) }) &&
			classify.Classify(r.Facts(rep)).Suppress {
			t.Logf("WRONG-SUPPRESS %s", r.Address)
		}
	}
	for _, w := range want {
		k := slices.IndexFunc(rep.Recipients, func(r dsn.Recipient) bool { return strings.EqualFold(w.addr, r.Address) })
		if k < 0 || rep.Recipients[k].Action != w.action || rep.Recipients[k].Reply != w.reply || rep.Recipients[k].Status != w.status {
			t.Logf("MISSED %s", w.addr)
		}
	}
}

// stForwardCases are bounces a person or a helpdesk forwards, as a message/rfc822
// attachment (RFC 2046 §5.2.1) or inline below a forwarding header: the recipients are the
// forwarded bounce's, never the forwarder or the addresses of the forwarding mail.
func stForwardCases() []stCase {
	delay := stBounce(stReportType, stMP("R", stPart("text/plain", "This is the mail system at host mx.example.net.\n\n####################################################################\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n####################################################################\n"),
		stPart("message/delivery-status", stDS("Final-Recipient: rfc822; gus@example.org\nOriginal-Recipient: rfc822;gus@example.org\nAction: delayed\nStatus: 4.4.1\nDiagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.1]:25: Connection timed\n    out\nWill-Retry-Until: Sat,  5 Dec 2026 10:00:00 +0000 (UTC)\n")),
		stPart("text/rfc822-headers", stOrig)))
	qmail := "From: MAILER-DAEMON@mx.example.net\nTo: carol@example.net\nSubject: failure notice\nDate: Tue, 01 Dec 2026 10:00:00 +0000\n\n" +
		qmailIntro + "<dan@example.org>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 <dan@example.org>... User unknown\nGiving up on 192.0.2.1.\n\n--- Below this line is a copy of the message.\n\n" + stOrig
	exchange := "From: postmaster@example.net\nTo: carol@example.net\nSubject: Undeliverable: hello\nMIME-Version: 1.0\nContent-Type: " + stReportType + "\n\n" +
		stMP("R", stPart("text/plain; charset=us-ascii", "Delivery has failed to these recipients or groups:\n\nfrank@example.org\nThe email address you entered couldn't be found.\n"),
			stPart("message/delivery-status", "Reporting-MTA: dns;EX01.example.net\nReceived-From-MTA: dns;EX02.example.net\nArrival-Date: Tue, 1 Dec 2026 10:00:00 +0000\n\nFinal-Recipient: rfc822;frank@example.org\nAction: failed\nStatus: 5.1.10\nDiagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n"),
			stPart("text/rfc822-headers", stOrig))
	colleague := stMail("From: Dave <dave@example.net>\nTo: carol@example.net\nSubject: Fwd: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n", `multipart/mixed; boundary="G"`,
		stMP("G", stPart("text/plain", "Carol, this one is yours I think. Dave (dave@example.net)\n"), stPart("message/rfc822", stDSN(stAliceGroup))))
	return []stCase{
		{"forward/attachment with a name and a disposition", stForward(stDSN(stAliceGroup)), []layoutRecip{stAlice}, ""},
		{"forward/attachment in base64", stMail(stFwdHead, `multipart/mixed; boundary="F"`, stMP("F", stPart("text/plain", stNote),
			stPartH("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64", stB64(stDSN(stAliceGroup))))), []layoutRecip{stAlice}, ""},
		{"forward/note in multipart/alternative", stMail(stFwdHead, `multipart/mixed; boundary="F"`, stMP("F",
			stPart(`multipart/alternative; boundary="A"`, stMP("A", stPart("text/plain", stNote), stPart("text/html", "<p>"+strings.ReplaceAll(stNote, "\n", "<br>")+"</p>"))),
			stPart("message/rfc822", stDSN(stBobGroup)))), []layoutRecip{stBob}, ""},
		{"forward/free-text bounce attached", strings.Replace(stForward(qmail), "Subject: Fwd: Undelivered Mail Returned to Sender", "Subject: Fwd: failure notice", 1), []layoutRecip{{"dan@example.org", failed, "550", "5.1.1"}}, ""},
		{"forward/attached report without report-type", stForward(stBounce(`multipart/report; boundary="R"`, stReport(stAliceGroup))), []layoutRecip{stAlice}, ""},
		{"forward/attached report with its Content-Type folded", stForward(stBounce("multipart/report;\n\treport-type=delivery-status;\n\tboundary=\"R\"", stReport(stAliceGroup))), []layoutRecip{stAlice}, ""},
		{"forward/two bounces attached", stMail(stFwdHead, `multipart/mixed; boundary="F"`, stMP("F", stPart("text/plain", stNote),
			stPart("message/rfc822", stDSN(stAliceGroup)), stPart("message/rfc822", stDSN(stBobGroup)))), []layoutRecip{stAlice, stBob}, ""},
		{"forward/attached delay notice", stForward(delay), []layoutRecip{{"gus@example.org", delayed, "", "4.4.1"}}, ""},
		{"forward/attached Exchange report, smtp; without a blank", stForward(exchange), []layoutRecip{{"frank@example.org", failed, "550", "5.1.10"}}, ""},
		{"forward/forward of a forward, two levels of message/rfc822", stForward(colleague), []layoutRecip{stAlice}, ""},
		{"forward/Thunderbird inline", stMail(stFwdHead, "text/plain; charset=utf-8; format=flowed", "Can you look at this?\n\n\n-------- Forwarded Message --------\n"+
			"Subject: \tUndelivered Mail Returned to Sender\nDate: \tTue, 1 Dec 2026 10:00:00 +0000 (UTC)\nFrom: \tMail Delivery System <MAILER-DAEMON@mx.example.net>\nTo: \tcarol@example.net\n\n\n\n"+
			stPostfixText("gina@example.org")+"\n"), []layoutRecip{{"gina@example.org", failed, "550", "5.1.1"}}, ""},
		{"forward/Apple Mail inline", stMail(stFwdHead, "text/plain; charset=us-ascii", "Sent from my iPhone\n\nBegin forwarded message:\n\n"+
			"From: Mail Delivery System <Mailer-Daemon@mx.example.net>\nDate: 1 December 2026 at 10:00:00 GMT\nTo: carol@example.net\nSubject: Mail delivery failed: returning message to sender\n\n"+
			eximIntro+"  hank@example.org\n    host mx.example.org [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<hank@example.org>:\n    550 5.1.1 <hank@example.org>: Recipient address rejected: User unknown\n"),
			[]layoutRecip{{"hank@example.org", failed, "550", "5.1.1"}}, ""},
		{"forward/Outlook inline, From and Sent", stMail(stFwdHead, "text/plain; charset=utf-8", "FYI\n\nCarol\n\n________________________________\n"+
			"From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net>\nSent: Tuesday, December 1, 2026 10:00 AM\nTo: Carol Person <carol@example.net>\nSubject: Undeliverable: hello\n\n"+
			"Delivery has failed to these recipients or groups:\n\nivan@example.org<mailto:ivan@example.org>\nThe email address you entered couldn't be found. Please check the recipient's email address and try to resend the message.\n\n"+
			"Diagnostic information for administrators:\n\nGenerating server: EX01.example.net\n\nivan@example.org\nRemote Server returned '550 5.1.1 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n"),
			[]layoutRecip{{"ivan@example.org", failed, "550", "5.1.1"}}, ""},
		{"forward/mutt inline sendmail bounce", stMail(stFwdHead, "text/plain; charset=us-ascii", "See below.\n\n----- Forwarded message from Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net> -----\n\n"+
			"Date: Tue, 1 Dec 2026 10:00:00 GMT\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\nTo: carol@example.net\nSubject: Returned mail: see transcript for details\n\n"+
			sendmailIntro+"<judy@example.org>\n    (reason: 550 5.1.1 <judy@example.org>... User unknown)\n\n   ----- Transcript of session follows -----\n... while talking to mx.example.org.:\n>>> RCPT To:<judy@example.org>\n<<< 550 5.1.1 <judy@example.org>... User unknown\n550 5.1.1 <judy@example.org>... User unknown\n\n----- End forwarded message -----\n"),
			[]layoutRecip{{"judy@example.org", failed, "550", "5.1.1"}}, ""},
	}
}

// stNestingCases are reports nested in other entities and reports that return a report:
// a bounce of a bounce reports on the returned bounce's sender, never on its recipients;
// a gateway that wraps a report in multipart/mixed or multipart/alternative keeps it a
// report.
func stNestingCases() []stCase {
	outer := stRcpt("sender@example.com", "5.1.1", "550 5.1.1 <sender@example.com>: User unknown")
	want := []layoutRecip{{"sender@example.com", failed, "550", "5.1.1"}}
	postmaster := strings.Replace(stHead, "To: sender@example.net", "To: postmaster@example.net", 1)
	forwardReturned := "From: Sender <sender@example.net>\nTo: vendor@example.com\nSubject: Fwd: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"F\"\n\n" +
		stMP("F", stPart("text/plain", "Your address bounced, see attached.\n"), stPart("message/rfc822", stKarlBounce))
	return []stCase{
		{"nesting/double bounce to the postmaster", stMail(postmaster, stReportType, stMP("R", stPart("text/plain", stHuman), stPart("message/delivery-status", stDS(outer)),
			stPart("message/rfc822", stKarlBounce))), want, ""},
		{"nesting/double bounce returning headers only", stBounce(stReportType, stMP("R", stPart("text/plain", stHuman), stPart("message/delivery-status", stDS(outer)),
			stPart("text/rfc822-headers", "From: MAILER-DAEMON@mx.example.net\nTo: sender@example.com\nSubject: Undelivered Mail Returned to Sender\nContent-Type: "+stReportType+"\n"))), want, ""},
		{"nesting/returned bounce before the status part", stBounce(stReportType, stMP("R", stPart("text/plain", stHuman), stPart("message/rfc822", stKarlBounce),
			stPart("message/delivery-status", stDS(outer)))), want, ""},
		{"nesting/qmail bounce returning a report inline", stMail("From: MAILER-DAEMON@mx.example.net\nTo: sender@example.net\nSubject: failure notice\n", "text/plain",
			qmailIntro+"<sender@example.com>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 <sender@example.com>: User unknown\nGiving up on 192.0.2.1.\n\n--- Below this line is a copy of the message.\n\n"+
				"Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nTo: sender@example.com\nSubject: Undelivered Mail Returned to Sender\n\nThis is a delivery status notification.\n\n"+
				"Reporting-MTA: dns; mx2.example.net\n\nFinal-Recipient: rfc822; karl@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n"), want, ""},
		{"nesting/Exim bounce in multipart/mixed returning a report", stMail(strings.Replace(postmaster, "Subject: Undelivered Mail Returned to Sender", "Subject: Mail delivery failed: returning message to sender", 1), `multipart/mixed; boundary="M"`,
			stMP("M", stPart("text/plain", eximIntro+"  sender@example.com\n    host mx.example.com [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<sender@example.com>:\n    550 5.1.1 <sender@example.com>: User unknown\n"),
				stPart("message/rfc822", stKarlBounce))), want, ""},
		{"nesting/returned message is a forward with a bounce attached", stBounce(stReportType, stMP("R", stPart("text/plain", stHuman), stPart("message/delivery-status", stDS(stBobGroup)),
			stPart("message/rfc822", forwardReturned))), []layoutRecip{stBob}, ""},
		{"nesting/report in multipart/mixed after a banner", stBounce(`multipart/mixed; boundary="M"`, stMP("M",
			stPart("text/plain", "[EXTERNAL] This message came from outside the organisation. Do not click links from unknown senders.\n"),
			stPart(stReportType, stReport(stAliceGroup)))), []layoutRecip{stAlice}, ""},
		{"nesting/report in multipart/alternative", stBounce(`multipart/alternative; boundary="A"`, stMP("A",
			stPart("text/plain", "Delivery report attached.\n"), stPart(stReportType, stReport(stAliceGroup, stBobGroup)))), []layoutRecip{stAlice, stBob}, ""},
		{"nesting/report whose text is multipart/alternative", stBounce(stReportType, stMP("R",
			stPart(`multipart/alternative; boundary="A"`, stMP("A", stPart("text/plain", stHuman), stPart("text/html", "<p>"+stHuman+"</p>"))),
			stPart("message/delivery-status", stDS(stAliceGroup, stBobGroup)), stPart("message/rfc822", stOrig))), []layoutRecip{stAlice, stBob}, ""},
		{"nesting/multipart/mixed with a status part and a returned message", stBounce(`multipart/mixed; boundary="M"`, stMP("M", stPart("text/plain", stHuman),
			stPart("message/delivery-status", stDS(stBobGroup)), stPart("message/rfc822", stOrig))), []layoutRecip{stBob}, ""},
		{"nesting/returned headers in base64 naming other addresses", stBounce(stReportType, stMP("R", stPart("text/plain", stHuman), stPart("message/delivery-status", stDS(stAliceGroup)),
			stPartH("Content-Type: text/rfc822-headers\nContent-Transfer-Encoding: base64", stB64(returnedHeaders)))), []layoutRecip{stAlice}, ""},
		{"nesting/returned message of headers only", stBounce(stReportType, stMP("R", stPart("text/plain", stHuman), stPart("message/delivery-status", stDS(stAliceGroup)),
			stPart("message/rfc822", returnedHeaders))), []layoutRecip{stAlice}, ""},
	}
}

// stGlobalCases are internationalised reports (RFC 6533): message/global-delivery-status
// with utf-8 addresses, in a transfer encoding (§6.2 allows one), message/global-headers and
// message/global returned.
func stGlobalCases() []stCase {
	global := func(ds, origType, orig string) string {
		return stBounce(`multipart/report; report-type=global-delivery-status; boundary="R"`, stMP("R", stPart("text/plain; charset=utf-8", stHuman),
			ds, stPart(origType, orig)))
	}
	uni := "Reporting-MTA: dns; mx.example.net\n\nOriginal-Recipient: utf-8; 用户@例子.example\nFinal-Recipient: utf-8; 用户@例子.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 用户不存在 (no such user)\n"
	want := []layoutRecip{{"用户@例子.example", failed, "550", "5.1.1"}}
	return []stCase{
		{"global/CJK address, Original-Recipient first", global(stPart("message/global-delivery-status", uni), "message/global-headers", stOrig), want, ""},
		{"global/escaped utf-8 address", global(stPart("message/global-delivery-status", "Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: utf-8; j\\x{00F6}rg@b\\x{00FC}cher.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 mailbox unavailable\n"),
			"message/global-headers", stOrig), []layoutRecip{{"jörg@bücher.example", failed, "550", "5.1.1"}}, ""},
		{"global/status part in base64", global(stPartH("Content-Type: message/global-delivery-status\nContent-Transfer-Encoding: base64", stB64(uni)), "message/global-headers", stOrig), want, ""},
		{"global/status part in quoted-printable", global(stPartH("Content-Type: message/global-delivery-status\nContent-Transfer-Encoding: quoted-printable",
			"Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: utf-8; =E7=94=A8=E6=88=B7@=E4=BE=8B=E5=AD=90.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 =E7=94=A8=E6=88=B7=E4=B8=8D=E5=AD=98=E5=9C=A8 (no such =\nuser)\n"),
			"message/global-headers", stOrig), want, ""},
		{"global/returned headers with UTF-8 addresses", global(stPart("message/global-delivery-status", uni), "message/global-headers",
			"From: 王芳 <wangfang@例子.example>\nTo: 李雷 <lilei@例子.example>, 韩梅梅 <hanmeimei@例子.example>\nSubject: 你好\n"), want, ""},
		{"global/returned message/global that is itself a report", global(stPart("message/global-delivery-status", uni), "message/global",
			strings.Replace(stKarlBounce, "karl@example.org", "卡尔@例子.example", -1)), want, ""},
	}
}

// stEncodingCases are delivery-status parts in a transfer encoding (RFC 2045 §6) and mails
// with CRLF, LF, CR and mixed line ends.
func stEncodingCases() []stCase {
	two := []layoutRecip{stAlice, stBob}
	ds := stDS(stAliceGroup, stBobGroup)
	one := base64.StdEncoding.EncodeToString([]byte(ds)) + "\n"
	crlfDS := strings.ReplaceAll(ds, "\n", "\r\n")
	mixed := strings.Replace(ds, "\n", "\r\n", 3)
	spaces := strings.Replace(stDS(stAliceGroup, stBobGroup), "\n\n", "\n \t\n", -1)
	return []stCase{
		{"encoding/status part in base64", stReportWith("Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64", stB64(ds)), two, ""},
		{"encoding/status part in BASE64 on one line", stReportWith("Content-Type: message/delivery-status\nContent-Transfer-Encoding: BASE64", one), two, ""},
		{"encoding/status part in base64 with CRLF inside", stReportWith("Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64", stB64(crlfDS)), two, ""},
		{"encoding/status part in quoted-printable with soft breaks", stReportWith("Content-Type: message/delivery-status\nContent-Transfer-Encoding: quoted-printable",
			stDS("Final-Recipient: rfc822; alice@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <alice@example.org>: Recipient address rejected: Us=\ner unknown; see https://mx.example.org/?code=3D511\n")), []layoutRecip{stAlice}, ""},
		{"eol/CRLF throughout", strings.ReplaceAll(stDSN(stAliceGroup, stBobGroup), "\n", "\r\n"), two, ""},
		{"eol/CR throughout", strings.ReplaceAll(stDSN(stAliceGroup, stBobGroup), "\n", "\r"), two, ""},
		{"eol/CRLF header, LF body", strings.Replace(stDSN(stAliceGroup, stBobGroup), "\n", "\r\n", strings.Count(stHead, "\n")+1), two, ""},
		{"eol/LF mail, status part mixed", stReportWith("Content-Type: message/delivery-status", mixed), two, ""},
		{"eol/separator lines of blanks and tabs", stReportWith("Content-Type: message/delivery-status", spaces), two, ""},
	}
}

// stFieldCases are delivery-status fields as MTAs write them (RFC 3464 §2, RFC 5322 §2.2.3
// folding and §3.2.2 comments, field names caseless): missing empty lines, odd case, folded
// and commented values, extension fields.
func stFieldCases() []stCase {
	ds := func(s string) string { return stReportWith("Content-Type: message/delivery-status", s) }
	two := []layoutRecip{stAlice, stBob}
	lena := layoutRecip{"lena@example.org", failed, "550", "5.1.1"}
	return []stCase{
		{"fields/no empty line between recipients", ds(stDS(stAliceGroup + stBobGroup)), two, ""},
		{"fields/no empty line after the per-message fields", ds("Reporting-MTA: dns; mx.example.net\nArrival-Date: Tue, 1 Dec 2026 09:59:58 +0000\n" + stAliceGroup), []layoutRecip{stAlice}, ""},
		{"fields/names in odd case", ds("reporting-mta: dns; mx.example.net\n\nFINAL-RECIPIENT: RFC822; alice@example.org\naction: FAILED\nsTaTuS: 5.1.1\nDIAGNOSTIC-CODE: SMTP; 550 5.1.1 user unknown\n"), []layoutRecip{stAlice}, ""},
		{"fields/folded Diagnostic-Code, multiline reply", ds(stDS("Final-Recipient: rfc822; alice@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp;\n\t550-5.1.1 The email account that you tried to reach does not exist. Please\n\t550-5.1.1 try double-checking the recipient's email address for typos or\n\t550 5.1.1 unnecessary spaces. a1si1234 - gsmtp\n")), []layoutRecip{stAlice}, ""},
		{"fields/comments in the values", ds(stDS("Final-Recipient: rfc822; lena@example.org (Lena Example)\nAction: failed (permanent failure)\nStatus: 5.1.1 (bad destination mailbox address)\nRemote-MTA: dns; mx.example.org (192.0.2.1)\nDiagnostic-Code: smtp; 550 5.1.1 mailbox unavailable\n")), []layoutRecip{lena}, ""},
		{"fields/comment before the address", ds(stDS("Final-Recipient: rfc822; (alias) <lena@example.org>\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 mailbox unavailable\n")), []layoutRecip{lena}, ""},
		{"fields/SMTP;550 without a blank", ds(stDS("Final-Recipient: RFC822; <lena@example.org>\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: SMTP;550 5.1.1 mailbox unavailable\n")), []layoutRecip{lena}, ""},
		{"fields/X-Actual-Recipient of sendmail", ds("Reporting-MTA: dns; mx.example.net\nReceived-From-MTA: DNS; client.example.net\nArrival-Date: Tue, 1 Dec 2026 09:59:58 GMT\n\n" +
			"Final-Recipient: RFC822; nina@example.org\nX-Actual-Recipient: RFC822; nina.local@mailhost.example.org\nAction: failed\nStatus: 5.1.1\nRemote-MTA: DNS; mailhost.example.org\nDiagnostic-Code: SMTP; 550 5.1.1 <nina.local@mailhost.example.org>... User unknown\nLast-Attempt-Date: Tue, 1 Dec 2026 10:00:00 GMT\n"),
			[]layoutRecip{{"nina@example.org", failed, "550", "5.1.1"}}, ""},
		{"fields/Original-Recipient only, two recipients", ds(stDS("Original-Recipient: rfc822;alice@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n\nOriginal-Recipient: rfc822;bob@example.org\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\n")), two, ""},
		{"fields/two status parts", stBounce(stReportType, stMP("R", stPart("text/plain", stHuman), stPart("message/delivery-status", stDS(stAliceGroup)),
			stPart("message/delivery-status", stDS(stBobGroup)), stPart("message/rfc822", stOrig))), two, ""},
		{"fields/blank before the colon", ds("Reporting-MTA : dns; mx.example.net\n\nFinal-Recipient : rfc822; alice@example.org\nAction :\tfailed\nStatus : 5.1.1\nDiagnostic-Code : smtp; 550 5.1.1 user unknown\n"), []layoutRecip{stAlice}, ""},
		{"fields/X-Postfix diagnostic, no reply", ds(stDS("Final-Recipient: rfc822; alice@example.org\nAction: failed\nStatus: 5.4.6\nDiagnostic-Code: X-Postfix; mail for example.org loops back to myself\n")), []layoutRecip{{"alice@example.org", failed, "", "5.4.6"}}, ""},
		{"fields/empty lines before, text after", ds("\n\n" + stDS(stAliceGroup) + "\n\n-- \nThis report was generated by mx.example.net\n"), []layoutRecip{stAlice}, ""},
		{"fields/5000-character Diagnostic-Code", ds(stDS("Final-Recipient: rfc822; alice@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown " + strings.Repeat("x", 5000) + "\n")), []layoutRecip{stAlice}, ""},
	}
}

// stContentTypeCases are Content-Type fields that break RFC 2045 §5.1 or RFC 6522 in ways
// MTAs and gateways do: the report type missing or wrong, an unquoted boundary with special
// characters, a boundary folded or cut off onto a line of its own, a repeated Content-Type,
// type names in capitals.
func stContentTypeCases() []stCase {
	body := stReport(stAliceGroup)
	with := func(ct, b string) string { return stBounce(ct, strings.ReplaceAll(body, "--R", "--"+b)) }
	one := []layoutRecip{stAlice}
	return []stCase{
		{"ctype/report-type missing", stBounce(`multipart/report; boundary="R"`, body), one, ""},
		{"ctype/report-type disposition-notification", stBounce(`multipart/report; report-type=disposition-notification; boundary="R"`, body), one, ""},
		{"ctype/names in capitals", stBounce(`Multipart/Report; Report-Type=Delivery-Status; Boundary="R"`, strings.Replace(body, "message/delivery-status", "Message/Delivery-Status", 1)), one, ""},
		{"ctype/unquoted boundary with = and .", with("multipart/report; report-type=delivery-status; boundary=----=_Part_4711_0815.1733047200000", "----=_Part_4711_0815.1733047200000"), one, ""},
		{"ctype/unquoted boundary with /", with("multipart/report; report-type=delivery-status; boundary=4AbCdE.1733047200/mx.example.net", "4AbCdE.1733047200/mx.example.net"), one, ""},
		{"ctype/boundary on a folded line", stBounce("multipart/report; report-type=delivery-status;\n\tboundary=\"R\"", body), one, ""},
		{"ctype/boundary on an unindented line", stBounce("multipart/report; report-type=delivery-status;\nboundary=\"R\"", body), one, ""},
		{"ctype/quoted boundary with blanks", with(`multipart/report; report-type=delivery-status; boundary="=_mx example net 1234"`, "=_mx example net 1234"), one, ""},
		{"ctype/quoted boundary left open", with(`multipart/report; report-type=delivery-status; boundary="Rb`, "Rb"), one, ""},
		{"ctype/repeated, text/plain first", stMail(stHead+"Content-Type: text/plain; charset=us-ascii\n", stReportType, body), one, ""},
		{"ctype/repeated, the report first", stMail(stHead, stReportType+"\nContent-Type: text/plain; charset=us-ascii", body), one, ""},
		{"ctype/status part with parameters", stReportWith(`Content-Type: message/delivery-status; charset=us-ascii; name="details.txt"`+"\nContent-Disposition: inline\nContent-Description: Delivery report", stDS(stAliceGroup)), one, ""},
	}
}

// stCharsetCases are human-readable parts and headers in charsets declared wrongly or not
// at all (RFC 2046 §4.1.2, RFC 2047), raw 8-bit bytes in a mail declared 7bit (RFC 2045
// §2.7 forbids them), and encoded-word subjects.
func stCharsetCases() []stCase {
	withText := func(ct, text string) string {
		return stBounce(stReportType, stMP("R", stPart(ct, text), stPart("message/delivery-status", stDS(stAliceGroup)), stPart("message/rfc822", stOrig)))
	}
	one := []layoutRecip{stAlice}
	jp := "このメールは送信できませんでした。宛先のメールアドレスが見つかりません。\n\n"
	ru := "Это сообщение создано автоматически. Письмо не доставлено.\n\n"
	zh := "您发送的邮件无法投递，收件人地址不存在。\n\n"
	gina := []layoutRecip{{"gina@example.org", failed, "550", "5.1.1"}}
	freeText := func(head, ct, text string) string {
		return stMail(head, ct, text)
	}
	return []stCase{
		{"charset/ISO-2022-JP human part", withText("text/plain; charset=ISO-2022-JP", stEncode(japanese.ISO2022JP, jp+stHuman)), one, ""},
		{"charset/windows-1251 declared, UTF-8 written", withText("text/plain; charset=windows-1251", ru+stHuman), one, ""},
		{"charset/GB18030 human part", withText("text/plain; charset=GB18030", stEncode(simplifiedchinese.GB18030, zh+stHuman)), one, ""},
		{"charset/unknown charset in the human part", withText("text/plain; charset=x-mac-unknown-42", stHuman), one, ""},
		{"charset/unknown charset on a free-text bounce", freeText(stHead, "text/plain; charset=x-mac-unknown-42", stPostfixText("gina@example.org")), gina, ""},
		{"charset/ISO-2022-JP free-text bounce", freeText(stHead, "text/plain; charset=iso-2022-jp", stEncode(japanese.ISO2022JP, jp)+stPostfixText("gina@example.org")), gina, ""},
		{"charset/windows-1251 free-text bounce", freeText(stHead, "text/plain; charset=windows-1251", stEncode(charmap.Windows1251, ru)+stPostfixText("gina@example.org")), gina, ""},
		{"charset/utf-8 text declared us-ascii", freeText(stHead, "text/plain; charset=us-ascii", "Ce message a été créé automatiquement.\n\n"+stPostfixText("gina@example.org")), gina, ""},
		{"subject/encoded word, UTF-8 base64", freeText(strings.Replace(stHead, "Subject: Undelivered Mail Returned to Sender", "Subject: =?UTF-8?B?VW5kZWxpdmVyZWQgTWFpbCBSZXR1cm5lZCB0byBTZW5kZXI=?=", 1), "text/plain", stPostfixText("gina@example.org")), gina, ""},
		{"subject/encoded words folded, ISO-8859-1 Q", stMail(strings.Replace(stHead, "Subject: Undelivered Mail Returned to Sender", "Subject: =?ISO-8859-1?Q?Unzustellbar:_Ihre_Nachricht_konnte_nicht?=\n =?ISO-8859-1?Q?_zugestellt_werden_=28R=FCckmeldung=29?=", 1), stReportType, stReport(stAliceGroup)), one, ""},
		{"8bit/raw Latin-1 in a 7bit human part", stBounce(stReportType, stMP("R", stPartH("Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit", "Ihre Nachricht konnte nicht zugestellt werden. Gr\xfc\xdfe, Ihr Mailserver\n\n"+stHuman),
			stPart("message/delivery-status", stDS(stAliceGroup)), stPart("message/rfc822", stOrig))), one, ""},
		{"8bit/raw UTF-8 in the Diagnostic-Code", stReportWith("Content-Type: message/delivery-status\nContent-Transfer-Encoding: 7bit", stDS(stRcpt("alice@example.org", "5.1.1", "550 5.1.1 Empfänger unbekannt / destinataire inconnu"))), one, ""},
		{"8bit/raw Latin-1 free-text bounce without a charset", stMail(stHead, "text/plain", "Die Nachricht konnte nicht zugestellt werden. F\xfcr Fragen: postmaster.\n\n"+stPostfixText("gina@example.org")), gina, ""},
	}
}

// stDamageCases are mails cut off mid-part (the recipients read up to the cut, a problem on
// the report, no panic) and mails with very long lines.
func stDamageCases() []stCase {
	full := stDSN(stAliceGroup, stBobGroup)
	cutAt := func(s, marker string, extra int) string { return s[:strings.Index(s, marker)+extra] }
	b64 := stReportWith("Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64", base64.StdEncoding.EncodeToString([]byte(stDS(stAliceGroup, stBobGroup)))+"\n")
	// Cut the one-line base64 within the second group, after its Final-Recipient.
	dsPrefix := stDS(stAliceGroup) + "\nFinal-Rec"
	b64Cut := b64[:strings.Index(b64, "Content-Transfer-Encoding: base64\n\n")+len("Content-Transfer-Encoding: base64\n\n")+len(dsPrefix)*4/3]
	longLine := strings.Repeat("The mail system could not deliver the message. ", 4500)
	return []stCase{
		{"truncated/in the returned message", cutAt(full, "Subject: hello", 10), []layoutRecip{stAlice, stBob}, dsn.ProblemTruncated},
		{"truncated/in the second recipient group", cutAt(full, "Remote-MTA: dns; mx.example.org\nDiagnostic-Code: smtp; 552", 0), []layoutRecip{stAlice, {"bob@example.org", failed, "", "5.2.2"}}, dsn.ProblemTruncated},
		{"truncated/mid-line in a Diagnostic-Code", cutAt(full, "<bob@example.org>: Mailbox", 9), []layoutRecip{stAlice, stBob}, dsn.ProblemTruncated},
		{"truncated/in a base64 status part", b64Cut, []layoutRecip{stAlice}, dsn.ProblemTruncated},
		{"truncated/after the status part's header", cutAt(stBounce(stReportType, stMP("R", stPart("text/plain", stPostfixText("gina@example.org")), stPart("message/delivery-status", stDS()))), "message/delivery-status", 25), []layoutRecip{{"gina@example.org", failed, "550", "5.1.1"}}, dsn.ProblemTruncated},
		{"truncated/in the header block", stHead + "Content-Type: " + stReportType + "\n", nil, dsn.ProblemTruncated},
		{"long/human part of one 200 KB line", stBounce(stReportType, stMP("R", stPart("text/plain", longLine+"\n"), stPart("message/delivery-status", stDS(stAliceGroup)), stPart("message/rfc822", stOrig))), []layoutRecip{stAlice}, ""},
		{"long/returned message with a 1 MB base64 line", stBounce(stReportType, stMP("R", stPart("text/plain", stHuman), stPart("message/delivery-status", stDS(stAliceGroup)),
			stPart("message/rfc822", "From: sender@example.net\nTo: someone@example.com\nSubject: hello\nMIME-Version: 1.0\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"+
				strings.Repeat("QUJD", 1<<18)+"\n"))), []layoutRecip{stAlice}, ""},
		{"long/a 20 KB References header", stMail(stHead+"References: "+strings.Repeat("<r1234567890@client.example.net> ", 600)+"\n", stReportType, stReport(stAliceGroup)), []layoutRecip{stAlice}, ""},
	}
}

// stSecondRoundCases are a second and a third set written after the first had been run:
// forwards as a whole mail, as a file, inline in HTML or quoted, with the note after the
// attachment; a list manager passing on a bounce it could not read; parts whose header runs
// into their body, status parts nested or typed as text, double bounces that return the
// bounce as text, a UTF-7 report text, and delivery-status fields in orders and forms the
// first set does not show.
func stSecondRoundCases() []stCase {
	one := []layoutRecip{stAlice}
	eximDouble := strings.Replace(strings.Replace(stHead, "To: sender@example.net", "To: postmaster@example.net", 1), "Subject: Undelivered Mail Returned to Sender", "Subject: Mail delivery failed: returning message to sender", 1) +
		"Content-Type: text/plain\n\n" + eximIntro + "  sender@example.com\n    host mx.example.com [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<sender@example.com>:\n    550 5.1.1 <sender@example.com>: User unknown\n\n" +
		"------ This is a copy of the message, including all the headers. ------\n\nReturn-path: <>\nFrom: MAILER-DAEMON@mx2.example.net (Mail Delivery System)\nTo: sender@example.com\nSubject: Undelivered Mail Returned to Sender\n\n" +
		stPostfixText("karl@example.org")
	return []stCase{
		{"round2/forward as the whole mail, message/rfc822 at the top", stMail(stFwdHead, "message/rfc822", stDSN(stAliceGroup)), one, ""},
		{"round2/forward as an .eml file of type application/octet-stream", stMail(stFwdHead, `multipart/mixed; boundary="F"`, stMP("F", stPart("text/plain", stNote),
			stPartH("Content-Type: application/octet-stream; name=\"Undelivered Mail Returned to Sender.eml\"\nContent-Disposition: attachment; filename=\"Undelivered Mail Returned to Sender.eml\"", stDSN(stAliceGroup)))), one, ""},
		{"round2/forwarded report in quoted-printable", stMail(stFwdHead, `multipart/mixed; boundary="F"`, stMP("F", stPart("text/plain", stNote),
			stPartH("Content-Type: message/rfc822\nContent-Transfer-Encoding: quoted-printable", strings.ReplaceAll(stDSN(stAliceGroup), "=", "=3D")))), one, ""},
		{"round2/forward cut off inside the forwarded status part", cutAtStr(stForward(stDSN(stAliceGroup, stBobGroup)), "Remote-MTA: dns; mx.example.org\nDiagnostic-Code: smtp; 552"), []layoutRecip{stAlice, {"bob@example.org", failed, "", "5.2.2"}}, dsn.ProblemTruncated},
		{"round2/Exim double bounce returning a Postfix bounce as text", eximDouble, []layoutRecip{{"sender@example.com", failed, "550", "5.1.1"}}, ""},
		{"round2/status part in multipart/mixed inside the report", stBounce(stReportType, stMP("R", stPart(`multipart/mixed; boundary="M"`, stMP("M", stPart("text/plain", stHuman), stPart("message/delivery-status", stDS(stAliceGroup, stBobGroup)))),
			stPart("message/rfc822", stOrig))), []layoutRecip{stAlice, stBob}, ""},
		{"round2/status part typed text/plain", stReportWith("Content-Type: text/plain; charset=us-ascii", stDS(stAliceGroup, stBobGroup)), []layoutRecip{stAlice, stBob}, ""},
		{"round2/status part without an empty line after its header", stBounce(stReportType, "--R\nContent-Type: text/plain\n\n"+stHuman+"\n--R\nContent-Type: message/delivery-status\n"+stDS(stAliceGroup, stBobGroup)+"\n--R\nContent-Type: message/rfc822\n\n"+stOrig+"\n--R--\n"), []layoutRecip{stAlice, stBob}, ""},
		{"round2/status part with no header at all", stBounce(stReportType, "--R\nContent-Type: text/plain\n\n"+stHuman+"\n--R\n"+stDS(stAliceGroup, stBobGroup)+"\n--R\nContent-Type: message/rfc822\n\n"+stOrig+"\n--R--\n"), []layoutRecip{stAlice, stBob}, ""},
		{"round2/Original-Recipient before Final-Recipient, no empty lines", stReportWith("Content-Type: message/delivery-status", "Reporting-MTA: dns;EX01.example.net\nArrival-Date: Tue, 1 Dec 2026 10:00:00 +0000\n"+
			"Original-Recipient: rfc822;alice@example.org\nFinal-Recipient: rfc822;alice@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp;550 5.1.1 user unknown\n"+
			"Original-Recipient: rfc822;bob@example.org\nFinal-Recipient: rfc822;bob@example.org\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp;552 5.2.2 mailbox full\n"), []layoutRecip{stAlice, stBob}, ""},
		{"round2/UTF-8 address in a message/delivery-status part", stReportWith("Content-Type: message/delivery-status; charset=utf-8\nContent-Transfer-Encoding: 8bit", stDS("Final-Recipient: rfc822; ünal@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n")),
			[]layoutRecip{{"ünal@example.org", failed, "550", "5.1.1"}}, ""},
		{"round2/quoted local part", stReportWith("Content-Type: message/delivery-status", stDS("Final-Recipient: rfc822; \"john smith\"@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n")),
			[]layoutRecip{{"\"john smith\"@example.org", failed, "550", "5.1.1"}}, ""},
		{"round2/repeated Content-Type, the first a boundary the body lacks", stMail(stHead+"Content-Type: multipart/mixed; boundary=\"gone\"\n", stReportType, stReport(stAliceGroup)), one, ""},
		{"round3/Thunderbird inline forward of a whole report", stMail(stFwdHead, "text/plain; charset=utf-8; format=flowed", "Bounced again, see below.\n\n-------- Forwarded Message --------\n"+
			"Subject: \tUndelivered Mail Returned to Sender\nDate: \tTue, 1 Dec 2026 10:00:00 +0000 (UTC)\nFrom: \tMail Delivery System <MAILER-DAEMON@mx.example.net>\nTo: \tcarol@example.net\n\n"+
			stPostfixText("alice@example.org")+"\n"+stDS(stAliceGroup)+"\n"+stOrig), one, ""},
		{"round3/Outlook forward in HTML only", stMail(stFwdHead, "text/html; charset=utf-8", `<html><body><p>FYI</p><div id="appendonsend"></div><hr style="display:inline-block;width:98%">`+
			`<div id="divRplyFwdMsg"><font face="Calibri" style="font-size:11pt"><b>From:</b> Microsoft Outlook &lt;MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.net&gt;<br><b>Sent:</b> Tuesday, December 1, 2026 10:00 AM<br>`+
			`<b>To:</b> Carol Person &lt;carol@example.net&gt;<br><b>Subject:</b> Undeliverable: hello</font></div>`+
			`<p>Delivery has failed to these recipients or groups:</p><p><a href="mailto:ivan@example.org">ivan@example.org</a><br>The email address you entered couldn't be found.</p>`+
			`<p>Diagnostic information for administrators:</p><p>Generating server: EX01.example.net</p><p>ivan@example.org<br>Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'</p></body></html>`),
			[]layoutRecip{{"ivan@example.org", failed, "550", "5.1.1"}}, ""},
		{"round3/Mailman uncaught bounce with a free-text bounce attached", stMail("From: example-list-bounces@lists.example.net\nTo: example-list-owner@lists.example.net\nSubject: Uncaught bounce notification\nMIME-Version: 1.0\n", `multipart/mixed; boundary="U"`,
			stMP("U", stPart("text/plain", "The attached message was received as a bounce, but either the bounce format\nwas not recognized, or no member addresses could be extracted from it.  This\nmailing list has been configured to send all unrecognized bounce messages to\nthe list administrator(s).\n"),
				stPart("message/rfc822", "From: MAILER-DAEMON@mx.example.org\nTo: example-list-bounces@lists.example.net\nSubject: failure notice\n\n"+qmailIntro+"<dan@example.org>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 <dan@example.org>... User unknown\nGiving up on 192.0.2.1.\n"))),
			[]layoutRecip{{"dan@example.org", failed, "550", "5.1.1"}}, ""},
		{"round3/Apple Mail forward quoted with >", stMail(stFwdHead, "text/plain; charset=us-ascii", "See below\n\nBegin forwarded message:\n\n> From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n> Subject: Undelivered Mail Returned to Sender\n> Date: 1 December 2026 at 10:00:00 GMT\n> To: carol@example.net\n> \n"+
			"> "+strings.ReplaceAll(strings.TrimSuffix(stPostfixText("gina@example.org"), "\n"), "\n", "\n> ")+"\n"), []layoutRecip{{"gina@example.org", failed, "550", "5.1.1"}}, ""},
		{"round3/UTF-7 Exchange report text, no status part", stMail(strings.Replace(stHead, "Subject: Undelivered Mail Returned to Sender", "Subject: Undeliverable: hello", 1), "text/plain; charset=\"unicode-1-1-utf-7\"",
			exchange2003Intro+"      Hugo +AMs-xample (hugo@example.org) on 12/1/2026 10:00 AM\n            The e-mail account does not exist at the organization this message was sent to.\n            <mx.example.net #5.1.1>\n"), []layoutRecip{{"hugo@example.org", failed, "", "5.1.1"}}, ""},
		{"round3/person's note after the attached report", stMail(stFwdHead, `multipart/mixed; boundary="F"`, stMP("F", stPart("message/rfc822", stDSN(stBobGroup)), stPart("text/plain", stNote))), []layoutRecip{stBob}, ""},
		{"round2/two reports in one digest", stBounce(`multipart/mixed; boundary="M"`, stMP("M", stPart("text/plain", "2 delivery reports\n"), stPart(stReportType, stReport(stAliceGroup)), stPart(stBoundary(stReportType, "S"), stBoundary(stReport(stBobGroup), "S")))), []layoutRecip{stAlice, stBob}, ""},
	}
}

// cutAtStr is s up to the first marker.
func cutAtStr(s, marker string) string { return s[:strings.Index(s, marker)] }

// TestStructureCutEverywhere cuts a report with two recipients after every byte: decoding
// never fails inside, names no address but the report's recipients, reads the first
// recipient with its codes once its group is whole, and says the mail is cut short when the
// cut falls before the report's closing delimiter.
func TestStructureCutEverywhere(t *testing.T) {
	full := stDSN(stAliceGroup, stBobGroup)
	whole := strings.Index(full, stAliceGroup) + len(stAliceGroup)
	closing := strings.LastIndex(full, "--R--")
	bodyStart := strings.Index(full, "\n\n")
	for n := 0; n <= len(full); n++ {
		rep := dsn.ParseBytes([]byte(full[:n]))
		for _, p := range rep.Problems {
			if p.Code == dsn.ProblemInternal {
				t.Fatalf("cut at %d: %s", n, p.Detail)
			}
		}
		for _, r := range rep.Recipients {
			if r.Address != "alice@example.org" && r.Address != "bob@example.org" {
				t.Errorf("cut at %d (%q): recipient %s", n, full[max(0, n-20):n], r.Address)
			}
		}
		if n >= whole && (len(rep.Recipients) == 0 || rep.Recipients[0].Address != "alice@example.org" ||
			rep.Recipients[0].Reply != "550" || rep.Recipients[0].Status != "5.1.1") {
			t.Errorf("cut at %d (%q): recipients %+v, want alice@example.org 550 5.1.1 first", n, full[max(0, n-20):n], rep.Recipients)
		}
		// Once the report's Content-Type is whole, a cut before its closing delimiter is seen:
		// as a multipart cut short, or as a boundary never found.
		if n > bodyStart && n < closing && !slices.ContainsFunc(rep.Problems, func(p dsn.Problem) bool {
			return p.Code == dsn.ProblemTruncated || p.Code == dsn.ProblemBadMIME
		}) {
			t.Errorf("cut at %d (%q): no %s problem in %v", n, full[max(0, n-20):n], dsn.ProblemTruncated, rep.Problems)
		}
	}
}
