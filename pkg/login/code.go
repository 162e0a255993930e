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
	// The cap holds in the failure's own write (fc.Limit), so that a
	// burst read before any of its failures were counted cannot pass it;
	// the check here refuses even a right code once the cap is full.
	fc := codeFailureCounter(key, now)
	fc.Limit = s.d.RateLimits.codeFailureLimit()
	if rec.Count(fc.Key) >= fc.Limit {
		return Outcome{}, ErrInvalidCode
	}
	targets := codeTargets(rec, in.Tenant, now)
	for _, tg := range targets {
		if codeMatches(tg.salt, tg.hash, in.Code) {
			return s.codeLogin(ctx, key, tg, in.Tenant, o, now)
		}
	}
	s.recordCodeFailure(ctx, targets, fc, o.Meta, now)
	return Outcome{}, ErrInvalidCode
}

// recordCodeFailure charges a wrong code to every attempt it was compared
// with (each tenant's audit log gets its event) and to the identifier's
// counter, in one write. An attempt gone or burned since the read fails
// that write; the wrong code is then still counted. A full counter fails
// it too, and then nothing is written: the answer is the same either way.
func (s *Service) recordCodeFailure(ctx context.Context, targets []codeTarget, fc Counter, m Meta, now time.Time) {
	f := CodeFailure{Now: now, Counters: []Counter{fc}}
	seen := map[Target]bool{}
	audit := func(t Target) {
		if !seen[t] {
			seen[t] = true
			f.Events = append(f.Events, s.event(EventCodeFailed, t.TenantID, t.ContactID, "customer", m, nil))
		}
	}
	for _, tg := range targets {
		if tg.slot != nil {
			f.Slots = append(f.Slots, *tg.slot)
			audit(Target{TenantID: tg.match.TenantID, ContactID: tg.match.ContactID})
		}
		if tg.multi != nil {
			f.Multi = tg.multi
			for _, t := range tg.att.Targets {
				audit(t)
			}
		}
	}
	err := s.d.Attempts.RecordCodeFailure(ctx, f)
	if ErrorCode(err) == CodeLinkInvalid && (len(f.Slots) > 0 || f.Multi != nil) {
		err = s.d.Attempts.RecordCodeFailure(ctx, CodeFailure{Now: now, Counters: f.Counters, Events: f.Events})
	}
	if err != nil && ErrorCode(err) != CodeRateLimited {
		s.d.Logger.ErrorContext(ctx, "record code failure", "err", err)
	}
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
	// A consumed attempt (its link redeemed, kept for the scanner
	// exception) is used: Live is false for it.
	if ma := rec.Multi; multi && ma.Live(now) && ma.TriesLeft > 0 {
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
