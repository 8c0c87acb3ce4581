package classify

import (
	"bytes"
	"math"
	"math/bits"
	"slices"
	"sync"
	"unicode/utf8"
)

// The phrase lists are searched with one Aho-Corasick automaton over every phrase part of
// every list, so a diagnostic is read once, whatever the number of phrases: classification
// stays far below the cost of decoding a mail. The automaton is built on first use, from the
// rule slices, and never changes afterwards.

// listID names one registered phrase list.
type listID int

// phraseLoc is where a phrase sits: its list, rule and position in the rule.
type phraseLoc struct {
	list   listID
	rule   int32
	phrase int32
}

type matcher struct {
	lists [][]textRule
	// narrow finds the parts that are all ASCII, wide (nil when there are none) the others:
	// the words of other scripts than the Latin one. Their bytes would double or quadruple
	// the rows of one table, which the CPU caches then no longer hold, and most texts have
	// no byte beyond ASCII to give wide anything to find.
	narrow automaton
	wide   *automaton
	starts [][]phraseLoc
	nparts int
	// parts holds each part's text by id, and named whether a part belongs to a receiver's
	// markers, which may be found in a server's name (see dropNames).
	parts [][]byte
	named []bool
	// markerOwner maps a list to the receiver whose markers it holds, or -1.
	markerOwner []int
}

// automaton is an Aho-Corasick automaton over some of a matcher's parts, with a full
// transition table.
type automaton struct {
	// classOf maps a byte to its alphabet class; 0 is "a byte no part contains".
	classOf [256]uint8
	nclass  int      // a power of two
	shift   int      // log2 of nclass
	delta   []uint16 // delta[state*nclass+class] is the next state
	depth   []uint16 // depth[state] is the length in bytes of the part prefix the state stands for
	// outFlat and outStart hold the ids of the parts ending in each state, suffixes included:
	// state st's ids are outFlat[outStart[st]:outStart[st+1]].
	outFlat  []int32
	outStart []int32
}

var (
	matcherOnce sync.Once
	theMatcher  *matcher
	// The registered lists, set by buildMatcher.
	textRulesList, greylistList, commandList, senderSideList, serverIntroList listID
	receiverLists, markerLists                                                []listID
)

// commandRules turn commandHints into rules whose reason field is unused; the rule's index
// in commandHints says which command it is.
var commandRules = newCommandRules()

func newCommandRules() []textRule {
	out := make([]textRule, len(commandHints))
	for i, c := range commandHints {
		out[i] = textRule{phrases: compilePhrases(c.hints)}
	}
	return out
}

// Prepare builds the tables Classify and CommandIn read, which their first call otherwise
// builds: about 7 ms of CPU, three times that in a fresh process, whose memory is all new.
// A program that will classify can call it ahead, on a goroutine of its own, while it waits
// for something else (a run calls it while it logs in to the IMAP server). Calling it is
// never needed, and calling it again costs nothing.
func Prepare() {
	getMatcher()
	getCommandMatcher()
}

func getMatcher() *matcher {
	matcherOnce.Do(buildMatcher)
	return theMatcher
}

// The command matcher knows commandHints alone, as its list 0, for CommandIn. Its table takes
// a few kilobytes where the full one's take 2.3 MB for the ASCII parts and 0.6 MB for the
// others: a decoder that asks for the command of a diagnostic, then for the next mail's,
// keeps the table in the CPU caches.
var (
	commandMatcherOnce sync.Once
	theCommandMatcher  *matcher
)

func getCommandMatcher() *matcher {
	commandMatcherOnce.Do(func() {
		m := &matcher{}
		// build sets the ids of the phrases it is given: the full matcher's must stay its own.
		m.register(newCommandRules())
		m.markerOwner = []int{-1}
		m.build()
		theCommandMatcher = m
	})
	return theCommandMatcher
}

func buildMatcher() {
	m := &matcher{}
	textRulesList = m.register(textRules)
	greylistList = m.register([]textRule{greylistRule})
	commandList = m.register(commandRules)
	senderSideList = m.register(senderSideRules)
	// serverIntros' words without their blank: the scan says which occur at all.
	serverIntroList = m.register([]textRule{{phrases: compilePhrases(serverIntros)}})
	for _, rr := range receiverRules {
		receiverLists = append(receiverLists, m.register(rr.rules))
		markerLists = append(markerLists, m.register([]textRule{{phrases: compilePhrases(rr.markers)}}))
	}
	m.markerOwner = make([]int, len(m.lists))
	for i := range m.markerOwner {
		m.markerOwner[i] = -1
	}
	for ri, l := range markerLists {
		m.markerOwner[l] = ri
	}
	m.build()
	theMatcher = m
}

func (m *matcher) register(rules []textRule) listID {
	m.lists = append(m.lists, rules)
	return listID(len(m.lists) - 1)
}

// build assigns part ids, then builds the automata over the ASCII parts and over the others.
func (m *matcher) build() {
	partID := map[string]int32{}
	var parts []string
	for li, rules := range m.lists {
		for ri := range rules {
			for pi := range rules[ri].phrases {
				p := &rules[ri].phrases[pi]
				p.ids = p.ids[:0]
				for _, s := range p.parts {
					id, ok := partID[s]
					if !ok {
						id = int32(len(parts))
						partID[s] = id
						parts = append(parts, s)
						m.starts = append(m.starts, nil)
					}
					p.ids = append(p.ids, id)
				}
				m.starts[p.ids[0]] = append(m.starts[p.ids[0]], phraseLoc{listID(li), int32(ri), int32(pi)})
			}
		}
	}
	m.nparts = len(parts)
	m.parts = make([][]byte, len(parts))
	for id, p := range parts {
		m.parts[id] = []byte(p)
	}
	m.named = make([]bool, len(parts))
	for li, rules := range m.lists {
		if m.markerOwner[li] < 0 {
			continue
		}
		for _, r := range rules {
			for _, p := range r.phrases {
				for _, id := range p.ids {
					m.named[id] = true
				}
			}
		}
	}
	if m.nparts > maxParts {
		panic("classify: too many phrase parts for the matcher") // a programming error in the rule tables
	}
	var narrow, wide []int32
	for id, s := range parts {
		if isASCII(s) {
			narrow = append(narrow, int32(id))
		} else {
			wide = append(wide, int32(id))
		}
	}
	m.narrow.build(parts, narrow)
	if len(wide) > 0 {
		m.wide = &automaton{}
		m.wide.build(parts, wide)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// build builds the trie of the parts with these ids, the failure links and the full
// transition table.
func (a *automaton) build(parts []string, ids []int32) {
	// Alphabet: one class per byte that occurs in a part.
	var used [256]bool
	mine := make([]string, len(ids))
	for k, id := range ids {
		s := parts[id]
		mine[k] = s
		for i := 0; i < len(s); i++ {
			used[s[i]] = true
		}
	}
	a.nclass = 1
	for b := 0; b < 256; b++ {
		if used[b] {
			a.classOf[b] = uint8(a.nclass)
			a.nclass++
		}
	}
	// Rows of a power-of-two length let the scan loop find a row with a shift, which is
	// quicker than a multiplication on the path from one byte to the next.
	for a.nclass&(a.nclass-1) != 0 {
		a.nclass++
	}
	a.shift = bits.TrailingZeros(uint(a.nclass))

	// Trie. States are uint16 to keep the table small enough for the CPU caches. The table is
	// made at its final size at once (growing it state by state copied it over and over).
	states := trieStates(mine)
	a.delta = make([]uint16, a.nclass, states*a.nclass) // state 0, the root
	a.depth = make([]uint16, 1, states)
	outputs := [][]int32{nil}
	for k, s := range mine {
		st := int32(0)
		for i := 0; i < len(s); i++ {
			c := int32(a.classOf[s[i]])
			next := int32(a.delta[st*int32(a.nclass)+c])
			if next == 0 {
				next = int32(len(outputs))
				if next > math.MaxUint16 {
					panic("classify: too many phrase states for the matcher") // a programming error in the rule tables
				}
				outputs = append(outputs, nil)
				a.depth = append(a.depth, a.depth[st]+1)
				a.delta = append(a.delta, make([]uint16, a.nclass)...)
				a.delta[st*int32(a.nclass)+c] = uint16(next)
			}
			st = next
		}
		outputs[st] = append(outputs[st], ids[k])
	}

	// Failure links, breadth first, turning the trie into a complete automaton.
	fail := make([]uint16, len(outputs))
	queue := make([]uint16, 0, len(outputs))
	for c := 1; c < a.nclass; c++ {
		if next := a.delta[c]; next != 0 {
			queue = append(queue, next)
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		outputs[st] = append(outputs[st], outputs[fail[st]]...)
		for c := 1; c < a.nclass; c++ {
			idx := int(st)*a.nclass + c
			next := a.delta[idx]
			if next != 0 {
				fail[next] = a.delta[int(fail[st])*a.nclass+c]
				queue = append(queue, next)
			} else {
				a.delta[idx] = a.delta[int(fail[st])*a.nclass+c]
			}
		}
	}
	a.flatten(outputs)
}

// trieStates is the number of states of a trie holding parts, the root included: in sorted
// order, each part adds a state for every byte past the prefix it shares with the one before.
func trieStates(parts []string) int {
	sorted := slices.Clone(parts)
	slices.Sort(sorted)
	states, prev := 1, ""
	for _, s := range sorted {
		n := 0
		for n < len(s) && n < len(prev) && s[n] == prev[n] {
			n++
		}
		states += len(s) - n
		prev = s
	}
	return states
}

// maxParts bounds the number of distinct phrase parts, so that a scan's bit set has a fixed
// size and lives on the stack.
const maxParts = 2048

// flatten copies outputs into outFlat and outStart, which the scan loop reads.
func (a *automaton) flatten(outputs [][]int32) {
	a.outStart = make([]int32, len(outputs)+1)
	for st, ids := range outputs {
		a.outStart[st] = int32(len(a.outFlat))
		a.outFlat = append(a.outFlat, ids...)
	}
	a.outStart[len(outputs)] = int32(len(a.outFlat))
}

// scan is the result of reading one normalized text: which parts occur in it. It lives on
// its caller's stack: it holds no pointer into itself. So may the buffer norm points into,
// as long as no method of scan appends to a slice it holds: the compiler would then move the
// callers' buffers to the heap (TestCommandInAllocs notices).
type scan struct {
	m *matcher
	// The text read: norm, in a buffer of the caller's, or text. text is made from norm
	// when a phrase of several parts needs it (see str).
	norm []byte
	text string
	seen [maxParts / 64]uint64 // the ids of the parts found
}

// next returns the least id of a part found that is at least from, or -1. The rule lookups
// take the least (rule, phrase) or receiver among the parts found, so the order they are
// visited in does not matter: `for id := sc.next(0); id >= 0; id = sc.next(id + 1)`.
func (sc *scan) next(from int32) int32 {
	words := min(len(sc.seen), (sc.m.nparts+63)/64) // the words that can have bits set
	w := int(from >> 6)
	if w >= words {
		return -1
	}
	word := sc.seen[w] &^ (1<<(from&63) - 1)
	for {
		if word != 0 {
			return int32(w*64 + bits.TrailingZeros64(word))
		}
		if w++; w == words {
			return -1
		}
		word = sc.seen[w]
	}
}

// scanText runs the full automaton over text once, filling sc.
func scanText(sc *scan, text string) {
	sc.text = text
	scanWith(sc, getMatcher(), []byte(text))
}

// scanWith runs the automata of m over text, filling sc; its caller records the text. The
// automaton of the parts beyond ASCII reads only a text with a byte beyond ASCII.
func scanWith(sc *scan, m *matcher, text []byte) {
	sc.m = m
	if m.narrow.scan(sc, text) >= utf8.RuneSelf && m.wide != nil {
		m.wide.scan(sc, text)
	}
}

// scan runs a over text once, marking the parts it finds in sc, and returns the bitwise or of
// the bytes of text.
//
// Reading a text is a chain of loads, each of which needs the one before: the state it
// reaches. Two independent chains take little more time than one (and wait for memory at
// once), so two cursors, each starting at the root, read the two halves of the text side by
// side. A part that starts in the first half and ends in the second is found by the first
// cursor, which reads on past the middle for as long as its state stands for a prefix that
// started before the middle: while the state's depth exceeds the bytes it has read past it.
// The second cursor finds every part that lies in the second half. A part found by both is
// found once: the scan records which parts occur, not where.
func (au *automaton) scan(sc *scan, text []byte) byte {
	// The loop reads the tables through locals: through au, the compiler would load them
	// again after every store into sc.seen.
	delta, classOf, outStart, outFlat := au.delta, &au.classOf, au.outStart, au.outFlat
	shift := au.shift & 63 // shift < 64: the mask spares the loop a check and a step per byte
	half := len(text) / 2
	first, second := text[:half], text[half:]
	a, b := 0, 0 // the states of the two cursors
	var or byte
	for i, c := range first {
		d := second[i]
		or |= c | d
		a = int(delta[a<<shift+int(classOf[c])])
		b = int(delta[b<<shift+int(classOf[d])])
		if lo, hi := outStart[a], outStart[a+1]; lo != hi {
			sc.mark(outFlat[lo:hi])
		}
		if lo, hi := outStart[b], outStart[b+1]; lo != hi {
			sc.mark(outFlat[lo:hi])
		}
	}
	if len(second) > len(first) { // an odd length: the second half is a byte longer
		d := second[half]
		or |= d
		b = int(delta[b<<shift+int(classOf[d])])
		if lo, hi := outStart[b], outStart[b+1]; lo != hi {
			sc.mark(outFlat[lo:hi])
		}
	}
	for i, c := range second {
		if int(au.depth[a]) <= i {
			break
		}
		a = int(delta[a<<shift+int(classOf[c])])
		if lo, hi := outStart[a], outStart[a+1]; lo != hi {
			sc.mark(outFlat[lo:hi])
		}
	}
	return or
}

// serverIntros are the words after which mail systems name the server they talked to:
// Postfix's "host mx.example.org[192.0.2.1] said:" and "connect to mx.example.org[...]:25",
// Exim's "host mx.example.org [192.0.2.1]:", Sendmail's "... while talking to
// mx.example.org.:", a filter's "Client host [mail.example.net]".
var serverIntros = []string{"host ", "talking to ", "connect to "}

// dropNames forgets the parts found only inside the names of servers the text names (a word
// with a dot after one of serverIntros): a server's name is not wording, and "host
// spamtitan.example.org[192.0.2.11] said: 550 5.1.1 User unknown" says nothing of spam, as
// "host mailfilter-spf.example.org" says nothing of SPF. The receivers' markers stay: a
// receiver is known by its servers' names ("protection.outlook.com").
func (sc *scan) dropNames() {
	text := sc.norm
	var spans [4][2]int
	n := 0
	for k, p := range sc.m.lists[serverIntroList][0].phrases {
		if !sc.has(p.ids[0]) {
			continue // most texts name no server: then no search
		}
		intro := []byte(serverIntros[k])
		for off := 0; n < len(spans); {
			i := bytes.Index(text[off:], intro)
			if i < 0 {
				break
			}
			start := off + i + len(intro)
			end := start + max(bytes.IndexByte(text[start:], ' '), 0)
			if end == start {
				end = len(text)
			}
			if dot := bytes.IndexByte(text[start:end], '.'); dot > 0 && dot < end-start-1 {
				spans[n] = [2]int{start, end}
				n++
			}
			off = end
		}
	}
	if n == 0 {
		return
	}
	for id := sc.next(0); id >= 0; id = sc.next(id + 1) {
		if sc.m.named[id] {
			continue
		}
		part := sc.m.parts[id]
		// The names are short: most parts are in none of them, and that is soon seen.
		inName := false
		for _, sp := range spans[:n] {
			inName = inName || bytes.Contains(text[sp[0]:sp[1]], part)
		}
		if inName && !outsideSpans(text, part, spans[:n]) {
			sc.seen[id>>6] &^= 1 << (id & 63)
		}
	}
}

// outsideSpans reports whether part occurs in text anywhere but wholly inside one of spans.
func outsideSpans(text, part []byte, spans [][2]int) bool {
	for off := 0; ; {
		i := bytes.Index(text[off:], part)
		if i < 0 {
			return false
		}
		at := off + i
		if !slices.ContainsFunc(spans, func(sp [2]int) bool { return sp[0] <= at && at+len(part) <= sp[1] }) {
			return true
		}
		off = at + 1
	}
}

// mark records the parts with these ids as found.
func (sc *scan) mark(ids []int32) {
	for _, id := range ids {
		sc.seen[id>>6] |= 1 << (id & 63)
	}
}

func (sc *scan) has(id int32) bool { return sc.seen[id>>6]&(1<<(id&63)) != 0 }

// str returns the text read as a string.
func (sc *scan) str() string {
	if sc.text == "" && len(sc.norm) > 0 {
		sc.text = string(sc.norm)
	}
	return sc.text
}

// empty reports whether the text read is empty.
func (sc *scan) empty() bool { return sc.text == "" && len(sc.norm) == 0 }

// matches reports whether every part of p occurs, in order.
func (sc *scan) matches(p *phrase) bool {
	for _, id := range p.ids {
		if !sc.has(id) {
			return false
		}
	}
	return len(p.ids) == 1 || p.in(sc.str())
}

// first returns the first rule of list l (in rule order, then phrase order) with a phrase
// found in the text, or nil.
func (sc *scan) first(l listID) (*textRule, phrase) {
	i, p := sc.firstIndex(l)
	if i < 0 {
		return nil, phrase{}
	}
	return &sc.m.lists[l][i], p
}

// firstUnless is first among the rules whose first match pass does not reject: a rule
// rejected by its first match is passed over, and the next first one is looked at, up to
// eight times (then there is none).
func (sc *scan) firstUnless(l listID, pass func(*textRule, phrase) bool) (*textRule, phrase) {
	tr, p := sc.first(l)
	var skipped [8]*textRule
	for n := 0; tr != nil && pass(tr, p); n++ {
		if n == len(skipped) {
			return nil, phrase{}
		}
		skipped[n] = tr
		i, q := sc.firstWhere(l, func(r *textRule) bool { return !slices.Contains(skipped[:n+1], r) })
		if i < 0 {
			return nil, phrase{}
		}
		tr, p = &sc.m.lists[l][i], q
	}
	return tr, p
}

// firstIndex is first, giving the rule's index in its list, or -1.
func (sc *scan) firstIndex(l listID) (int, phrase) { return sc.firstWhere(l, nil) }

// firstWhere is firstIndex among the rules that keep accepts (all rules if keep is nil).
func (sc *scan) firstWhere(l listID, keep func(*textRule) bool) (int, phrase) {
	bestRule, bestPhrase := int32(-1), int32(-1)
	for id := sc.next(0); id >= 0; id = sc.next(id + 1) {
		for _, loc := range sc.m.starts[id] {
			if loc.list != l {
				continue
			}
			if bestRule >= 0 && (loc.rule > bestRule || loc.rule == bestRule && loc.phrase > bestPhrase) {
				continue
			}
			rules := sc.m.lists[l]
			if keep != nil && !keep(&rules[loc.rule]) {
				continue
			}
			if sc.matches(&rules[loc.rule].phrases[loc.phrase]) {
				bestRule, bestPhrase = loc.rule, loc.phrase
			}
		}
	}
	if bestRule < 0 {
		return -1, phrase{}
	}
	return int(bestRule), sc.m.lists[l][bestRule].phrases[bestPhrase]
}
