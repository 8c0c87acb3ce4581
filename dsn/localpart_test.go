package dsn

import (
	"slices"
	"testing"
)

func TestBareLocalEntries(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"list then gap", "Message not delivered to the following:\n\n gina    No matches\n\nDetail:\n", []string{"gina"}},
		{"list alone on line", "could not be delivered to the following recipients:\n\thank2009\n", []string{"hank2009"}},
		{"sendmail line", "The original message was received\n\nivan... User unknown\n", []string{"ivan"}},
		{"whole addresses are not bare", "to the following recipients:\n  ann@example.org\n", nil},
		{"a sentence is no entry", "to the following recipients:\nPlease check the address.\n", nil},
		{"host transcript line", "mx1... Deferred: Connection refused\n", nil},
		{"role name", "to the following recipients:\n  postmaster\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range bareLocalEntries(tc.text) {
				got = append(got, e.local)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("bareLocalEntries(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}
