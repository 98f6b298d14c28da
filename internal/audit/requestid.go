package audit

import (
	"crypto/rand"
	"encoding/hex"
)

// MaxRequestIDLen is the longest request ID accepted from a client.
const MaxRequestIDLen = 64

// NewRequestID returns a fresh random request ID: 24 hexadecimal digits.
func NewRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// ValidRequestID reports whether id, typically from a client's X-Request-Id
// header, is fit to be recorded: 1 to MaxRequestIDLen characters of
// [A-Za-z0-9._-].
func ValidRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}
