//go:build ignore

// rehash rewrites the atlas.sum of migration directories after a migration
// was edited by hand: go run ./internal/store/migrations/rehash.go DIR...
package main

import (
	"log"
	"os"

	"ariga.io/atlas/sql/migrate"
)

func main() {
	for _, p := range os.Args[1:] {
		dir, err := migrate.NewLocalDir(p)
		if err != nil {
			log.Fatal(err)
		}
		sum, err := dir.Checksum()
		if err != nil {
			log.Fatal(err)
		}
		if err := migrate.WriteSumFile(dir, sum); err != nil {
			log.Fatal(err)
		}
	}
}
