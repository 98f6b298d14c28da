// Command gqlcodegen runs gqlgen on gqlgen.yml, as `gqlgen generate` does,
// with one change to the executor it writes: fields and list elements are
// resolved one after the other instead of each in its own goroutine.
//
// The hub's resolvers rarely wait: entgql's field collection and the
// holder cache load what a page needs in a fixed number of queries before
// its fields are resolved, so a goroutine per field, object and list
// element buys no parallelism and costs its start and stack growth on
// every row. On the peer benchmark's vendor page (50 vendors with their
// contracts and transfers, about 300 KB) it was a third of the server's
// CPU.
//
// Fields are made sequential through gqlgen's own switch (the one it uses
// for mutations); lists, which gqlgen always marshals concurrently, by
// pointing the written executor at graph's marshalSlice, which has the
// same signature. With fields in order, the group gqlgen prepares for
// @defer'd fields on every object (its path computed, a field set and a
// map allocated) is never filled: it is left empty, and a @defer'd fragment
// is answered in the initial payload, as the incremental delivery proposal
// lets a server do.
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

// sequential is the gqlgen plugin that turns concurrent field resolution off.
type sequential struct{}

// Name names the plugin.
func (sequential) Name() string { return "sequential" }

// GenerateCode marks every object as resolved without concurrency before
// the executor is written.
func (sequential) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		o.DisableConcurrency = true
	}
	return nil
}

func main() {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loading gqlgen.yml:", err)
		os.Exit(2)
	}
	if err := api.Generate(cfg, api.AddPlugin(sequential{})); err != nil {
		fmt.Fprintln(os.Stderr, "generating the GraphQL executor:", err)
		os.Exit(3)
	}
	if err := sequentialLists(cfg.Exec.Filename); err != nil {
		fmt.Fprintln(os.Stderr, "rewriting the GraphQL executor:", err)
		os.Exit(4)
	}
}

// sequentialLists points the executor in file at marshalSlice for lists
// and leaves its deferred groups empty.
func sequentialLists(file string) error {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	for _, r := range []struct{ from, to string }{
		{"graphql.MarshalSliceConcurrently(", "marshalSlice("},
		{"deferred := graphql.NewDeferredGroup(ctx)", "var deferred graphql.DeferredGroup // never filled: fields resolve in order"},
	} {
		if !bytes.Contains(src, []byte(r.from)) {
			return fmt.Errorf("%s has no %q: has gqlgen changed?", file, r.from)
		}
		src = bytes.ReplaceAll(src, []byte(r.from), []byte(r.to))
	}
	return os.WriteFile(file, src, 0o644)
}
