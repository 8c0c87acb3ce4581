package esp

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no body makes a parser panic, that an error is always bad input, and
// that every event returned is recordable: an ID and addressed recipients, or ignored.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"Type":"Notification","TopicArn":"x","MessageId":"m","Message":"{\"notificationType\":\"Bounce\"}"}`))
	f.Add([]byte(`[{"event":"bounce","sg_event_id":"x","email":"a@b","status":5}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		for _, p := range Providers() {
			events, err := Parse(p, data)
			if err != nil {
				if !errors.Is(err, ErrBadInput) {
					t.Errorf("Parse(%s) error %v is not bad input", p, err)
				}
				continue
			}
			for _, ev := range events {
				if ev.Ignored != "" {
					continue
				}
				if ev.ID == "" || len(ev.Recipients) == 0 {
					t.Errorf("Parse(%s) returned an event with no ID or no recipient: %+v", p, ev)
				}
			}
		}
	})
}
