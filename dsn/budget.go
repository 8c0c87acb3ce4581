package dsn

import (
	"context"
	"fmt"
)

// budget is what decoding one mail may still spend: units of work (about one per byte
// scanned) and the caller's context. The loops that can run long (the MIME walk, the text
// and address scans, the recipients of a mail) spend from it; when it runs out or the
// context is done, decoding stops where it is (see stopDecoding) and the mail gets a
// ProblemTooCostly. A nested mail (fromNestedBounce) spends from its outer mail's budget.
type budget struct {
	ctx   context.Context
	left  int64 // units left; below zero the mail is too costly
	check int64 // units left until the context is looked at again
	max   int64 // Limits.MaxWork, for the problem's detail
}

// ctxCheckEvery is how many units of work pass between two looks at the context: about
// 64 KB scanned, well under a millisecond.
const ctxCheckEvery = 64 << 10

// recipientWork is what settling one recipient found counts for (finishRecipients), beyond
// its diagnostic: the command is looked for in a window of the text around it.
const recipientWork = 256

// newBudget returns the budget of one mail.
func newBudget(ctx context.Context, maxWork int64) *budget {
	if ctx == nil {
		ctx = context.Background()
	}
	return &budget{ctx: ctx, left: maxWork, check: ctxCheckEvery, max: maxWork}
}

// stopDecoding is the panic value with which spend abandons a mail; parseBytes recovers it
// and records why, and try lets it pass (it is no decoder bug).
type stopDecoding struct{ reason string }

// spend takes n units of work from the budget of m, and stops decoding the mail when the
// budget is spent or its context is done. A mail without a budget spends nothing.
func (m *mail) spend(n int) {
	b := m.budget
	if b == nil {
		return
	}
	b.left -= int64(n)
	b.check -= int64(n)
	if b.left < 0 {
		panic(stopDecoding{fmt.Sprintf("decoding needed more than its budget of %d units of work (about a byte scanned each); stopped", b.max)})
	}
	if b.check <= 0 {
		b.check = ctxCheckEvery
		m.checkContext()
	}
}

// checkContext stops decoding the mail when its context is done.
func (m *mail) checkContext() {
	if m.budget == nil {
		return
	}
	if err := m.budget.ctx.Err(); err != nil {
		panic(stopDecoding{fmt.Sprintf("decoding stopped before the end: %v", err)})
	}
}
