// Package memstore implements login.Store (every role of it) in
// memory, for the development server and tests. One mutex serialises
// every method, so each write is atomic and isolated: it checks all its
// conditions before it changes anything. Values are deep-copied on the
// way in and out, so callers never share stored state. Expiry is checked
// against the time a write passes; expired items stay in memory until
// replaced.
package memstore
