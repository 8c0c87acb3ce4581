//go:build js && wasm

package main

import (
	"encoding/json"
	"os"
	"syscall/js"
	"testing"
)

// TestJSDecode calls bounceproc.decode the way the worker does, under Node (see node_test.go).
func TestJSDecode(t *testing.T) {
	register()
	decodeFn := js.Global().Get("bounceproc").Get("decode")
	sample, err := os.ReadFile("../../web/testdata/postfix-user-unknown.eml")
	if err != nil {
		t.Fatal(err)
	}
	u8 := js.Global().Get("Uint8Array").New(len(sample))
	js.CopyBytesToJS(u8, sample)

	tests := []struct {
		name  string
		arg   []any
		input string // want this input kind, or "" for an error
	}{
		{"string mail", []any{string(sample)}, inputMail},
		{"Uint8Array mail", []any{u8}, inputMail},
		{"error line", []any{"550 5.1.1 <a@example.org>: Recipient address rejected"}, inputText},
		{"number", []any{42}, ""},
		{"no argument", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := decodeFn.Invoke(tt.arg...)
			if out.Type() != js.TypeString {
				t.Fatalf("decode returned a %s, want a string", out.Type())
			}
			var res struct {
				Input    string            `json:"input"`
				Verdicts []json.RawMessage `json:"verdicts"`
				Error    string            `json:"error"`
			}
			if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
				t.Fatalf("decode returned no JSON: %v", err)
			}
			if res.Input != tt.input || (tt.input == "" && res.Error == "") {
				t.Errorf("decode: input %q, error %q; want input %q", res.Input, res.Error, tt.input)
			}
			if tt.input == inputMail && len(res.Verdicts) != 1 {
				t.Errorf("decode: %d verdicts, want 1", len(res.Verdicts))
			}
		})
	}
}
