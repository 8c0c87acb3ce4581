package dsn_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bounceproc/bounceproc/classify"
	"github.com/bounceproc/bounceproc/dsn"
	"github.com/bounceproc/bounceproc/internal/testutil"
)

// goldenView is what a golden file holds for one sample: the report's stable parts and the
// verdict for each recipient.
type goldenView struct {
	Kind         dsn.Kind          `json:"kind"`
	DecodedBy    string            `json:"decoded_by"`
	ReportingMTA string            `json:"reporting_mta,omitempty"`
	Original     dsn.Original      `json:"original"`
	Feedback     *dsn.Feedback     `json:"feedback,omitempty"`
	Recipients   []goldenRecipient `json:"recipients"`
	Problems     []dsn.ProblemCode `json:"problems,omitempty"`
}

type goldenRecipient struct {
	Recipient      string             `json:"recipient"`
	Original       string             `json:"original_recipient,omitempty"`
	Final          string             `json:"final_recipient,omitempty"`
	Inferred       bool               `json:"address_inferred,omitempty"`
	Action         classify.Action    `json:"action"`
	Status         classify.Status    `json:"status"`
	FieldStatus    classify.Status    `json:"field_status,omitempty"`
	TextStatus     classify.Status    `json:"text_status,omitempty"`
	InferredStatus classify.Status    `json:"inferred_status,omitempty"`
	Reply          classify.ReplyCode `json:"reply_code"`
	Diagnostic     string             `json:"diagnostic"`
	RemoteMTA      string             `json:"remote_mta,omitempty"`
	Kind           classify.Kind      `json:"kind"`
	Reason         classify.Reason    `json:"reason"`
	Hard           bool               `json:"hard"`
	Suppress       bool               `json:"suppress"`
}

func view(rep *dsn.Report) []byte {
	v := goldenView{
		Kind: rep.Kind, DecodedBy: rep.Format, ReportingMTA: rep.ReportingMTA,
		Original: rep.Original, Feedback: rep.Feedback, Recipients: []goldenRecipient{},
	}
	if v.Feedback != nil {
		fb := *v.Feedback
		fb.Fields = nil
		v.Feedback = &fb
	}
	for i := range rep.Recipients {
		r := &rep.Recipients[i]
		vd := classify.Classify(r.Facts(rep))
		v.Recipients = append(v.Recipients, goldenRecipient{
			Recipient: r.Address, Original: r.OriginalAddress, Final: r.FinalAddress, Inferred: r.AddressInferred, Action: r.Action,
			Status: r.Status, FieldStatus: r.FieldStatus, TextStatus: r.TextStatus, InferredStatus: r.InferredStatus,
			Reply: r.Reply, Diagnostic: r.Diagnostic, RemoteMTA: r.RemoteMTA,
			Kind: vd.Kind, Reason: vd.Reason, Hard: vd.Hard, Suppress: vd.Suppress,
		})
	}
	for _, p := range rep.Problems {
		v.Problems = append(v.Problems, p.Code)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// TestGolden decodes and classifies every sample under testdata/eml and compares the result
// with the sample's .golden.json; each sample is decoded again with its line endings
// swapped and must give the same result.
func TestGolden(t *testing.T) {
	samples := testutil.Samples(t)
	if len(samples) == 0 {
		t.Fatal("no samples under testdata/eml")
	}
	for _, path := range samples {
		rel, _ := filepath.Rel(filepath.Join(testutil.Root(), "testdata", "eml"), path)
		t.Run(rel, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := dsn.Parse(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := view(rep)
			testutil.Golden(t, strings.TrimSuffix(path, ".eml")+".golden.json", got)

			swapped, err := dsn.Parse(bytes.NewReader(testutil.SwapLineEndings(raw)))
			if err != nil {
				t.Fatalf("Parse with swapped line endings: %v", err)
			}
			if g2 := view(swapped); !bytes.Equal(got, g2) {
				t.Errorf("line endings change the result:\n%s\nvs\n%s", got, g2)
			}

			dir := filepath.Base(filepath.Dir(path))
			switch dir {
			case "not-bounce":
				for i := range rep.Recipients {
					if v := classify.Classify(rep.Recipients[i].Facts(rep)); v.Suppress {
						t.Errorf("ordinary mail suppresses %s", rep.Recipients[i].Address)
					}
				}
				if rep.Kind != dsn.KindNotBounce {
					t.Errorf("kind = %s, want %s", rep.Kind, dsn.KindNotBounce)
				}
			case "malformed":
				if len(rep.Problems) == 0 {
					t.Errorf("damaged sample produced no problem")
				}
			default:
				if len(rep.Recipients) == 0 {
					t.Errorf("sample yields no recipient")
				}
			}
		})
	}
}
