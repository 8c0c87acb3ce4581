package main

import (
	"bytes"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/esp"
)

// looksLikeJSON reports whether data starts like a JSON object or array: a sending service's
// events, perhaps (see decodeEvents).
func looksLikeJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// decodeEvents decodes a file of a sending service's events (SES, SendGrid, Postmark,
// Mailgun: as `ingest` reads them) into one report per event, so that decode prints them as
// it prints bounce mails. Events that are not about a delivery's outcome (opens, clicks) are
// left out.
func decodeEvents(name string, p esp.Provider, data []byte) []decodedMail {
	events, err := esp.ParseFile(p, data)
	if err != nil {
		return []decodedMail{{file: name, err: err}}
	}
	var out []decodedMail
	for i, ev := range events {
		if ev.Ignored != "" {
			continue
		}
		d := decodedMail{file: name, report: eventReport(ev), verdicts: make([]classify.Verdict, len(ev.Recipients))}
		if len(events) > 1 {
			d.index = i + 1
		}
		for j, r := range ev.Recipients {
			d.verdicts[j] = r.Verdict
		}
		out = append(out, d)
	}
	return out
}

// eventReport shows an event as a report: its ID as the report's own Message-ID, the
// provider's ID of the message sent as the original's.
func eventReport(ev esp.Event) *dsn.Report {
	rep := &dsn.Report{Kind: dsn.KindDSN, Format: string(ev.Provider) + "-event", MessageID: ev.ID,
		ReportingMTA: ev.ReportingMTA, Original: dsn.Original{MessageID: ev.MessageID}}
	for _, r := range ev.Recipients {
		f := r.Facts
		if f.FeedbackType != "" {
			rep.Kind = dsn.KindFeedback
		}
		rc := dsn.Recipient{Address: r.Address, Action: f.Action, Status: f.Status, StatusSource: f.StatusSource,
			Reply: f.Reply, Diagnostic: f.Diagnostic, DiagnosticType: f.DiagnosticType, RemoteMTA: f.RemoteMTA,
			Source: "the " + string(ev.Provider) + " event " + ev.Type}
		for _, fl := range r.Fields {
			rc.Fields = append(rc.Fields, dsn.Field{Name: fl.Name, Value: fl.Value})
		}
		rep.Recipients = append(rep.Recipients, rc)
	}
	return rep
}
