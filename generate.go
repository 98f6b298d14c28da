// Package privhub is the root of privhub, a GraphQL personal-data hub. This
// file only drives code generation: ent and entgql first, then gqlgen.
package privhub

//go:generate go run ./ent/entc.go
//go:generate go run ./internal/gqlcodegen
