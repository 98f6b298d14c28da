package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/privhub/privhub/internal/apitest"
	"github.com/privhub/privhub/internal/server"
	"github.com/privhub/privhub/internal/store"
	"github.com/privhub/privhub/internal/store/storetest"
)

func TestCreateAndReadVendor(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := apitest.New(t, db, server.Config{})
		var created struct {
			CreateVendor struct {
				Vendor struct {
					ID      string
					Name    string
					Country struct {
						Code string
						Eu   bool
					}
				}
			}
		}
		s.MustDo(`mutation($in: CreateVendorInput!) { createVendor(input: $in) { vendor { id name country { code eu } } } }`,
			map[string]any{"in": map[string]any{"name": "Nimbra Cloud SAS", "countryID": "cty_FR", "services": []string{"HOSTING"}}}, &created)
		require.Equal(t, "FR", created.CreateVendor.Vendor.Country.Code)
		require.True(t, created.CreateVendor.Vendor.Country.Eu)

		r := s.Do(`mutation { createVendor(input: {name: "X", countryID: "cty_ZZ"}) { vendor { id } } }`, nil)
		require.Len(t, r.Errors, 1)
		require.Equal(t, "BAD_USER_INPUT", r.Errors[0].Code())
		require.Equal(t, "countryID", r.Errors[0].Field())
	})
}
