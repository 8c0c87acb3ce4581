//go:build !unix

package testutil

import "time"

// SelfCPU is not measured on this system: it returns 0.
func SelfCPU() time.Duration { return 0 }
