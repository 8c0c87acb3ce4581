package httpapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestAppendAnswerMatchesMarshal: the hand-written encoder says what json.Marshal says, for
// answers with every field set or empty and strings that need escaping.
func TestAppendAnswerMatchesMarshal(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 30, 15, 123000000, time.UTC)
	odd := "q\"b\\s/\n\r\t\x01\x1f<&> é \u2028\u2029 \xff\xfe end"
	resp := CheckResponse{Suppressed: 2, Invalid: 1, Results: []Answer{
		{Address: "a@example.org", Normalized: "a@example.org", Valid: true},
		{Address: odd, Error: "invalid address: " + odd},
		{Address: "B@example.org", Normalized: "b@example.org", Valid: true, Suppressed: true, Known: true, Since: at,
			Cause: "hard", Source: "policy", Why: "hard bounce", LastBounce: &Bounce{Kind: "hard", Reason: "userunknown",
				Status: "5.1.1", Reply: "550", Diagnostic: "550 5.1.1 <" + odd + ">", At: at, FirstSeen: at.Add(-time.Hour), Count: 3}},
		{Address: "m@example.org", Normalized: "m@example.org", Valid: true, Suppressed: true, Known: true, Since: at,
			Cause: "manual", Source: "manual", By: "ann", Why: odd},
		{Address: "v@example.net", Normalized: "v@example.net", Valid: true, Allowed: true, Known: true,
			LastBounce: &Bounce{Kind: "blocked"}},
	}}
	got := appendCheckResponse(nil, resp)
	if !json.Valid(got) {
		t.Fatalf("appendCheckResponse wrote invalid JSON: %s", got)
	}
	want, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	// Compare as generic values: key order and number formatting are the same, but
	// json.Marshal escapes <, > and & where the encoder does not.
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(w, g); d != "" {
		t.Errorf("appendCheckResponse differs from json.Marshal (-marshal +append):\n%s\n%s", d, got)
	}
}
