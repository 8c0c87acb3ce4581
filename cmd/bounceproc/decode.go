package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
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
}

func decodeCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("decode", "[--format jsonl|json|table] [--workers N] PATH...\n\n"+
		"Decodes each mail and prints one record per reported recipient. PATH is a file, a directory\n"+
		"(walked recursively, Maildir cur/ and new/ included), an mbox file, or - for standard input.", stderr)
	opts := decodeOptions{stdin: os.Stdin}
	fs.StringVar(&opts.format, "format", "jsonl", "output format: jsonl, json or table")
	fs.IntVar(&opts.workers, "workers", runtime.GOMAXPROCS(0), "mails decoded in parallel")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opts.paths = fs.Args()
	if len(opts.paths) == 0 {
		return usagef("no PATH given")
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
}

func runDecode(ctx context.Context, opts decodeOptions, stdout, stderr io.Writer) error {
	defer tuneGC()()
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	w := newDecodeWriter(opts.format, out)
	problems := 0
	err := decodeStream(ctx, opts, func(d decodedMail) error {
		name := d.file
		if d.index > 0 {
			name = fmt.Sprintf("%s#%d", d.file, d.index)
		}
		if d.err != nil {
			problems++
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
	if err != nil {
		return err
	}
	if problems > 0 {
		return fmt.Errorf("%d mail(s) had problems: %w", problems, errProblems)
	}
	return nil
}

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
	for range workers {
		go func() {
			for j := range jobs {
				j.done <- decodeSource(ctx, j.src)
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
// error met while listing.
type mailSource struct {
	name string
	data []byte
	read bool // data holds the content; otherwise name is read
	err  error
}

// decodeSource reads a source, splits an mbox into its messages, and decodes each; decoding
// stops when ctx ends.
func decodeSource(ctx context.Context, src mailSource) []decodedMail {
	if src.err != nil {
		return []decodedMail{{file: src.name, err: src.err}}
	}
	data := src.data
	if !src.read {
		var err error
		if data, err = os.ReadFile(src.name); err != nil {
			return []decodedMail{{file: src.name, err: err}}
		}
	}
	msgs := dsn.SplitMbox(data)
	out := make([]decodedMail, len(msgs))
	for i, msg := range msgs {
		out[i] = decodedMail{file: src.name}
		if len(msgs) > 1 {
			out[i].index = i + 1
		}
		out[i].report, out[i].verdicts = decodeContext(ctx, msg)
	}
	return out
}

// decodeOne decodes and classifies one mail, turning a panic into a problem so that one bad
// mail never stops the run.
func decodeOne(data []byte) (*dsn.Report, []classify.Verdict) {
	return decodeContext(context.Background(), data)
}

// walkSources lists the inputs named by paths in order: files, directories (recursively, in
// lexical order; Maildir tmp/ and hidden entries skipped), and "-" for standard input, which
// is read here.
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
			if err := fn(mailSource{name: p, err: err}); err != nil {
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
				// Maildir's tmp/ holds mails still being written.
				if path != p && (strings.HasPrefix(name, ".") || name == "tmp") {
					return filepath.SkipDir
				}
				return nil
			}
			if !looksLikeMailFile(name) {
				return nil
			}
			return fn(mailSource{name: path})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// looksLikeMailFile skips the files a directory of mails often holds besides mails.
func looksLikeMailFile(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".tsv", ".csv", ".md", ".go", ".txt", ".db", ".gz", ".zip", ".html", ".js", ".py", ".sh", ".yaml", ".yml":
		return false
	}
	return true
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
			fmt.Fprintf(w.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%v\t%s\n", filepath.Base(d.file), r.Address, r.Action,
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
				Recipient: r.Address, OriginalRecipient: r.OriginalAddress, Action: r.Action,
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
