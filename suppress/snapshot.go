package suppress

import (
	"context"
	"fmt"
)

// CopyTo writes a copy of the store, as of one moment, to a new file at path (which must not
// exist): a dry run records into the copy what the real run would record into the store, each
// transaction seeing the ones before it, and throws the copy away.
func (s *SQLite) CopyTo(ctx context.Context, path string) error {
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("suppress: copy %s to %s: %w", s.path, path, describe(err))
	}
	return nil
}
