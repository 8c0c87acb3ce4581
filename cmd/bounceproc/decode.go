package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/esp"
	"github.com/bounceproc/bounceproc/internal/textsafe"
	"github.com/bounceproc/bounceproc/pipeline"
)

func init() {
	commands = append(commands, command{
		name:    "decode",
		summary: "decode bounce mails from files, directories, mbox files or stdin",
		run:     decodeCommand,
	})
}

type decodeOptions struct {
	format  string // jsonl, json or table
	workers int
	paths   []string
	stdin   io.Reader
	// stdinTerminal says standard input is a terminal: with no PATH, decode then asks for one
	// instead of waiting for typed input.
	stdinTerminal bool
	// inFlight caps the bytes of mail read and not yet decoded (default decodeInFlight).
	inFlight int64
}

// stdinIsTerminal reports whether standard input is a terminal; tests replace it.
var stdinIsTerminal = func() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

// decodeInFlight is how many bytes of mail decode holds at once, whatever the number of
// workers: a file larger than this is read and decoded alone. With the heap allowed to grow
// to five times what is live (tuneGC), this keeps the peak heap under 100 MiB on any number
// of cores (BenchmarkDecodeLargeMails).
const decodeInFlight = 12 << 20

// decodeMemLimit is the soft memory limit of a decode, unless GOMEMLIMIT is set: the
// collector runs earlier than GOGC says when the heap comes near it.
const decodeMemLimit = 80 << 20

func decodeCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("decode", "[--format jsonl|json|table] [--workers N] [PATH...]\n\n"+
		"Decodes each mail and prints one record per reported recipient. PATH is a file, a directory,\n"+
		"an mbox file, or - for standard input; with no PATH, piped standard input is read. A JSON\n"+
		"file of a sending service's events (SES, SendGrid, Postmark, Mailgun; see ingest) is read\n"+
		"as those events, one record per recipient. In a\n"+
		"directory (walked recursively: Maildir cur/ and new/, Maildir++ .Folders included, tmp/\n"+
		"not), a file is decoded when its content starts like a mail (header lines), whatever its\n"+
		"name; Dovecot's and Courier's index and state files are skipped by name. How many files\n"+
		"were skipped, and why, is said on standard error.", stderr)
	opts := decodeOptions{stdin: os.Stdin, stdinTerminal: stdinIsTerminal()}
	fs.StringVar(&opts.format, "format", "jsonl", "output format: jsonl, json or table")
	fs.IntVar(&opts.workers, "workers", runtime.GOMAXPROCS(0), "mails decoded in parallel")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opts.paths = fs.Args()
	if len(opts.paths) == 0 {
		if opts.stdinTerminal {
			return usagef("no PATH given (and standard input is a terminal)")
		}
		opts.paths = []string{"-"}
	}
	switch opts.format {
	case "jsonl", "json", "table":
	default:
		return usagef("unknown --format %q (want jsonl, json or table)", opts.format)
	}
	return runDecode(ctx, opts, stdout, stderr)
}

// decodeRecord is one line of `decode --format jsonl`: one recipient of one mail. Status is
// the code the mail states; when it states none, the class-level code its reply code or
// action implies, with StatusInferred set.
type decodeRecord struct {
	File              string             `json:"file"`
	Message           int                `json:"message,omitempty"` // 1-based position in an mbox file
	MessageID         string             `json:"message_id"`
	Recipient         string             `json:"recipient"`
	OriginalRecipient string             `json:"original_recipient,omitempty"`
	FinalRecipient    string             `json:"final_recipient,omitempty"`
	RecipientInferred bool               `json:"recipient_inferred,omitempty"`
	Action            classify.Action    `json:"action"`
	Status            classify.Status    `json:"status"`
	StatusInferred    bool               `json:"status_inferred,omitempty"`
	Reply             classify.ReplyCode `json:"reply_code"`
	Diagnostic        string             `json:"diagnostic"`
	RemoteMTA         string             `json:"remote_mta"`
	ReportingMTA      string             `json:"reporting_mta"`
	DecodedBy         string             `json:"decoded_by"`
	Kind              classify.Kind      `json:"kind"`
	Reason            classify.Reason    `json:"reason"`
	Hard              bool               `json:"hard"`
	Suppress          bool               `json:"suppress"`
	Fault             classify.Fault     `json:"fault"`
	Evidence          []string           `json:"evidence,omitempty"`
}

// decodedMail is the result for one mail, in input order.
type decodedMail struct {
	file     string
	index    int // 1-based in an mbox, 0 for a single mail
	report   *dsn.Report
	verdicts []classify.Verdict
	err      error
	skip     string // why the file was not decoded (a directory's file that is not mail)
}

func runDecode(ctx context.Context, opts decodeOptions, stdout, stderr io.Writer) error {
	defer tuneGC()()
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	if os.Getenv("GOMEMLIMIT") == "" {
		prev := debug.SetMemoryLimit(-1)
		debug.SetMemoryLimit(min(prev, decodeMemLimit))
		defer debug.SetMemoryLimit(prev)
	}
	w := newDecodeWriter(opts.format, out)
	problems, unread := 0, 0
	var skipped skipCounts
	err := decodeStream(ctx, opts, func(d decodedMail) error {
		name := d.file
		if d.index > 0 {
			name = fmt.Sprintf("%s#%d", d.file, d.index)
		}
		if d.skip != "" {
			skipped.add(d.skip, d.file)
			return nil
		}
		if d.err != nil {
			unread++
			fmt.Fprintf(stderr, "%s: %v\n", name, d.err)
			return nil
		}
		if len(d.report.Problems) > 0 {
			problems++
			for _, p := range d.report.Problems {
				fmt.Fprintf(stderr, "%s: %s: %s\n", name, p.Code, p.Detail)
			}
		}
		return w.write(d)
	})
	if ferr := w.close(); err == nil {
		err = ferr
	}
	if ferr := out.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("decode: write output: %w", ferr)
	}
	skipped.report(stderr)
	if err != nil {
		return err
	}
	if unread > 0 {
		return fmt.Errorf("%d file(s) could not be read", unread)
	}
	if problems > 0 {
		return fmt.Errorf("%d mail(s) had problems: %w", problems, errProblems)
	}
	return nil
}

// skipCounts counts the files a directory walk skipped, by reason, with the first of each.
type skipCounts struct {
	reasons []string
	n       map[string]int
	first   map[string]string
}

func (c *skipCounts) add(reason, file string) {
	if c.n == nil {
		c.n, c.first = map[string]int{}, map[string]string{}
	}
	if c.n[reason] == 0 {
		c.reasons = append(c.reasons, reason)
		c.first[reason] = file
	}
	c.n[reason]++
}

// report says on w how many files were skipped and why, one line per reason.
func (c *skipCounts) report(w io.Writer) {
	total := 0
	for _, r := range c.reasons {
		total += c.n[r]
	}
	if total == 0 {
		return
	}
	fmt.Fprintf(w, "decode: skipped %d file(s):\n", total)
	for _, r := range c.reasons {
		fmt.Fprintf(w, "  %d %s (e.g. %s)\n", c.n[r], r, c.first[r])
	}
}

// The reasons a file in a directory is not decoded.
const (
	skipNotMail  = "not a mail: no header lines at the start"
	skipKnown    = "mail-server index or state files (dovecot-uidlist, dovecot.index*, subscriptions, ...)"
	skipTmp      = "in a Maildir tmp/ folder: mails still being written"
	skipHidden   = "in a hidden folder that is not a Maildir++ folder"
	skipNotRegul = "not a regular file"
)

// decodeStream decodes the mails named by opts.paths with opts.workers goroutines and calls
// emit for each, in input order. Workers read the files themselves, so reading and decoding
// both run in parallel; memory stays bounded, since at most a few files per worker are in
// flight.
func decodeStream(ctx context.Context, opts decodeOptions, emit func(decodedMail) error) error {
	workers := max(opts.workers, 1)
	type job struct {
		src  mailSource
		done chan []decodedMail
	}
	jobs := make(chan *job, workers*4)
	order := make(chan *job, workers*4)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Producer: list the sources in order.
	prodErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(jobs)
		prodErr <- walkSources(ctx, opts.paths, opts.stdin, func(src mailSource) error {
			j := &job{src: src, done: make(chan []decodedMail, 1)}
			select {
			case order <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
	}()
	budget := opts.inFlight
	if budget <= 0 {
		budget = decodeInFlight
	}
	sem := newByteSem(budget)
	for range workers {
		go func() {
			for j := range jobs {
				// Hold the file's size in bytes while it is read and decoded, so that the
				// mails in flight are bounded by bytes, not by the number of workers.
				n := min(max(j.src.size, 1), budget)
				if err := sem.acquire(ctx, n); err != nil {
					j.done <- []decodedMail{{file: j.src.name, err: err}}
					continue
				}
				d := decodeSource(ctx, j.src)
				sem.release(n)
				j.done <- d
			}
		}()
	}
	for j := range order {
		for _, d := range <-j.done {
			if err := emit(d); err != nil {
				cancel()
				for range order {
				}
				return err
			}
		}
	}
	return <-prodErr
}

// mailSource is one input: a file to read, or data already read (standard input), or an
// error met while listing, or a file skipped while listing.
type mailSource struct {
	name string
	data []byte
	read bool  // data holds the content; otherwise name is read
	size int64 // the file's size, as listed
	// sniff says the file was found in a directory: it is decoded only when its content
	// starts like a mail. A file named on the command line is always decoded.
	sniff bool
	skip  string // why the file is skipped, when it is
	err   error
}

// byteSem is a semaphore counted in bytes.
type byteSem struct {
	mu    sync.Mutex
	cond  *sync.Cond
	avail int64
}

func newByteSem(n int64) *byteSem {
	s := &byteSem{avail: n}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// acquire waits until n bytes are free and takes them, or returns ctx's error.
func (s *byteSem) acquire(ctx context.Context, n int64) error {
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.avail < n {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.cond.Wait()
	}
	s.avail -= n
	return nil
}

func (s *byteSem) release(n int64) {
	s.mu.Lock()
	s.avail += n
	s.mu.Unlock()
	s.cond.Broadcast()
}

// decodeSource reads a source, splits an mbox into its messages, and decodes each; decoding
// stops when ctx ends.
func decodeSource(ctx context.Context, src mailSource) []decodedMail {
	if src.skip != "" {
		return []decodedMail{{file: src.name, skip: src.skip}}
	}
	if src.err != nil {
		return []decodedMail{{file: src.name, err: src.err}}
	}
	data := src.data
	if !src.read {
		var err error
		data, err = readMailFile(src.name, src.size, src.sniff)
		if errors.Is(err, errNotMail) {
			return []decodedMail{{file: src.name, skip: skipNotMail}}
		}
		if err != nil {
			return []decodedMail{{file: src.name, err: err}}
		}
	}
	if looksLikeJSON(data) {
		if p, ok := esp.Detect(data); ok {
			return decodeEvents(src.name, p, data)
		}
		if src.sniff {
			return []decodedMail{{file: src.name, skip: skipNotMail}}
		}
	}
	msgs := dsn.SplitMbox(data)
	out := make([]decodedMail, len(msgs))
	for i, msg := range msgs {
		out[i] = decodedMail{file: src.name}
		if len(msgs) > 1 {
			out[i].index = i + 1
		}
		out[i].report, out[i].verdicts = pipeline.Decode(ctx, msg)
	}
	return out
}

// errNotMail reports a file whose content does not start like a mail.
var errNotMail = errors.New("not a mail")

// sniffBytes is how much of a file is read to decide whether it is a mail.
const sniffBytes = 4 << 10

// readMailFile reads a file of about size bytes. With sniff, it first reads the file's start
// and returns errNotMail, without reading the rest, when it does not look like a mail.
func readMailFile(name string, size int64, sniff bool) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 0, size+1) // +1: ReadAll-style reads see EOF without growing
	if sniff {
		// The start is read into buf itself: a mail goes on from there, the rest is not read.
		head := buf[:min(cap(buf), sniffBytes)]
		n, err := io.ReadFull(f, head)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if !looksLikeMail(head[:n], n == len(head)) && !looksLikeJSON(head[:n]) {
			return nil, errNotMail
		}
		buf = head[:n]
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// looksLikeMail reports whether data starts like an RFC 5322 message (§2.2): header fields,
// each a name and a colon, possibly folded onto
// continuation lines, up to a blank line or the end of data. An mbox's "From " line may come
// first. more says data is only the start of the file: a last, cut line is then accepted.
func looksLikeMail(data []byte, more bool) bool {
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) > 0 && strings.HasPrefix(lines[0], "From ") {
		lines = lines[1:]
	}
	fields := 0
	for i, l := range lines {
		cut := !strings.HasSuffix(l, "\n")
		if cut && (more || l == "") {
			break // the sniffed window ends inside this line
		}
		l = strings.TrimRight(l, "\r\n")
		if l == "" {
			break // the end of the header
		}
		if l[0] == ' ' || l[0] == '\t' {
			if i == 0 || fields == 0 {
				return false
			}
			continue
		}
		name, _, ok := strings.Cut(l, ":")
		if !ok || name == "" || len(name) > 76 {
			return false
		}
		// RFC 5322 allows any printable character but ":" in a name; real ones use letters,
		// digits, "-", "_" and ".", and so JSON ({"a": 1}) and prose are told apart.
		for j := 0; j < len(name); j++ {
			c := name[j]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return false
			}
		}
		fields++
	}
	return fields > 0
}

// knownNotMail reports whether a file name is one a mail server keeps beside the mails of a
// Maildir (index, cache, state): such files are skipped without being read.
func knownNotMail(name string) bool {
	switch name {
	case "dovecot-uidlist", "dovecot-keywords", "dovecot-uidvalidity", "dovecot.mailbox.log",
		"dovecot-acl", "dovecot-acl-list", "dovecot.list.index.log", "subscriptions", "maildirfolder",
		"maildirsize", "courierimapuiddb", "courierimapkeywords", "courierimapacl", ".DS_Store", "Thumbs.db":
		return true
	}
	for _, p := range []string{"dovecot.index", "dovecot.list.index", "dovecot-uidvalidity.", "dovecot.mailbox.log."} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// isMaildirPPFolder reports whether dir, a hidden folder, is a Maildir++ folder (.Sent,
// .Archive.2026): one with cur/ or new/ inside.
func isMaildirPPFolder(dir string) bool {
	for _, sub := range []string{"cur", "new"} {
		if fi, err := os.Stat(filepath.Join(dir, sub)); err == nil && fi.IsDir() {
			return true
		}
	}
	return false
}

// decodeOne decodes and classifies one mail, turning a panic into a problem so that one bad
// mail never stops the run.
func decodeOne(data []byte) (*dsn.Report, []classify.Verdict) {
	return pipeline.Decode(context.Background(), data)
}

// walkSources lists the inputs named by paths in order: files, directories (recursively, in
// lexical order; see decodeCommand for what is skipped), and "-" for standard input, which is
// read here.
func walkSources(ctx context.Context, paths []string, stdin io.Reader, fn func(mailSource) error) error {
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "-" {
			data, err := io.ReadAll(stdin)
			if err != nil {
				err = fmt.Errorf("read standard input: %w", err)
			}
			if err := fn(mailSource{name: "-", data: data, read: true, err: err}); err != nil {
				return err
			}
			continue
		}
		info, err := os.Stat(p)
		if err != nil || !info.IsDir() {
			src := mailSource{name: p, err: err}
			if err == nil {
				src.size = info.Size()
			}
			if err := fn(src); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, de fs.DirEntry, err error) error {
			if err != nil {
				return fn(mailSource{name: path, err: err})
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			name := de.Name()
			if de.IsDir() {
				switch {
				case path == p:
				case name == "tmp":
					return skipDir(path, skipTmp, fn)
				case strings.HasPrefix(name, ".") && !isMaildirPPFolder(path):
					return skipDir(path, skipHidden, fn)
				}
				return nil
			}
			switch {
			case knownNotMail(name):
				return fn(mailSource{name: path, skip: skipKnown})
			case !de.Type().IsRegular():
				return fn(mailSource{name: path, skip: skipNotRegul})
			}
			fi, err := de.Info()
			if err != nil {
				return fn(mailSource{name: path, err: err})
			}
			return fn(mailSource{name: path, size: fi.Size(), sniff: true})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// skipDir reports each file below dir as skipped for reason, and skips dir.
func skipDir(dir, reason string, fn func(mailSource) error) error {
	err := filepath.WalkDir(dir, func(path string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return nil
		}
		return fn(mailSource{name: path, skip: reason})
	})
	if err != nil {
		return err
	}
	return filepath.SkipDir
}

// decodeWriter prints decoded mails in one of the output formats.
type decodeWriter struct {
	format string
	out    io.Writer
	enc    *json.Encoder
	tw     *tabwriter.Writer
	n      int
}

func newDecodeWriter(format string, out io.Writer) *decodeWriter {
	w := &decodeWriter{format: format, out: out}
	switch format {
	case "jsonl":
		w.enc = json.NewEncoder(out)
		w.enc.SetEscapeHTML(false)
	case "json":
		w.enc = json.NewEncoder(out)
		w.enc.SetEscapeHTML(false)
		w.enc.SetIndent("  ", "  ")
	case "table":
		w.tw = tabwriter.NewWriter(out, 2, 8, 2, ' ', 0)
		fmt.Fprintln(w.tw, "FILE\tRECIPIENT\tACTION\tSTATUS\tREPLY\tKIND\tREASON\tSUPPRESS\tDECODED BY")
	}
	return w
}

// jsonMail is one element of `decode --format json`.
type jsonMail struct {
	File     string             `json:"file"`
	Message  int                `json:"message,omitempty"`
	Report   *dsn.Report        `json:"report"`
	Verdicts []classify.Verdict `json:"verdicts"`
}

func (w *decodeWriter) write(d decodedMail) error {
	rep := d.report
	switch w.format {
	case "json":
		if w.n == 0 {
			io.WriteString(w.out, "[\n  ")
		} else {
			io.WriteString(w.out, ",\n  ")
		}
		w.n++
		// Encode writes a trailing newline; the array punctuation above absorbs it.
		return w.enc.Encode(jsonMail{File: d.file, Message: d.index, Report: rep, Verdicts: d.verdicts})
	case "table":
		for i, r := range rep.Recipients {
			v := d.verdicts[i]
			fmt.Fprintf(w.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%v\t%s\n", textsafe.Escape(filepath.Base(d.file)), textsafe.Escape(r.Address), textsafe.Escape(string(r.Action)),
				dash(string(r.Status)), dash(string(r.Reply)), v.Kind, v.Reason, v.Suppress, rep.Format)
		}
		return nil
	default:
		for i, r := range rep.Recipients {
			v := d.verdicts[i]
			status, inferred := r.Status, false
			if status == "" && r.InferredStatus != "" {
				status, inferred = r.InferredStatus, true
			}
			rec := decodeRecord{
				File: d.file, Message: d.index, MessageID: rep.Original.MessageID,
				Recipient: r.Address, OriginalRecipient: r.OriginalAddress, FinalRecipient: r.FinalAddress,
				RecipientInferred: r.AddressInferred, Action: r.Action,
				Status: status, StatusInferred: inferred, Reply: r.Reply, Diagnostic: r.Diagnostic, RemoteMTA: r.RemoteMTA,
				ReportingMTA: rep.ReportingMTA, DecodedBy: rep.Format,
				Kind: v.Kind, Reason: v.Reason, Hard: v.Hard, Suppress: v.Suppress, Fault: v.Fault, Evidence: v.Evidence,
			}
			if err := w.enc.Encode(rec); err != nil {
				return fmt.Errorf("decode: write record: %w", err)
			}
		}
		return nil
	}
}

func (w *decodeWriter) close() error {
	switch w.format {
	case "json":
		if w.n == 0 {
			_, err := io.WriteString(w.out, "[]\n")
			return err
		}
		_, err := io.WriteString(w.out, "]\n")
		return err
	case "table":
		return w.tw.Flush()
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
