package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFitCell(t *testing.T) {
	cases := []struct {
		name  string
		s     string
		width int
		want  string
	}{
		{"fits", "ann@example.org", 38, "ann@example.org"},
		{"exactly the width", "abcdefghij", 10, "abcdefghij"},
		{"one over", "abcdefghijk", 10, "abcde…hijk"},
		{"keeps the domain", "firstname.lastname.department@subdomain.example-company.org", 20, "firstname.…mpany.org"},
		{"counts characters, not bytes", "jörg.müller.überlang@bücher.example", 12, "jörg.m…ample"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fitCell(c.s, c.width)
			if got != c.want {
				t.Errorf("fitCell(%q, %d) = %q, want %q", c.s, c.width, got, c.want)
			}
			if n := utf8.RuneCountInString(got); n > c.width {
				t.Errorf("fitCell(%q, %d) has %d characters", c.s, c.width, n)
			}
		})
	}
}

// TestListColumnsHold lists addresses longer than the email column beside short ones: every
// column after the email starts at the same character in every row.
func TestListColumnsHold(t *testing.T) {
	c := newStoreCLI(t)
	long := "firstname.lastname.department-of-things@subdomain.example-company.org"
	c.record(
		hard("ann@example.org", 1, "550 5.1.1 user unknown"),
		hard(long, 2, "550 5.1.1 user unknown"),
		hard("jörg.müller.mit.einem.sehr.langen.namen@bücher.example", 3, "550 5.1.1 user unknown"),
		hard("exactly-thirty-eight-chars@example.org", 4, "550 5.1.1 user unknown"),
	)
	out := c.mustRun("list", "--kind", "all")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("list printed %d lines, want a header and 4 rows:\n%s", len(lines), out)
	}
	// Where each column after the email starts in the header, in characters.

	var starts []int
	for _, name := range []string{"KIND", "REASON", "STATUS", "BOUNCES", "LAST SEEN", "SUPPRESSED"} {
		i := strings.Index(lines[0], name)
		if i < 0 {
			t.Fatalf("header %q has no %s", lines[0], name)
		}
		starts = append(starts, utf8.RuneCountInString(lines[0][:i]))
	}
	for _, line := range lines[1:] {
		r := []rune(line)
		// The character before each column's start is a blank, and the column's first is not.
		for k, at := range starts[:3] {
			if at >= len(r) || r[at-1] != ' ' || r[at] == ' ' {
				t.Errorf("column %d does not start at character %d in %q (header %q)", k+1, at, line, lines[0])
			}
		}
	}
	if !strings.Contains(out, "firstname.lastname.…xample-company.org") {
		t.Errorf("the long address is not shortened in the middle:\n%s", out)
	}
	if !strings.Contains(out, "exactly-thirty-eight-chars@example.org ") {
		t.Errorf("an address of exactly the column's width is not shown whole:\n%s", out)
	}
}
