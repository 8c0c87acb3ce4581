//go:build race

package dsn

// raceEnabled reports whether the race detector is on: it makes sync.Pool drop a quarter of
// what is put back, on purpose, so allocation counts vary from run to run.
const raceEnabled = true
