package classify_test

import (
	"fmt"

	"github.com/bounceproc/bounceproc/classify"
)

func ExampleClassify() {
	v := classify.Classify(classify.Facts{
		Action:       classify.ActionFailed,
		Status:       "5.1.1",
		StatusSource: "the delivery-status part",
		Reply:        "550",
		Diagnostic:   "550 5.1.1 <kijitora@example.org>: Recipient address rejected: User unknown",
	})
	fmt.Println(v.Kind, v.Reason, v.Hard, v.Suppress)
	fmt.Println(v.Evidence[0])
	// Output:
	// hard userunknown true true
	// status 5.1.1 in the delivery-status part
}

func ExampleExplainStatus() {
	m := classify.ExplainStatus("4.2.2")
	fmt.Println(m.Summary, m.Temporary)
	// Output: the mailbox is full true
}

func ExampleExplainText() {
	te := classify.ExplainText("554 5.7.1 <a@example.org>: Relay access denied")
	fmt.Println(te.Reply, te.Status, te.Verdict.Kind, te.Verdict.Reason)
	// Output: 554 5.7.1 blocked norelaying
}
