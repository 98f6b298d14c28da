package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Write writes m as YAML.
func Write(w io.Writer, m *Manifest) error {
	b, err := yaml.MarshalWithOptions(m, yaml.IndentSequence(true))
	if err != nil {
		return fmt.Errorf("writing the manifest: %w", err)
	}
	_, err = w.Write(b)
	return err
}

// Source is a manifest read from files, with the YAML trees that locate
// each of its entries.
type Source struct {
	Manifest *Manifest
	files    []*sourceFile
	origins  map[string][]origin // by section name, one per entry
}

type sourceFile struct {
	name string
	tree *ast.File
}

type origin struct {
	file  *sourceFile
	index int
}

// Error is a manifest error at a place in a file.
type Error struct {
	File         string
	Line, Column int
	Msg          string
}

// Error returns "file:line:col: message".
func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Load reads a manifest from a YAML file, or from every .yaml and .yml file
// of a directory in name order, strictly: an unknown field or a value of the
// wrong type is an *Error with its file, line and column.
func Load(path string) (*Source, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("reading the manifest: %w", err)
	}
	paths := []string{path}
	if info.IsDir() {
		paths = nil
		for _, pat := range []string{"*.yaml", "*.yml"} {
			ms, _ := filepath.Glob(filepath.Join(path, pat))
			paths = append(paths, ms...)
		}
		sort.Strings(paths)
	}
	src := &Source{Manifest: &Manifest{}, origins: map[string][]origin{}}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading the manifest: %w", err)
		}
		if err := src.add(p, data); err != nil {
			return nil, err
		}
	}
	return src, nil
}

// Parse reads a manifest from YAML text; name is the file name errors give.
func Parse(name string, data []byte) (*Source, error) {
	src := &Source{Manifest: &Manifest{}, origins: map[string][]origin{}}
	if err := src.add(name, data); err != nil {
		return nil, err
	}
	return src, nil
}

func (s *Source) add(name string, data []byte) error {
	tree, err := parser.ParseBytes(data, 0)
	if err != nil {
		return positioned(name, err)
	}
	var m Manifest
	if err := yaml.NewDecoder(bytes.NewReader(data), yaml.Strict()).Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		return positioned(name, err)
	}
	f := &sourceFile{name: name, tree: tree}
	s.files = append(s.files, f)
	note := func(section string, n int) {
		for i := range n {
			s.origins[section] = append(s.origins[section], origin{file: f, index: i})
		}
	}
	t := s.Manifest
	note("organizations", len(m.Organizations))
	t.Organizations = append(t.Organizations, m.Organizations...)
	note("categories", len(m.Categories))
	t.Categories = append(t.Categories, m.Categories...)
	note("purposes", len(m.Purposes))
	t.Purposes = append(t.Purposes, m.Purposes...)
	note("retentionRules", len(m.RetentionRules))
	t.RetentionRules = append(t.RetentionRules, m.RetentionRules...)
	note("vendors", len(m.Vendors))
	t.Vendors = append(t.Vendors, m.Vendors...)
	note("contracts", len(m.Contracts))
	t.Contracts = append(t.Contracts, m.Contracts...)
	note("transfers", len(m.Transfers))
	t.Transfers = append(t.Transfers, m.Transfers...)
	note("measures", len(m.Measures))
	t.Measures = append(t.Measures, m.Measures...)
	return nil
}

// positioned turns a go-yaml error into an *Error at its token.
func positioned(name string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		p := ye.GetToken().Position
		return &Error{File: name, Line: p.Line, Column: p.Column, Msg: ye.GetMessage()}
	}
	return &Error{File: name, Msg: err.Error()}
}

// at locates entry index of section, then the field path under it (e.g.
// "country" or "parties[1].holder"), falling back to the entry itself.
func (s *Source) at(section string, index int, field, msg string) error {
	if s == nil || index >= len(s.origins[section]) {
		return &Error{File: "manifest", Msg: fmt.Sprintf("%s[%d].%s: %s", section, index, field, msg)}
	}
	o := s.origins[section][index]
	for _, q := range []string{fmt.Sprintf("$.%s[%d].%s", section, o.index, field), fmt.Sprintf("$.%s[%d]", section, o.index)} {
		p, err := yaml.PathString(q)
		if err != nil {
			continue
		}
		node, err := p.FilterFile(o.file.tree)
		if err != nil || node == nil {
			continue
		}
		pos := node.GetToken().Position
		return &Error{File: o.file.name, Line: pos.Line, Column: pos.Column, Msg: msg}
	}
	return &Error{File: o.file.name, Msg: fmt.Sprintf("%s[%d].%s: %s", section, o.index, field, msg)}
}
