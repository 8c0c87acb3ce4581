package dsn_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

// tooCostly returns the ProblemTooCostly of rep, or nil.
func tooCostly(rep *dsn.Report) *dsn.Problem {
	for i, p := range rep.Problems {
		if p.Code == dsn.ProblemTooCostly {
			return &rep.Problems[i]
		}
	}
	return nil
}

// shapeMail returns the mail of the named costShape at about size bytes.
func shapeMail(name string, size int) []byte {
	for _, sh := range costShapes {
		if sh.name == name {
			return sh.mail(size)
		}
	}
	panic("no cost shape " + name)
}

func TestParseBytesContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep := dsn.ParseBytesContext(ctx, shapeMail("addresses-one-line", 200))
	p := tooCostly(rep)
	if p == nil || !p.Lost {
		t.Fatalf("ParseBytesContext(cancelled) problems = %+v, want a too-costly one with data lost", rep.Problems)
	}
	if string(p.Code) != "too-costly" {
		t.Errorf("ProblemTooCostly = %q, want %q", p.Code, "too-costly")
	}
	if rep.Subject != "Undelivered Mail Returned to Sender" {
		t.Errorf("partial report lost the subject: %q", rep.Subject)
	}
}

// countingContext is done from its nth call of Err on: it shows that decoding asks its
// context while it works, not only before it starts.
type countingContext struct {
	context.Context
	calls, n int
}

func (c *countingContext) Err() error {
	c.calls++
	if c.calls >= c.n {
		return context.Canceled
	}
	return nil
}

func TestParseBytesContextStopsMidway(t *testing.T) {
	for _, tc := range []struct {
		name string
		mail []byte
	}{
		{"addresses in one line", shapeMail("addresses-one-line", 140<<10)},
		{"many MIME parts", shapeMail("empty-mime-parts", 400<<10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := &countingContext{Context: context.Background(), n: 3}
			rep := dsn.ParseBytesContext(ctx, tc.mail)
			if tooCostly(rep) == nil {
				t.Fatalf("context done at its 3rd look: problems = %+v, want too-costly", rep.Problems)
			}
			if ctx.calls != ctx.n {
				t.Errorf("context asked %d times, want decoding to stop at the %dth", ctx.calls, ctx.n)
			}
		})
	}
}

func TestMaxWork(t *testing.T) {
	mail := shapeMail("empty-mime-parts", 500)
	rep := dsn.ParseBytesLimits(context.Background(), bytes.Clone(mail), dsn.Limits{MaxWork: 1000})
	if p := tooCostly(rep); p == nil || !p.Lost || !strings.Contains(p.Detail, "1000") {
		t.Errorf("MaxWork 1000 on %d bytes: problems = %+v, want too-costly naming the budget", len(mail), rep.Problems)
	}
	rep = dsn.ParseBytesLimits(context.Background(), bytes.Clone(mail), dsn.Limits{})
	if p := tooCostly(rep); p != nil {
		t.Errorf("default MaxWork on %d bytes: %+v", len(mail), p)
	}
}

// TestDefaultBudgetFitsSamples decodes every sample with the default budget: none may be
// too costly.
func TestDefaultBudgetFitsSamples(t *testing.T) {
	for _, path := range testutil.Samples(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if p := tooCostly(dsn.ParseBytesContext(context.Background(), b)); p != nil {
			t.Errorf("%s: %+v", path, p)
		}
	}
}
