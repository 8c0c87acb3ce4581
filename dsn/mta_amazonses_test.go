package dsn

import (
	"strings"
	"testing"
)

func TestParseSESJSON(t *testing.T) {
	bounce := `{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"a@example.org","status":"5.1.1"}]},"mail":{"messageId":"m1"}}`
	tests := []struct {
		name     string
		in       string
		wantType string // "" means no notification
		wantRcpt string
	}{
		{"bare notification", bounce, "Bounce", "a@example.org"},
		{"text before and footer after", "\n\n" + bounce + "\n\n--\nIf you wish to stop receiving notifications from this topic, ...\n", "Bounce", "a@example.org"},
		{"sns envelope", `{"Type":"Notification","MessageId":"x","Message":` + quoteJSON(bounce) + `}`, "Bounce", "a@example.org"},
		{"event publishing", strings.Replace(bounce, `"notificationType"`, `"eventType"`, 1), "Bounce", "a@example.org"},
		{"sendmail split line", bounce[:60] + "!\n " + bounce[60:], "Bounce", "a@example.org"},
		{"folded line", bounce[:70] + "\n " + bounce[70:120] + "\n" + bounce[120:], "Bounce", "a@example.org"},
		{"truncated", bounce[:len(bounce)/2], "", ""},
		{"other json", `{"event":"bounce","email":"a@example.org"}`, "", ""},
		{"envelope with non-json message", `{"Type":"Notification","Message":"hello"}`, "", ""},
		{"empty object", `{}`, "", ""},
		{"not json", `notificationType: Bounce`, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := parseSESJSON(tc.in)
			if tc.wantType == "" {
				if n != nil {
					t.Fatalf("parseSESJSON(%q) = %+v, want nil", tc.in, n)
				}
				return
			}
			if n == nil {
				t.Fatalf("parseSESJSON(%q) = nil, want a %s notification", tc.in, tc.wantType)
			}
			if n.NotificationType != tc.wantType {
				t.Errorf("parseSESJSON(%q).NotificationType = %q, want %q", tc.in, n.NotificationType, tc.wantType)
			}
			if n.Bounce == nil || len(n.Bounce.BouncedRecipients) != 1 || n.Bounce.BouncedRecipients[0].EmailAddress != tc.wantRcpt {
				t.Errorf("parseSESJSON(%q).Bounce = %+v, want one recipient %s", tc.in, n.Bounce, tc.wantRcpt)
			}
		})
	}
}

// quoteJSON writes s as a JSON string, the way SNS embeds the notification in its envelope.
func quoteJSON(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// TestSESNotAClaim checks that the SES decoders leave alone mails that only look a little like
// notifications: a text body that is JSON of another kind, and prose quoting a notification.
func TestSESNotAClaim(t *testing.T) {
	for _, body := range []string{
		`{"notificationType":"Received","receipt":{"recipients":["a@example.org"]}}`,
		"Here is what SES sent us:\n" + `{"notificationType":"Bounce"}` + "\n",
	} {
		raw := "From: someone@example.com\nTo: ops@example.com\nSubject: hello\n\n" + body
		rep := ParseBytes([]byte(raw))
		if len(rep.Recipients) != 0 {
			t.Errorf("ParseBytes(%q) found recipients %+v, want none", raw, rep.Recipients)
		}
	}
}

// TestDecodeFirstJSON reads the first JSON value of a text: as it is, after a footer that
// holds Sendmail's "!\n " split, with such splits inside its strings, and folded.
func TestDecodeFirstJSON(t *testing.T) {
	type value struct{ A, B string }
	tests := []struct {
		name, in string
		want     value
	}{
		{"as it is", `SNS: {"A":"x","B":"y"} footer`, value{"x", "y"}},
		{"split in the footer", "{\"A\":\"x!\",\"B\":\"y\"}\n--\nwrap!\n here", value{"x!", "y"}},
		{"split in a string", "{\"A\":\"x!\n y\",\"B\":\"!\n z\"}", value{"xy", "z"}},
		{"folded", "{\"A\":\"x\n y\",\n\"B\":\"z\"}", value{"xy", "z"}},
	}
	for _, tc := range tests {
		var got value
		if !decodeFirstJSON(tc.in, &got) || got != tc.want {
			t.Errorf("%s: decodeFirstJSON(%q) = %+v, want %+v", tc.name, tc.in, got, tc.want)
		}
	}
	var got value
	if decodeFirstJSON("no value here", &got) {
		t.Errorf("decodeFirstJSON read a value from text without one: %+v", got)
	}
}
