package classify

import (
	"testing"
	"unicode/utf8"
)

// FuzzClassify feeds arbitrary diagnostic text, codes and hosts to Classify and
// ExplainText: they must never panic, and the verdict must keep its invariants.
func FuzzClassify(f *testing.F) {
	f.Add("550 5.1.1 <a@example.org>: User unknown", "5.1.1", "550", "mx.example.org", "failed")
	f.Add("550-5.7.26 This mail has been blocked\n 550-5.7.26 because the sender is unauthenticated", "5.7.26", "550", "gmail-smtp-in.l.google.com", "failed")
	f.Add("451 4.7.1 Greylisting in action", "4.7.1", "451", "", "delayed")
	f.Add("\xff\xfe 550-\x00 5.", "9.9.9", "999", "\x80", "")
	f.Add("Adresse IP source bloquée pour incident de spam", "", "", "smtp-in.orange.fr", "failed")
	f.Add("550 ..,Benutzer unbekannt; 如果收件人不存在，可能 아마 ", "", "550", "", "failed")
	f.Fuzz(func(t *testing.T, diag, status, reply, remote, action string) {
		facts := Facts{Action: ParseAction(action), Status: Status(status), Reply: ReplyCode(reply), Diagnostic: diag, RemoteMTA: remote}
		v := Classify(facts)
		if v.Hard != (v.Kind == KindHard) {
			t.Errorf("Classify(%+v): Hard %v with kind %v", facts, v.Hard, v.Kind)
		}
		if v.Suppress != (v.Kind == KindHard || v.Kind == KindComplaint) {
			t.Errorf("Classify(%+v): Suppress %v with kind %v", facts, v.Suppress, v.Kind)
		}
		if facts.Action == ActionDelayed && v.Hard {
			t.Errorf("Classify(%+v) is hard for a delayed action", facts)
		}
		if len(v.Evidence) == 0 {
			t.Errorf("Classify(%+v) has no evidence", facts)
		}
		if n := normalize(diag); utf8.ValidString(diag) && !utf8.ValidString(n) {
			t.Errorf("normalize(%q) = %q, not valid UTF-8", diag, n)
		}
		te := ExplainText(diag)
		if te.Verdict.Hard && te.Verdict.Kind != KindHard {
			t.Errorf("ExplainText(%q) verdict inconsistent: %+v", diag, te.Verdict)
		}
	})
}
