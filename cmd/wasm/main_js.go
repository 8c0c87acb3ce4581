//go:build js && wasm

package main

import "syscall/js"

func main() {
	register()
	select {} // serve calls until the page goes away
}

// register sets globalThis.bounceproc = {decode}.
func register() {
	js.Global().Set("bounceproc", js.ValueOf(map[string]any{
		"decode": js.FuncOf(jsDecode),
	}))
}

// jsDecode is bounceproc.decode: one argument, a string or a Uint8Array; a JSON string back.
func jsDecode(_ js.Value, args []js.Value) any {
	if len(args) != 1 {
		return string(errorJSON("bounceproc.decode takes one argument: the mail or error line"))
	}
	v := args[0]
	switch {
	case v.Type() == js.TypeString:
		return string(decodeJSON([]byte(v.String())))
	case v.InstanceOf(js.Global().Get("Uint8Array")):
		b := make([]byte, v.Length())
		js.CopyBytesToGo(b, v)
		return string(decodeJSON(b))
	}
	return string(errorJSON("bounceproc.decode takes a string or a Uint8Array, not " + v.Type().String()))
}
