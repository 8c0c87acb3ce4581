//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main explains how to build the command: it only runs in a browser. The decoding itself
// (decode.go) builds and is tested on every platform.
func main() {
	fmt.Fprintln(os.Stderr, "cmd/wasm runs in the browser: build it with GOOS=js GOARCH=wasm (make wasm)")
	os.Exit(2)
}
