# privhub — the two commands a newcomer needs are `make run` and `make test`.

GO       ?= go
DATABASE ?= sqlite:privhub.db
ADDR     ?= 127.0.0.1:8080
TESTFLAGS ?=
FUZZTIME ?= 3m

.PHONY: run build test generate migration vet bench fuzz

## run: build and serve the hub on the embedded SQLite database (demo data on first start)
run: build
	./bin/privhub serve --database '$(DATABASE)' --addr '$(ADDR)'

## build: compile the privhub binary into bin/
build:
	$(GO) build -o bin/privhub ./cmd/privhub

## test: the whole test suite, on SQLite and on PostgreSQL (skipped locally when
## PostgreSQL does not answer; required when CI=true)
test:
	$(GO) test $(TESTFLAGS) ./...

## generate: regenerate ent, entgql's schema/ent.graphql and gqlgen's code
generate:
	$(GO) generate ./...

## migration: write a versioned migration for both dialects after a schema change (NAME=what_changed)
migration:
	@test -n "$(NAME)" || (echo "usage: make migration NAME=what_changed" && exit 2)
	$(GO) run ./internal/store/migrations/generate.go '$(NAME)'

## vet: static checks
vet:
	$(GO) vet ./...

## bench: the benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: fuzz the GraphQL endpoint (FuzzGraphQL) for FUZZTIME (default 3m; the first
## minute and a half replays the seed corpus); a failing input lands in internal/server/testdata/fuzz
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzGraphQL$$' -fuzztime $(FUZZTIME) ./internal/server/
