package pipeline

import (
	"testing"
	"time"
)

// TestCommitQueueTakesAtLeastMin checks the committer's queue: a take waits for min mails,
// gets all there are (up to max), and gets the rest once the decoder is done.
func TestCommitQueueTakesAtLeastMin(t *testing.T) {
	q := newCommitQueue(3, 6)
	put := func(n int) {
		for range n {
			if !q.put(processed{}) {
				t.Fatal("put refused")
			}
		}
	}
	got := make(chan int)
	take := func() { go func() { got <- len(q.take()) }() }
	take()
	put(2)
	select {
	case n := <-got:
		t.Fatalf("take returned %d mails with 2 queued, want it to wait for 3", n)
	case <-time.After(50 * time.Millisecond):
	}
	put(1)
	if n := <-got; n != 3 {
		t.Fatalf("take = %d mails, want 3", n)
	}
	put(5)
	take()
	if n := <-got; n != 5 {
		t.Fatalf("take = %d mails, want the 5 queued", n)
	}
	put(1)
	q.close()
	take()
	if n := <-got; n != 1 {
		t.Fatalf("take after the decoder's end = %d mails, want the 1 left", n)
	}
	take()
	if n := <-got; n != 0 {
		t.Fatalf("take with nothing left = %d, want 0", n)
	}
}
