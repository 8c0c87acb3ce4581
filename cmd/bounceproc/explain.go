package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bounceproc/bounceproc/classify"
)

func init() {
	commands = append(commands, command{
		name:    "explain",
		summary: "explain SMTP reply and enhanced status codes, or a pasted error line",
		run:     explainCommand,
	})
}

type explainOptions struct {
	format string   // text or json
	args   []string // codes, or one piece of text
}

func explainCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("explain", "[--format text|json] CODE... | \"TEXT\" | -\n\n"+
		"With codes (550, 5.1.1, 4.7.26), prints what each means, whether it is temporary and what\n"+
		"to do. With anything else, such as a pasted error line\n"+
		"(\"550 5.7.1 Service unavailable; client host blocked\"), finds the codes in it and prints\n"+
		"them with the verdict: kind, reason, hard, suppress and the evidence. With -, the text is read\n"+
		"from standard input (a pasted diagnostic that spans lines, or a log excerpt).", stderr)
	opts := explainOptions{}
	fs.StringVar(&opts.format, "format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opts.args = fs.Args()
	if len(opts.args) == 0 {
		return usagef("no CODE or TEXT given (- reads the text from standard input)")
	}
	if len(opts.args) == 1 && opts.args[0] == "-" {
		// A diagnostic or a log excerpt; a whole mail belongs to decode. The cap keeps a
		// mistaken pipe of a large file from filling memory.
		data, err := io.ReadAll(io.LimitReader(os.Stdin, explainMaxInput))
		if err != nil {
			return fmt.Errorf("explain: reading standard input: %w", err)
		}
		text := strings.Join(strings.Fields(string(data)), " ")
		if text == "" {
			return usagef("standard input is empty: nothing to explain")
		}
		opts.args = []string{text}
	}
	switch opts.format {
	case "text", "json":
	default:
		return usagef("unknown --format %q (want text or json)", opts.format)
	}
	return runExplain(ctx, opts, stdout, stderr)
}

// explainMaxInput is the most explain reads from standard input.
const explainMaxInput = 1 << 20

// explainResult is what `explain --format json` prints: the codes' meanings, and for a
// piece of text also the codes found and the verdict.
type explainResult struct {
	Text    string             `json:"text,omitempty"`
	Reply   string             `json:"reply,omitempty"`
	Status  string             `json:"status,omitempty"`
	Codes   []classify.Meaning `json:"codes"`
	Verdict *classify.Verdict  `json:"verdict,omitempty"`
}

func runExplain(_ context.Context, opts explainOptions, stdout, _ io.Writer) error {
	var res explainResult
	if codes, ok := parseCodeArgs(opts.args); ok {
		res.Codes = codes
	} else {
		text := strings.Join(opts.args, " ")
		te := classify.ExplainText(text)
		res = explainResult{Text: text, Reply: te.Reply.String(), Status: te.Status.String(), Codes: te.Codes, Verdict: &te.Verdict}
		if res.Codes == nil {
			res.Codes = []classify.Meaning{}
		}
	}
	if opts.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("explain: writing json: %w", err)
		}
		return nil
	}
	if err := writeExplainText(stdout, res); err != nil {
		return fmt.Errorf("explain: writing output: %w", err)
	}
	return nil
}

// parseCodeArgs reads the arguments as codes when every word looks like one: three digits
// (a reply code) or digit.digits.digits (an enhanced status code). A word shaped like a code
// but invalid ("599") is still explained, as not being a code. ok is false when any word is
// prose, and the arguments are then taken as text.
func parseCodeArgs(args []string) (codes []classify.Meaning, ok bool) {
	for _, a := range args {
		for _, field := range strings.Fields(a) {
			switch {
			case codeShaped(field, true):
				codes = append(codes, classify.ExplainStatus(classify.Status(field)))
			case codeShaped(field, false):
				codes = append(codes, classify.ExplainReply(classify.ReplyCode(field)))
			default:
				return nil, false
			}
		}
	}
	return codes, len(codes) > 0
}

// codeShaped reports whether s looks like an enhanced status code (dotted) or a reply code.
func codeShaped(s string, dotted bool) bool {
	if !dotted {
		return len(s) == 3 && strings.Trim(s, "0123456789") == ""
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

func writeExplainText(w io.Writer, res explainResult) error {
	var b strings.Builder
	if res.Text != "" {
		fmt.Fprintf(&b, "text: %s\n", res.Text)
		if len(res.Codes) == 0 {
			b.WriteString("codes: none found\n")
		}
		b.WriteString("\n")
	}
	for i, m := range res.Codes {
		if i > 0 {
			b.WriteString("\n")
		}
		tp := "permanent"
		switch {
		case m.Temporary:
			tp = "temporary"
		case strings.HasPrefix(m.Code, "2"), strings.HasPrefix(m.Code, "3"):
			tp = "not a failure"
		}
		fmt.Fprintf(&b, "%s  %s (%s)\n", m.Code, m.Summary, tp)
		if m.Inferred {
			b.WriteString("   (not a registered code: read from its digits)\n")
		}
		fmt.Fprintf(&b, "   meaning: %s\n", m.Explanation)
		fmt.Fprintf(&b, "   advice:  %s\n", m.Advice)
	}
	if v := res.Verdict; v != nil {
		if len(res.Codes) > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "verdict: kind=%s reason=%s hard=%t suppress=%t fault=%s\n",
			v.Kind, v.Reason, v.Hard, v.Suppress, v.Fault)
		for _, e := range v.Evidence {
			fmt.Fprintf(&b, "   evidence: %s\n", e)
		}
		fmt.Fprintf(&b, "   meaning: %s\n", v.Explanation)
		fmt.Fprintf(&b, "   advice:  %s\n", v.Advice)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
