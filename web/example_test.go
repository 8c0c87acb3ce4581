package web_test

import (
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/bounceproc/bounceproc/web"
)

// Serve the page with the module that `make web` built into dist/web.
func ExampleHandler() {
	h, err := web.Handler(os.DirFS("dist/web"))
	if errors.Is(err, web.ErrNotBuilt) {
		fmt.Println("run `make web` first")
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	http.ListenAndServe("127.0.0.1:8080", h)
}
