package gen

import "math/rand/v2"

// Planted problems: how many of every 1,000 objects a compliance rule looks
// at are given a deliberate defect. The draws come from the seed, so a seed
// always plants the same problems.
const (
	// Processor and subprocessor relationships (dpa.missing,
	// contract.expired, dpa.incomplete).
	plantDPAMissing    = 6
	plantDPAExpired    = 2
	plantDPAIncomplete = 2
	// Subprocessor relationships (subprocessor.unauthorised,
	// subprocessor.notice-too-short).
	plantNoNotice    = 8
	plantShortNotice = 2
	// SCC transfers: clauses missing altogether, on a repealed decision,
	// with Clause 17 law outside the EEA or in the wrong module.
	plantSCCDefect   = 8
	plantTIAMissing  = 8
	plantTIAOverdue  = 4
	plantDPFLapsed   = 10 // US vendors whose certification has lapsed
	plantReviewLate  = 8  // vendors whose review is overdue
	plantReviewFail  = 3  // vendors that failed their latest review
	plantNoMeasure   = 10 // vendors with no security measure on record
	plantSpecialFlow = 50 // controller flows of special-category data that also carry it for a purpose without explicit consent
	// Users: a consent-based purpose used without the user's consent, and
	// special-category data kept for a purpose with no explicit consent.
	plantConsentMissing = 5
	plantNoExplicit     = 5
)

// plant draws whether an object gets a problem planted at perMille.
func plant(r *rand.Rand, perMille int) bool { return r.IntN(1000) < perMille }
