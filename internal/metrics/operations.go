package metrics

import "sync"

// operationNames bounds the operation label: the first max distinct names
// keep their own value, later ones become OtherOperation.
type operationNames struct {
	max  int
	mu   sync.RWMutex
	seen map[string]struct{}
}

func newOperationNames(max int) *operationNames {
	return &operationNames{max: max, seen: make(map[string]struct{}, max)}
}

// maxNameLen is the longest operation name kept as a label value.
const maxNameLen = 100

// label returns the label value of an operation: UnknownOperation when the
// request never got a parsed operation, AnonymousOperation for one without
// a name, the name itself while there is room, OtherOperation after that.
func (o *operationNames) label(name string, named bool) string {
	switch {
	case !named:
		return UnknownOperation
	case name == "":
		return AnonymousOperation
	case len(name) > maxNameLen:
		return OtherOperation
	}
	o.mu.RLock()
	_, ok := o.seen[name]
	o.mu.RUnlock()
	if ok {
		return name
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.seen[name]; ok {
		return name
	}
	if len(o.seen) >= o.max {
		return OtherOperation
	}
	o.seen[name] = struct{}{}
	return name
}
