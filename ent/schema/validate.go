package schema

import (
	"errors"
	"regexp"
)

var (
	countryID   = regexp.MustCompile(`^cty_[A-Z]{2}$`)
	categoryKey = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)
	purposeKey  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	sha256Hex   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	isoPeriod   = regexp.MustCompile(`^P(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+W)?(?:[0-9]+D)?$`)
)

func errInvalid(msg string) error { return errors.New(msg) }

func validPeriod(s string) error {
	if s == "P" || !isoPeriod.MatchString(s) {
		return errInvalid("must be an ISO 8601 period such as P7Y, P2M, P3W or P30D")
	}
	return nil
}

// matching returns a validator that accepts values matching re and explains
// the expected format otherwise.
func matching(re *regexp.Regexp, want string) func(string) error {
	return func(s string) error {
		if !re.MatchString(s) {
			return errInvalid("must be " + want)
		}
		return nil
	}
}
