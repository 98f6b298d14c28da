package ent

import "github.com/privhub/privhub/internal/pulid"

// Holder is a holder of personal data: an Organization or a Vendor. Transfers,
// data records, contract parties and request tasks point to one of each kind.
type Holder interface {
	Noder
	// HolderID returns the holder's ID.
	HolderID() pulid.ID
	// HolderName returns the holder's name.
	HolderName() string
	// HolderCountry returns the ISO code of the holder's country.
	HolderCountry() pulid.ID
}

// HolderID implements Holder.
func (o *Organization) HolderID() pulid.ID { return o.ID }

// HolderName implements Holder.
func (o *Organization) HolderName() string { return o.Name }

// HolderCountry implements Holder.
func (o *Organization) HolderCountry() pulid.ID { return o.CountryID }

// HolderID implements Holder.
func (v *Vendor) HolderID() pulid.ID { return v.ID }

// HolderName implements Holder.
func (v *Vendor) HolderName() string { return v.Name }

// HolderCountry implements Holder.
func (v *Vendor) HolderCountry() pulid.ID { return v.CountryID }
