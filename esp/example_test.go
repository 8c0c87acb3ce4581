package esp_test

import (
	"fmt"

	"github.com/bounceproc/bounceproc/esp"
)

// A SendGrid bounce is read with the provider's classification taken into account; the
// caller then records the events with esp.Record, which keys the ledger by sg_event_id.
func ExampleParse() {
	body := []byte(`[{"email":"gone@example.org","timestamp":1764514800,"event":"bounce",
		"sg_event_id":"ZXZlbnQtMQ==","reason":"550 no such user here","status":"5.0.0",
		"type":"bounce","bounce_classification":"Invalid Address"}]`)
	events, err := esp.Parse(esp.SendGrid, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range events {
		for _, r := range ev.Recipients {
			fmt.Println(ev.ID, r.Address, r.Verdict.Kind, r.Verdict.Reason, r.Verdict.Suppress)
		}
	}
	// Output: ZXZlbnQtMQ== gone@example.org hard userunknown true
}
