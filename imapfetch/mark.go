package imapfetch

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
)

// MarkAction is what to do with a mail once its result is safely stored.
type MarkAction string

// The mark actions. The zero value leaves the mail as it is.
const (
	MarkNone   MarkAction = ""       // leave the mail in place
	MarkMove   MarkAction = "move"   // move it to Mark.Folder
	MarkFlag   MarkAction = "flag"   // add the keyword Mark.Keyword
	MarkDelete MarkAction = "delete" // set \Deleted and expunge it
)

// String returns the action's name, "none" for the zero value.
func (a MarkAction) String() string {
	if a == MarkNone {
		return "none"
	}
	return string(a)
}

// Mark says how to mark a processed mail.
type Mark struct {
	Action  MarkAction
	Folder  string // for MarkMove
	Keyword string // for MarkFlag
}

// DefaultKeyword is the keyword MarkFlag sets when none is given.
const DefaultKeyword = "$BounceProcessed"

// String describes the mark for logs and dry runs.
func (m Mark) String() string {
	switch m.Action {
	case MarkMove:
		return "move to " + m.Folder
	case MarkFlag:
		return "flag " + m.keyword()
	case MarkDelete:
		return "delete"
	}
	return "leave in place"
}

func (m Mark) keyword() string {
	if m.Keyword == "" {
		return DefaultKeyword
	}
	return m.Keyword
}

// Validate checks that the mark can be carried out: a folder to move to, a keyword that is an
// IMAP atom (RFC 3501 §9 flag-keyword).
func (m Mark) Validate() error {
	switch m.Action {
	case MarkNone, MarkDelete:
		return nil
	case MarkMove:
		if strings.TrimSpace(m.Folder) == "" {
			return errors.New("imapfetch: move needs a folder name")
		}
		return nil
	case MarkFlag:
		k := m.keyword()
		if strings.HasPrefix(k, `\`) || strings.ContainsFunc(k, func(r rune) bool {
			return r <= ' ' || r >= 0x7f || strings.ContainsRune(`(){%*"\]`, r)
		}) {
			return fmt.Errorf("imapfetch: %q is not a valid IMAP keyword", k)
		}
		return nil
	}
	return fmt.Errorf("imapfetch: unknown mark action %q", m.Action)
}

// Apply marks the mails with these UIDs in the selected mailbox. It is idempotent: UIDs that
// are gone already are skipped by the server. It reconnects if needed.
func (c *Client) Apply(ctx context.Context, m Mark, uids []uint32) error {
	if len(uids) == 0 || m.Action == MarkNone {
		return nil
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return c.retry(ctx, func() error { return c.applyOnce(ctx, m, uids) })
}

func (c *Client) applyOnce(ctx context.Context, m Mark, uids []uint32) error {
	if c.selected == "" {
		return errors.New("imapfetch: no mailbox selected")
	}
	set := uidSet(uids)
	switch m.Action {
	case MarkMove:
		// Only what is still there: marking is repeated after a crash, and some servers
		// answer a MOVE of vanished UIDs with a malformed COPYUID. (A UID STORE or UID
		// EXPUNGE skips vanished UIDs by itself, RFC 3501 §6.4.8, so flags and deletes go
		// without this extra round trip.)
		var err error
		if uids, err = c.existing(ctx, uids); err != nil || len(uids) == 0 {
			return err
		}
		set = uidSet(uids)
		if err := c.ensureFolder(ctx, m.Folder); err != nil {
			return err
		}
		if c.ic.Caps().Has(imap.CapMove) {
			done := c.guard(ctx)
			_, err := c.ic.Move(set, m.Folder).Wait()
			done()
			if err != nil {
				return fmt.Errorf("imapfetch: move %d mails from %q to %q: %w", len(uids), c.selected, m.Folder, c.connErr(ctx, err))
			}
			return nil
		}
		// No MOVE (RFC 6851 §3.3): COPY, then delete the originals.
		done := c.guard(ctx)
		_, err = c.ic.Copy(set, m.Folder).Wait()
		done()
		if err != nil {
			return fmt.Errorf("imapfetch: copy %d mails from %q to %q: %w", len(uids), c.selected, m.Folder, c.connErr(ctx, err))
		}
		return c.expunge(ctx, set)
	case MarkFlag:
		done := c.guard(ctx)
		err := c.ic.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.Flag(m.keyword())}}, nil).Close()
		done()
		if err != nil {
			return fmt.Errorf("imapfetch: flag %d mails in %q with %s: %w", len(uids), c.selected, m.keyword(), c.connErr(ctx, err))
		}
		return nil
	case MarkDelete:
		return c.expunge(ctx, set)
	}
	return nil
}

// existing returns those of uids that are in the selected mailbox.
func (c *Client) existing(ctx context.Context, uids []uint32) ([]uint32, error) {
	done := c.guard(ctx)
	data, err := c.ic.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{uidSet(uids)}}, nil).Wait()
	done()
	if err != nil {
		return nil, fmt.Errorf("imapfetch: search %q: %w", c.selected, c.connErr(ctx, err))
	}
	var out []uint32
	for _, u := range data.AllUIDs() {
		out = append(out, uint32(u))
	}
	return out, nil
}

// expunge sets \Deleted on the set and removes exactly those mails with UID EXPUNGE (RFC 4315
// §2.1). Without UIDPLUS a plain EXPUNGE would also remove mails someone else marked \Deleted,
// so it is refused.
func (c *Client) expunge(ctx context.Context, set imap.UIDSet) error {
	if !c.ic.Caps().Has(imap.CapUIDPlus) && !c.ic.Caps().Has(imap.CapIMAP4rev2) {
		return fmt.Errorf("imapfetch: server lacks UIDPLUS: cannot remove only our mails from %q (use a keyword flag instead)", c.selected)
	}
	done := c.guard(ctx)
	err := c.ic.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close()
	if err == nil {
		err = c.ic.UIDExpunge(set).Close()
	}
	done()
	if err != nil {
		return fmt.Errorf("imapfetch: expunge mails from %q: %w", c.selected, c.connErr(ctx, err))
	}
	return nil
}

// EnsureFolder creates the folder unless it exists, so that a run can find a destination it
// cannot create before it fetches anything.
func (c *Client) EnsureFolder(ctx context.Context, name string) error {
	return c.ensureFolder(ctx, name)
}

// ensureFolder creates the folder unless it exists.
func (c *Client) ensureFolder(ctx context.Context, name string) error {
	if c.folders[name] {
		return nil
	}
	done := c.guard(ctx)
	_, err := c.ic.Status(name, &imap.StatusOptions{NumMessages: true}).Wait()
	done()
	if err != nil {
		if err = c.connErr(ctx, err); IsConnectionLost(err) {
			return err
		}
		done := c.guard(ctx)
		err = c.ic.Create(name, nil).Wait()
		done()
		var ie *imap.Error
		if err != nil && !(errors.As(err, &ie) && ie.Code == imap.ResponseCodeAlreadyExists) {
			return fmt.Errorf("imapfetch: create folder %q: %w", name, c.connErr(ctx, err))
		}
		c.log.Info("imap folder created", "folder", name)
	}
	c.folders[name] = true
	return nil
}
