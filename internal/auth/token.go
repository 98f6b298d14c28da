package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// TokenPrefix starts every privhub API token, so that a token pasted in the
// wrong place (a log, a repository) is easy to recognise and to scan for.
const TokenPrefix = "phk_"

// secretBytes is the entropy of a token: 256 random bits.
const secretBytes = 32

// hintLen is how many characters of the secret, after the prefix, the hint
// keeps to recognise a token by.
const hintLen = 8

// tokenLen is the length of a well-formed token: the prefix and the 32-byte
// secret in unpadded base64url (43 characters).
const tokenLen = len(TokenPrefix) + (secretBytes*8+5)/6

// newToken returns a fresh token: the prefix and 32 random bytes in
// unpadded base64url.
func newToken() (string, error) {
	var b [secretBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("reading random bytes for a token: %w", err)
	}
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// wellFormed reports whether token has the shape newToken gives: the prefix
// and exactly 32 bytes in canonical unpadded base64url.
func wellFormed(token string) bool {
	secret, ok := strings.CutPrefix(token, TokenPrefix)
	if !ok || len(token) != tokenLen {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(secret)
	return err == nil && len(b) == secretBytes
}

// hashToken returns what is stored of a token: the SHA-256 of the whole
// token. A token carries 256 random bits, so a fast hash is enough; a slow
// password KDF would only slow down every request.
func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// hint returns the characters of token kept in clear to recognise it by:
// the first 8 after the prefix.
func hint(token string) string {
	return strings.TrimPrefix(token, TokenPrefix)[:hintLen]
}
