package login

import (
	"context"
	"time"
)

// CodeLogin is a customer's login with the code of an attempt.
type CodeLogin struct {
	Identifier Identifier
	Code       string
	Tenant     string // "" for any tenant
}

// codeTarget is an attempt a code may open.
type codeTarget struct {
	slot  *SlotRef
	multi *MultiRef
	salt  []byte
	hash  []byte
	match IdentityMatch
	att   MultiAttempt
	red   string
	// challenge is the attempt's PKCE challenge, for a hand-off.
	challenge string
}

func validCodeShape(code string) bool {
	if len(code) < 4 || len(code) > 8 {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// LoginWithCode consumes the attempt whose code this is. Every failure is
// the same ErrInvalidCode, whatever the cause.
func (s *Service) LoginWithCode(ctx context.Context, in CodeLogin, o LoginOpts) (Outcome, error) {
	if !validCodeShape(in.Code) {
		return Outcome{}, ErrInvalidCode
	}
	now := s.now()
	key := in.Identifier.Key()
	rec, err := s.d.Attempts.FindIdentity(ctx, key)
	if err != nil {
		return Outcome{}, internal("find identity", err)
	}
	fc := codeFailureCounter(key, now)
	if rec.Count(fc.Key) >= s.d.RateLimits.codeFailureLimit() {
		return Outcome{}, ErrInvalidCode
	}
	targets := codeTargets(rec, in.Tenant, now)
	for _, tg := range targets {
		if codeMatches(tg.salt, tg.hash, in.Code) {
			return s.codeLogin(ctx, key, tg, in.Tenant, o, now)
		}
	}
	f := CodeFailure{Now: now, Counters: []Counter{fc}}
	var tenantID, contactID string
	if len(targets) > 0 {
		f.Slot, f.Multi = targets[0].slot, targets[0].multi
		tenantID, contactID = targets[0].match.TenantID, targets[0].match.ContactID
		if f.Multi != nil && len(targets[0].att.Targets) > 0 {
			tenantID, contactID = targets[0].att.Targets[0].TenantID, targets[0].att.Targets[0].ContactID
		}
		f.Events = []AuditEvent{s.event(EventCodeFailed, tenantID, contactID, "customer", o.Meta, nil)}
	}
	err = s.d.Attempts.RecordCodeFailure(ctx, f)
	if ErrorCode(err) == CodeLinkInvalid {
		// The attempt is gone or burned: still count the wrong code.
		err = s.d.Attempts.RecordCodeFailure(ctx, CodeFailure{Now: now, Counters: f.Counters, Events: f.Events})
	}
	if err != nil {
		s.d.Logger.ErrorContext(ctx, "record code failure", "err", err)
	}
	return Outcome{}, ErrInvalidCode
}

// codeTargets lists the live attempts of an identifier record.
func codeTargets(rec IdentityRecord, tenant string, now time.Time) []codeTarget {
	var out []codeTarget
	multi := false
	for _, m := range rec.Matches {
		sl := m.Login
		if (tenant != "" && m.TenantID != tenant) || !m.Access.CanLogIn() || !sl.Live(now) || sl.TriesLeft <= 0 {
			continue
		}
		if sl.Multi {
			multi = true
			continue
		}
		out = append(out, codeTarget{
			slot: &SlotRef{TenantID: m.TenantID, ContactID: m.ContactID, Which: SlotLogin, TokenHash: sl.TokenHash, IdentKey: rec.Key, NeedTries: true},
			salt: sl.CodeSalt, hash: sl.CodeHash, match: m, red: sl.Redirect, challenge: sl.CodeChallenge,
		})
	}
	if ma := rec.Multi; multi && ma != nil && now.Before(ma.ExpiresAt) && ma.TriesLeft > 0 {
		out = append(out, codeTarget{
			multi: &MultiRef{IdentHash: IdentHash(rec.Key), TokenHash: ma.TokenHash, NeedTries: true},
			salt:  ma.CodeSalt, hash: ma.CodeHash, att: *ma, red: ma.Redirect, challenge: ma.CodeChallenge,
		})
	}
	return out
}

func (s *Service) codeLogin(ctx context.Context, key string, tg codeTarget, tenant string, o LoginOpts, now time.Time) (Outcome, error) {
	r := Redemption{Now: now, Slot: tg.slot, Multi: tg.multi, EndSession: sessionRef(o.PrevSession)}
	if tg.slot != nil {
		// The identifier's copy of the slot is left as it is, as a link
		// login leaves it: it only finds codes, every redemption holds
		// only while the contact's own slot still carries the token, and
		// the next request replaces it. Not writing it saves a login two
		// write units.
		ref := *tg.slot
		ref.IdentKey = ""
		r.Slot = &ref
	}
	var out Outcome
	target := Target{TenantID: tg.match.TenantID, ContactID: tg.match.ContactID}
	if tg.multi != nil {
		target = Target{}
		for _, t := range tg.att.Targets {
			if t.TenantID == tenant {
				target = t
			}
		}
	}
	if target.TenantID == "" {
		np, picker, err := s.newPicker(ctx, tg.att.Targets, "code", tg.red, tg.challenge, now)
		if err != nil {
			return Outcome{}, internal("new picker", err)
		}
		r.NewPicker, r.EndSession, out.Picker = picker, nil, np
		for _, t := range tg.att.Targets {
			r.Events = append(r.Events, s.event(EventLoginRedeemed, t.TenantID, t.ContactID, "customer", o.Meta, map[string]string{"via": "code", "next": "select_tenant"}))
		}
	} else {
		t, err := s.Tenant(ctx, target.TenantID)
		if err != nil {
			return Outcome{}, ErrInvalidCode
		}
		ns, err := s.newSession(t, target.ContactID, "code", now, 0)
		if err != nil {
			return Outcome{}, internal("new session", err)
		}
		r.Session, out.Session, out.Redirect = &ns.Session, ns, tg.red
		r.Events = []AuditEvent{
			s.event(EventLoginRedeemed, t.ID, target.ContactID, "customer", o.Meta, map[string]string{"via": "code"}),
			s.event(EventSessionCreated, t.ID, target.ContactID, "customer", o.Meta, map[string]string{"via": "code"}),
		}
		if out.HandoffCode, err = s.addHandoff(t, &r, tg.challenge); err != nil {
			return Outcome{}, err
		}
	}
	if err := s.d.Attempts.Redeem(ctx, r); err != nil {
		if c := ErrorCode(err); c == CodeLinkInvalid || c == CodeLinkExpired {
			return Outcome{}, ErrInvalidCode
		}
		return Outcome{}, internal("code login", err)
	}
	return out, nil
}
