package main

import (
	"crypto/rand"
	"sync"
	"time"
)

// maxBrowsers bounds the in-memory state, so that a flood of new
// browsers cannot grow it without end.
const maxBrowsers = 10000

// browser is what the portal keeps for one browser, under a random id
// that only the browser's cookie holds. Nothing of it reaches the page.
type browser struct {
	// Verifier is the PKCE code verifier of a pending login, until
	// LoginUntil.
	Verifier   string
	LoginUntil time.Time
	// Session is the portalpass session token, until SessionUntil.
	Session      string
	SessionUntil time.Time
}

// states keeps browsers in memory. A real portal would keep them in its
// own session store; this one forgets everything when it restarts.
type states struct {
	mu  sync.Mutex
	m   map[string]browser
	now func() time.Time
}

func newStates(now func() time.Time) *states {
	return &states{m: map[string]browser{}, now: now}
}

// get returns the live parts of a browser's state (ok is false when
// nothing is left).
func (s *states) get(id string) (browser, bool) {
	if id == "" {
		return browser{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[id]
	if !ok {
		return browser{}, false
	}
	b = b.live(s.now())
	if b.empty() {
		delete(s.m, id)
		return browser{}, false
	}
	return b, true
}

// put stores b under a new random id and returns the id, or "" when the
// store is full of live state.
func (s *states) put(b browser) string {
	id := rand.Text() // 26 base32 characters: 128 bits
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxBrowsers {
		now := s.now()
		for k, v := range s.m {
			if v.live(now).empty() {
				delete(s.m, k)
			}
		}
		if len(s.m) >= maxBrowsers {
			return ""
		}
	}
	s.m[id] = b
	return id
}

// delete forgets a browser.
func (s *states) delete(id string) {
	s.mu.Lock()
	delete(s.m, id)
	s.mu.Unlock()
}

// live drops the parts of b that expired by now.
func (b browser) live(now time.Time) browser {
	if !now.Before(b.LoginUntil) {
		b.Verifier, b.LoginUntil = "", time.Time{}
	}
	if !now.Before(b.SessionUntil) {
		b.Session, b.SessionUntil = "", time.Time{}
	}
	return b
}

func (b browser) empty() bool { return b.Verifier == "" && b.Session == "" }

// until is when the last live part of b expires: the cookie's lifetime.
func (b browser) until() time.Time {
	if b.LoginUntil.After(b.SessionUntil) {
		return b.LoginUntil
	}
	return b.SessionUntil
}
