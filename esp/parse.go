package esp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

var errTrailing = errors.New("data after the JSON value")

// Parse reads the events of one provider from data: a JSON object, a JSON array of them, or
// JSON values one after another (JSON Lines), as the provider's webhook posts them, at most
// MaxEvents. Signatures are not checked here. An error wraps ErrBadInput and says which value
// is wrong; no events are returned with it.
func Parse(p Provider, data []byte) ([]Event, error) {
	return parse(p, data, MaxEvents)
}

// ParseFile reads events as Parse does, with no cap on their number: for a file of them (a
// backfill), whose size its reader bounds.
func ParseFile(p Provider, data []byte) ([]Event, error) {
	return parse(p, data, -1)
}

func parse(p Provider, data []byte, limit int) ([]Event, error) {
	switch p {
	case SES:
		return parseSES(data, limit)
	case SendGrid:
		return parseSendGrid(data, limit)
	case Postmark:
		return parsePostmark(data, limit)
	case Mailgun:
		return parseMailgun(data, limit)
	}
	return nil, fmt.Errorf("esp: unknown provider %q", p)
}

// parseMany splits data into its JSON values (the elements of a top-level array, or a
// sequence of values) and parses each with one; where names the value in errors.
// At most limit events are read (none when limit is negative).
func parseMany(data []byte, limit int, what string, one func(raw json.RawMessage, where string) ([]Event, error)) ([]Event, error) {
	values, err := splitValues(data, what, limit)
	if err != nil {
		return nil, err
	}
	var out []Event
	for i, v := range values {
		where := what
		if len(values) > 1 {
			where = fmt.Sprintf("%s %d", what, i+1)
		}
		evs, err := one(v, where)
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
		if limit >= 0 && len(out) > limit {
			return nil, badInput("more than %d events in one body", limit)
		}
	}
	return out, nil
}

// splitValues returns the JSON objects data holds: the elements of a top-level array, or the
// values one after another.
func splitValues(data []byte, what string, limit int) ([]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, badInput("empty body: want a %s (JSON)", what)
	}
	var values []json.RawMessage
	if trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &values); err != nil {
			return nil, badInput("not a JSON array of %ss: %v", what, jsonError(err))
		}
		if len(values) == 0 {
			return nil, badInput("an empty JSON array: no %s", what)
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		for {
			var v json.RawMessage
			err := dec.Decode(&v)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, badInput("not JSON: want a %s: %v", what, jsonError(err))
			}
			values = append(values, v)
			if limit >= 0 && len(values) > limit {
				return nil, badInput("more than %d events in one body", limit)
			}
		}
	}
	if limit >= 0 && len(values) > limit {
		return nil, badInput("%d values in one body (at most %d)", len(values), limit)
	}
	for i, v := range values {
		if t := bytes.TrimSpace(v); len(t) == 0 || t[0] != '{' {
			return nil, badInput("value %d is not a JSON object: want a %s", i+1, what)
		}
	}
	return values, nil
}

// jsonError shortens a JSON error for a message.
func jsonError(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	return err.Error()
}

// Detect says which provider's events data holds, by their shape: SNS messages and SES
// notifications, SendGrid's events (sg_event_id), Postmark's (RecordType) and Mailgun's
// (event-data, or the signature and event of a webhook). ok is false for anything else,
// including JSON that is no provider's.
func Detect(data []byte) (p Provider, ok bool) {
	values, err := splitValues(data, "event", -1)
	if err != nil {
		return "", false
	}
	var probe struct {
		Type             string          `json:"Type"`
		TopicArn         string          `json:"TopicArn"`
		NotificationType string          `json:"notificationType"`
		EventType        string          `json:"eventType"`
		Mail             json.RawMessage `json:"mail"`
		SGEventID        string          `json:"sg_event_id"`
		SGMessageID      string          `json:"sg_message_id"`
		RecordType       string          `json:"RecordType"`
		EventData        json.RawMessage `json:"event-data"`
		Event            string          `json:"event"`
		Recipient        string          `json:"recipient"`
		ID               json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(values[0], &probe); err != nil {
		return "", false
	}
	switch {
	case probe.Type != "" && probe.TopicArn != "":
		return SES, true
	case (probe.NotificationType != "" || probe.EventType != "") && len(probe.Mail) > 0:
		return SES, true
	case probe.SGEventID != "" || probe.SGMessageID != "":
		return SendGrid, true
	case probe.RecordType != "":
		return Postmark, true
	case len(probe.EventData) > 0:
		return Mailgun, true
	case probe.Event != "" && probe.Recipient != "" && len(probe.ID) > 0:
		return Mailgun, true
	}
	return "", false
}
