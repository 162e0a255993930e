package logintest

import (
	"context"
	"strings"
	"sync"

	"github.com/portalpass/portalpass/pkg/login"
)

// ReadTogether is a Store whose FindIdentity returns only once Read is
// done: with Read.Add(n), each of n concurrent flows reads the store as it
// was before any of them wrote, the worst case for a rule checked on what
// was read (a rate limit, a cap) and held by the write's condition.
type ReadTogether struct {
	login.Store
	Read *sync.WaitGroup
}

// FindIdentity reads, then waits for the others.
func (s ReadTogether) FindIdentity(ctx context.Context, key string) (login.IdentityRecord, error) {
	rec, err := s.Store.FindIdentity(ctx, key)
	s.Read.Done()
	s.Read.Wait()
	return rec, err
}

// CountPrefix adds up rec's counts whose key starts with prefix (a scope,
// such as "codefail#", over every window), wherever they are kept.
func CountPrefix(rec login.IdentityRecord, prefix string) int {
	n := 0
	for k, v := range rec.Counters {
		if strings.HasPrefix(k, prefix) {
			n += v
		}
	}
	for _, m := range rec.Matches {
		for k, v := range m.Counters {
			if strings.HasPrefix(k, prefix) {
				n += v
			}
		}
	}
	return n
}
