//go:build !unix

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// tryLock creates path exclusively; errStoreBusy if it exists. Unlike flock, a crashed run
// leaves the file behind, and it must be removed by hand.
func tryLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, errStoreBusy
	}
	if err != nil {
		return nil, fmt.Errorf("run: lock file: %w", err)
	}
	return func() {
		f.Close()
		os.Remove(path)
	}, nil
}
