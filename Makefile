# Thin targets; the logic lives in Go. Run any of them by hand.
GO      ?= go
CORPUS  ?= ../shared/corpus/dev
FUZZTIME ?= 600000x
# FuzzParseCost measures each input's allocations: far fewer executions a second.
FUZZCOSTTIME ?= 20000x
WASMEXEC := $(shell $(GO) env GOROOT)/lib/wasm/wasm_exec.js

.PHONY: build test lab lint wasm web demo golden fuzz bench score clean

# The page's module is built first: the binary embeds it (web/built), so `bounceproc serve`
# needs nothing else. A plain `go build` without it still works and serves a page that says so.
build: wasm
	$(GO) build -o bin/bounceproc ./cmd/bounceproc

# What CI runs: race detector on, real Dovecot, SQLite and Chromium, the corpus when present,
# and the bounce lab when run as root with the MTAs installed (-parallel 3: one per MTA).
test:
	BOUNCE_CORPUS=$(abspath $(CORPUS)) $(GO) test -race -count=1 -parallel 3 ./...

# The bounce lab: real Postfix, Exim and OpenSMTPD on loopback, as root (.ci/run installs
# them). -parallel 3 runs the MTAs side by side; the queue lifetimes are a minute.
# `make lab LABFLAGS=-lab.save` writes the sample bounces, then `make golden` their goldens.
lab:
	$(GO) test -count=1 -parallel 3 -timeout 10m ./lab/ $(LABFLAGS)

lint:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo 'gofmt: files above need formatting'; exit 1; }
	$(GO) vet ./...
	staticcheck ./...
	GOOS=js GOARCH=wasm $(GO) vet ./classify/... ./dsn/... ./cmd/wasm/...

wasm:
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o web/built/bounceproc.wasm ./cmd/wasm
	cp $(WASMEXEC) web/built/wasm_exec.js
	@ls -l web/built/bounceproc.wasm | awk '{printf "web/built/bounceproc.wasm: %d bytes\n", $$5}'
	@gzip -9c web/built/bounceproc.wasm | wc -c | awk '{printf "gzip -9: %d bytes\n", $$1}'

# A static folder any host can serve: the page, the module and its JS glue (the page carries
# its Content-Security-Policy in a meta element). `bounceproc serve` serves the same files.
web: wasm
	rm -rf dist/web && mkdir -p dist/web
	cp web/index.html web/style.css web/app.js web/worker.js web/examples.js web/built/bounceproc.wasm web/built/wasm_exec.js dist/web/

demo:
	$(GO) run ./cmd/bounceproc demo

golden:
	$(GO) test ./dsn/ ./cmd/bounceproc/ -run Golden -update

# FUZZTIME counts executions (Nx, ~25,000 a second here), not seconds: with a time limit, go
# test's fuzzing coordinator can see its deadline pass before its workers' context is cancelled
# and then reports "context deadline exceeded" as a failure (seen in CI and in a local run).
# -fuzzminimizetime caps how long a new input is minimised (the default is 60 s).
fuzz:
	$(GO) test ./dsn/ -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2000x
	$(GO) test ./dsn/ -run '^$$' -fuzz '^FuzzParseCost$$' -fuzztime $(FUZZCOSTTIME) -fuzzminimizetime 200x

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# SCORE_MIN holds thresholds for the scorer (CI passes the floors it must not fall below).
score: build
	bin/bounceproc decode --format jsonl $(CORPUS) > bin/corpus.jsonl 2> bin/corpus.problems || test $$? -eq 3
	python3 $(CORPUS)/../score $(CORPUS)/expected.tsv bin/corpus.jsonl $(SCORE_MIN)

clean:
	rm -rf bin dist demo-out web/built/bounceproc.wasm web/built/wasm_exec.js
