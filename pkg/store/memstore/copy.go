package memstore

import (
	"maps"
	"slices"

	"github.com/portalpass/portalpass/pkg/login"
)

// The clone functions deep-copy what the store keeps or hands out. A nil
// slice stays nil.

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

func cloneSlot(s *login.Slot) *login.Slot {
	if s == nil {
		return nil
	}
	c := *s
	c.TokenHash = cloneBytes(s.TokenHash)
	c.CodeHash = cloneBytes(s.CodeHash)
	c.CodeSalt = cloneBytes(s.CodeSalt)
	c.RequestHash = cloneBytes(s.RequestHash)
	c.ConsumedBy = cloneBytes(s.ConsumedBy)
	c.ConsumedRequest = cloneBytes(s.ConsumedRequest)
	return &c
}

func cloneContact(c login.Contact) login.Contact {
	c.EmailStatus = "" // the address's, kept apart (delivery.go), as DynamoDB does
	c.Login = cloneSlot(c.Login)
	c.Link = cloneSlot(c.Link)
	return c
}

func cloneMulti(m login.MultiAttempt) login.MultiAttempt {
	m.TokenHash = cloneBytes(m.TokenHash)
	m.CodeHash = cloneBytes(m.CodeHash)
	m.CodeSalt = cloneBytes(m.CodeSalt)
	m.RequestHash = cloneBytes(m.RequestHash)
	m.ConsumedBy = cloneBytes(m.ConsumedBy)
	m.ConsumedRequest = cloneBytes(m.ConsumedRequest)
	m.Targets = slices.Clone(m.Targets)
	return m
}

func clonePicker(p login.Picker) login.Picker {
	p.Hash = cloneBytes(p.Hash)
	p.Targets = slices.Clone(p.Targets)
	return p
}

func cloneSession(s login.Session) login.Session {
	s.Hash = cloneBytes(s.Hash)
	return s
}

func cloneAPIKey(k login.APIKey) login.APIKey {
	k.Hash = cloneBytes(k.Hash)
	return k
}

func cloneEvents(events []login.AuditEvent) []login.AuditEvent {
	out := make([]login.AuditEvent, len(events))
	for i, e := range events {
		e.Detail = maps.Clone(e.Detail)
		out[i] = e
	}
	return out
}
