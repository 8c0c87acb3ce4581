package classify

import (
	"math"
	"math/bits"
	"slices"
	"sync"
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
	// classOf maps a byte to its alphabet class; 0 is "a byte no part contains".
	classOf [256]uint8
	nclass  int       // a power of two
	shift   int       // log2 of nclass
	delta   []uint16  // delta[state*nclass+class] is the next state
	depth   []uint16  // depth[state] is the length in bytes of the part prefix the state stands for
	outputs [][]int32 // part ids ending in each state, suffixes included
	// outFlat and outStart hold outputs flattened: state st's ids are
	// outFlat[outStart[st]:outStart[st+1]].
	outFlat  []int32
	outStart []int32
	starts   [][]phraseLoc
	nparts   int
	partsMax int // the most parts one phrase has
	// markerOwner maps a list to the receiver whose markers it holds, or -1.
	markerOwner []int
}

var (
	matcherOnce sync.Once
	theMatcher  *matcher
	// The registered lists, set by buildMatcher.
	textRulesList, greylistList, commandList, senderSideList listID
	receiverLists, markerLists                               []listID
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
// builds: about 5 ms of CPU, three times that in a fresh process, whose memory is all new.
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
// a few kilobytes where the full one takes 1.5 MB: a decoder that asks for the command of a
// diagnostic, then for the next mail's, keeps the table in the CPU caches.
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

// build assigns part ids, then builds the trie, the failure links and the full transition
// table.
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
				if len(p.parts) > m.partsMax {
					m.partsMax = len(p.parts)
				}
			}
		}
	}
	m.nparts = len(parts)
	if m.nparts > maxParts {
		panic("classify: too many phrase parts for the matcher") // a programming error in the rule tables
	}

	// Alphabet: one class per byte that occurs in a part.
	var used [256]bool
	for _, s := range parts {
		for i := 0; i < len(s); i++ {
			used[s[i]] = true
		}
	}
	m.nclass = 1
	for b := 0; b < 256; b++ {
		if used[b] {
			m.classOf[b] = uint8(m.nclass)
			m.nclass++
		}
	}
	// Rows of a power-of-two length let the scan loop find a row with a shift, which is
	// quicker than a multiplication on the path from one byte to the next.
	for m.nclass&(m.nclass-1) != 0 {
		m.nclass++
	}
	m.shift = bits.TrailingZeros(uint(m.nclass))

	// Trie. States are uint16 to keep the table small enough for the CPU caches. The table is
	// made at its final size at once (growing it state by state copied it over and over).
	states := trieStates(parts)
	m.delta = make([]uint16, m.nclass, states*m.nclass) // state 0, the root
	m.depth = make([]uint16, 1, states)
	m.outputs = [][]int32{nil}
	for id, s := range parts {
		st := int32(0)
		for i := 0; i < len(s); i++ {
			c := int32(m.classOf[s[i]])
			next := int32(m.delta[st*int32(m.nclass)+c])
			if next == 0 {
				next = int32(len(m.outputs))
				if next > math.MaxUint16 {
					panic("classify: too many phrase states for the matcher") // a programming error in the rule tables
				}
				m.outputs = append(m.outputs, nil)
				m.depth = append(m.depth, m.depth[st]+1)
				m.delta = append(m.delta, make([]uint16, m.nclass)...)
				m.delta[st*int32(m.nclass)+c] = uint16(next)
			}
			st = next
		}
		m.outputs[st] = append(m.outputs[st], int32(id))
	}

	// Failure links, breadth first, turning the trie into a complete automaton.
	defer m.flatten()
	fail := make([]uint16, len(m.outputs))
	queue := make([]uint16, 0, len(m.outputs))
	for c := 1; c < m.nclass; c++ {
		if next := m.delta[c]; next != 0 {
			queue = append(queue, next)
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		m.outputs[st] = append(m.outputs[st], m.outputs[fail[st]]...)
		for c := 1; c < m.nclass; c++ {
			idx := int(st)*m.nclass + c
			next := m.delta[idx]
			if next != 0 {
				fail[next] = m.delta[int(fail[st])*m.nclass+c]
				queue = append(queue, next)
			} else {
				m.delta[idx] = m.delta[int(fail[st])*m.nclass+c]
			}
		}
	}
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
func (m *matcher) flatten() {
	m.outStart = make([]int32, len(m.outputs)+1)
	for st, ids := range m.outputs {
		m.outStart[st] = int32(len(m.outFlat))
		m.outFlat = append(m.outFlat, ids...)
	}
	m.outStart[len(m.outputs)] = int32(len(m.outFlat))
	m.outputs = nil
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

// scanWith runs the automaton of m over text once, filling sc; its caller records the text.
//
// Reading a text is a chain of loads, each of which needs the one before: the state it
// reaches. Two independent chains take little more time than one (and wait for memory at
// once), so two cursors, each starting at the root, read the two halves of the text side by
// side. A part that starts in the first half and ends in the second is found by the first
// cursor, which reads on past the middle for as long as its state stands for a prefix that
// started before the middle: while the state's depth exceeds the bytes it has read past it.
// The second cursor finds every part that lies in the second half. A part found by both is
// found once: the scan records which parts occur, not where.
func scanWith(sc *scan, m *matcher, text []byte) {
	sc.m = m
	// The loop reads the tables through locals: through m, the compiler would load them again
	// after every store into sc.seen.
	delta, classOf, outStart, outFlat := m.delta, &m.classOf, m.outStart, m.outFlat
	shift := m.shift & 63 // shift < 64: the mask spares the loop a check and a step per byte
	half := len(text) / 2
	first, second := text[:half], text[half:]
	a, b := 0, 0 // the states of the two cursors
	for i, c := range first {
		a = int(delta[a<<shift+int(classOf[c])])
		b = int(delta[b<<shift+int(classOf[second[i]])])
		if lo, hi := outStart[a], outStart[a+1]; lo != hi {
			sc.mark(outFlat[lo:hi])
		}
		if lo, hi := outStart[b], outStart[b+1]; lo != hi {
			sc.mark(outFlat[lo:hi])
		}
	}
	if len(second) > len(first) { // an odd length: the second half is a byte longer
		b = int(delta[b<<shift+int(classOf[second[half]])])
		if lo, hi := outStart[b], outStart[b+1]; lo != hi {
			sc.mark(outFlat[lo:hi])
		}
	}
	for i, c := range second {
		if int(m.depth[a]) <= i {
			break
		}
		a = int(delta[a<<shift+int(classOf[c])])
		if lo, hi := outStart[a], outStart[a+1]; lo != hi {
			sc.mark(outFlat[lo:hi])
		}
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
