package suppress

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bounceproc/bounceproc/classify"
)

// TestSuppressionDoesNotDependOnOrder records the same bounces in every order (as several
// workers, or mailboxes holding older mail than the one before, record them) and checks that
// the address ends suppressed the same way, from the same moment: a hard bounce from the
// earliest hard bounce, soft bounces from when the policy's days were first reached.
func TestSuppressionDoesNotDependOnOrder(t *testing.T) {
	h := 7 * time.Hour
	cases := []struct {
		name  string
		kinds []classify.Kind
		ats   []time.Time
		want  time.Time // zero: not suppressed
	}{
		{"hard", []classify.Kind{classify.KindHard, classify.KindHard, classify.KindHard},
			[]time.Time{dayN(0).Add(h), dayN(2), dayN(5)}, dayN(0).Add(h)},
		{"complaint", []classify.Kind{classify.KindComplaint, classify.KindComplaint},
			[]time.Time{dayN(1), dayN(3)}, dayN(1)},
		// Three days of four within 30 days: reached at the third day.
		{"soft", []classify.Kind{classify.KindSoft, classify.KindSoft, classify.KindSoft, classify.KindSoft},
			[]time.Time{dayN(0), dayN(4), dayN(9), dayN(12)}, dayN(9)},
		// Never three days within 30 days.
		{"soft apart", []classify.Kind{classify.KindSoft, classify.KindSoft, classify.KindSoft},
			[]time.Time{dayN(0), dayN(20), dayN(40)}, time.Time{}},
		// A hard bounce after soft bounces that had suppressed: hard from the hard bounce.
		{"soft then hard", []classify.Kind{classify.KindSoft, classify.KindSoft, classify.KindSoft, classify.KindHard},
			[]time.Time{dayN(0), dayN(1), dayN(2), dayN(3)}, dayN(3)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for i, order := range permutations(len(c.ats)) {
				s := openAtPath(t, filepath.Join(t.TempDir(), "order"+strconv.Itoa(i)+".db"), Options{Now: newClock(dayN(60)).Now})
				r := &recorder1{t: t, s: s}
				for _, j := range order {
					r.record("x@example.org", c.kinds[j], c.ats[j])
				}
				e := lookup(t, s, "x@example.org")
				if e.Suppressed != !c.want.IsZero() || !e.SuppressedSince.Equal(c.want) {
					t.Errorf("order %v: suppressed %v since %s; want %v since %s", order, e.Suppressed,
						e.SuppressedSince.Format(time.DateTime), !c.want.IsZero(), c.want.Format(time.DateTime))
				}
			}
		})
	}
}

// permutations returns every order of 0..n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}
