package login

import (
	"context"
	"errors"
	"time"
)

// Errors of the customer flows, with messages for people.
var (
	ErrInvalidCode = &Error{Code: CodeInvalidCode, Msg: "That code is not valid. Check it and try again; after 5 wrong tries, request a new code."}
	ErrNoSession   = &Error{Code: CodeNoSession, Msg: "You are not logged in."}
	errPickerGone  = &Error{Code: CodeLinkInvalid, Msg: "This login has expired or was already used. Log in again."}
)

// NewSession is a session just created. Token is its only copy: it goes
// into a cookie or a response body and is never logged.
type NewSession struct {
	Token   string
	Session Session
	Tenant  Tenant
}

// NewPicker is a tenant picker just created, for a login that matched
// contacts in several tenants.
type NewPicker struct {
	Token     string
	Tenants   []Tenant
	ExpiresAt time.Time
}

// Outcome is the result of a login: a session in one tenant (with the
// portal path to go to), or a picker.
type Outcome struct {
	Session  *NewSession
	Redirect string
	Picker   *NewPicker
	// HandoffCode, with a Session of a tenant whose portal integration
	// is "handoff", is the one-time code the portal redirect carries
	// (HandoffParam). Like a token, it is never logged.
	HandoffCode string
}

// LoginOpts are the request's context for a login.
type LoginOpts struct {
	// PrevSession is the session token the browser already holds, if any:
	// the new session takes its place.
	PrevSession string
	// RequestHash is the hash of the login-request cookie the browser
	// carries (nil: none), for the scanner exception of a link redeem.
	RequestHash []byte
	Meta        Meta
}

func (s *Service) newSession(t Tenant, contactID, via string, now time.Time, ttl time.Duration) (*NewSession, error) {
	secret, err := newSecret(s.d.Random)
	if err != nil {
		return nil, err
	}
	tok := tokenParts{kind: kindSession, tenant: t.ID, contact: contactID, secret: secret}.String()
	if ttl <= 0 || ttl > t.Settings.SessionTTL {
		ttl = t.Settings.SessionTTL
	}
	return &NewSession{Token: tok, Tenant: t, Session: Session{
		TenantID: t.ID, ContactID: contactID, Hash: HashToken(tok), Via: via,
		CreatedAt: now, ExpiresAt: now.Add(ttl),
	}}, nil
}

func (s *Service) newPicker(ctx context.Context, targets []Target, via, redirect, challenge string, now time.Time) (*NewPicker, *Picker, error) {
	secret, err := newSecret(s.d.Random)
	if err != nil {
		return nil, nil, err
	}
	tok := tokenParts{kind: kindPicker, secret: secret}.String()
	p := &Picker{Hash: HashToken(tok), Targets: targets, Via: via, Redirect: redirect, CreatedAt: now, ExpiresAt: now.Add(PickerTTL), CodeChallenge: challenge}
	np := &NewPicker{Token: tok, ExpiresAt: p.ExpiresAt}
	for _, tg := range targets {
		t, err := s.Tenant(ctx, tg.TenantID)
		if err != nil {
			continue
		}
		np.Tenants = append(np.Tenants, t)
	}
	return np, p, nil
}

// sessionRef parses a session token the browser holds into the ref of
// its stored session, or nil.
func sessionRef(token string) *SessionRef {
	p, ok := parseTokenOf(token, kindSession)
	if !ok {
		return nil
	}
	return &SessionRef{TenantID: p.tenant, ContactID: p.contact, Hash: HashToken(token)}
}

// LinkInfo is what the redeem page shows before anything is consumed.
type LinkInfo struct {
	TenantName string
	// Tenant is the link's tenant, for its look; zero for a link of
	// several tenants. PeekLink also returns it beside an error once
	// the token named a tenant that exists, so that the error page can
	// wear that tenant's brand (which its Portal link shows anyone).
	Tenant Tenant
	// SameBrowser reports that the browser holds the login-request cookie
	// of this attempt, so the page may continue by itself.
	SameBrowser bool
	// Token is the link's token for the page to post: for a short form
	// (an SMS's /l/ link) the full login link it stands for, so that the
	// redeem stays one write with no read first.
	Token string
}

// PeekLink checks a link token without consuming it (GET and HEAD).
func (s *Service) PeekLink(ctx context.Context, token string, requestHash []byte) (LinkInfo, error) {
	now := s.now()
	p, ok := parseToken(token)
	if !ok {
		return LinkInfo{}, ErrLinkInvalid
	}
	hash := HashToken(token)
	switch p.kind {
	case kindLink, kindShort:
		t, err := s.Tenant(ctx, p.tenant)
		if err != nil {
			return LinkInfo{}, linkErr(err)
		}
		failed := LinkInfo{Tenant: t}
		c, err := s.d.Contacts.GetContact(ctx, t.ID, p.contact)
		if err != nil {
			return failed, linkErr(err)
		}
		if p.kind == kindShort {
			p = expandShortSlot(p, c.Login)
			token = p.String()
			hash = HashToken(token)
		}
		slot := c.Login
		if p.purpose.slot() == SlotLink {
			slot = c.Link
		}
		burned := p.purpose == PurposeLogin && slot != nil && slot.TriesLeft <= 0
		if slot == nil || !hashesEqual(slot.TokenHash, hash) || !c.Access.CanLogIn() || burned {
			return failed, ErrLinkInvalid
		}
		if slot.Consumed() {
			// Used, except to the browser that may still take the
			// scanner exception: it must reach the button to finish.
			if !slot.ExceptionFor(requestHash, now) {
				return failed, ErrLinkInvalid
			}
			return LinkInfo{TenantName: t.Name, Tenant: t, SameBrowser: true, Token: token}, nil
		}
		if !slot.Live(now) {
			return failed, ErrLinkExpired
		}
		return LinkInfo{TenantName: t.Name, Tenant: t, SameBrowser: hashesEqual(slot.RequestHash, requestHash), Token: token}, nil
	case kindMulti, kindShortMulti:
		m, err := s.d.Attempts.GetMulti(ctx, p.identHash)
		if err == nil && p.kind == kindShortMulti {
			token = expandShort(p, m.Redirect, "").String()
			hash = HashToken(token)
		}
		if err != nil || !hashesEqual(m.TokenHash, hash) || m.TriesLeft <= 0 {
			return LinkInfo{}, linkErr(err)
		}
		if m.ConsumedBy != nil {
			if !m.ExceptionFor(requestHash, now) {
				return LinkInfo{}, ErrLinkInvalid
			}
			return LinkInfo{TenantName: "your portals", SameBrowser: true, Token: token}, nil
		}
		if !now.Before(m.ExpiresAt) {
			return LinkInfo{}, ErrLinkExpired
		}
		return LinkInfo{TenantName: "your portals", SameBrowser: hashesEqual(m.RequestHash, requestHash), Token: token}, nil
	}
	return LinkInfo{}, ErrLinkInvalid
}

// expandShortSlot is the login link a short form stands for, rebuilt
// from the login slot of its contact (nil: a link no hash matches).
func expandShortSlot(p tokenParts, slot *Slot) tokenParts {
	var red, challenge string
	if slot != nil {
		red, challenge = slot.Redirect, slot.CodeChallenge
	}
	return expandShort(p, red, challenge)
}

// linkErr maps a read's failure to what a link page shows.
func linkErr(err error) error {
	if err == nil || errors.Is(err, ErrNotFound) {
		return ErrLinkInvalid
	}
	return internal("read link", err)
}

// RedeemLink consumes a magic link: one winner under any concurrency.
//
// Mail scanners open links and press buttons, and would lock the customer
// out. So a login attempt (one slot or several tenants) is kept consumed
// rather than cleared, and the browser holding the login-request cookie
// of that same request (o.RequestHash) may still finish its login once,
// within the link's lifetime, after another browser consumed it: that
// ends the session (or picker) the other browser got, and is audited as
// login.redeemed with detail scanner=exception. Every other browser gets
// strict single use, and so does every link no login request of this
// browser made (admin sends, invites, recovery, cross-site portals).
//
// A short form (an SMS's /l/ link) redeems as the login link it stands
// for, with the redirect and PKCE challenge its attempt stored; the
// continue page posts that link, so only a short form posted as it is
// takes a read first.
func (s *Service) RedeemLink(ctx context.Context, token string, o LoginOpts) (Outcome, error) {
	now := s.now()
	p, ok := parseToken(token)
	if !ok || (p.kind != kindLink && p.kind != kindMulti && p.kind != kindShort && p.kind != kindShortMulti) {
		return Outcome{}, ErrLinkInvalid
	}
	if p.kind == kindMulti || p.kind == kindShortMulti {
		return s.redeemMulti(ctx, token, p, o, now)
	}
	if p.kind == kindShort {
		c, err := s.d.Contacts.GetContact(ctx, p.tenant, p.contact)
		if err != nil {
			return Outcome{}, linkErr(err)
		}
		p = expandShortSlot(p, c.Login)
		token = p.String()
	}
	t, err := s.Tenant(ctx, p.tenant)
	if err != nil {
		return Outcome{}, linkErr(err)
	}
	via := p.purpose.via()
	ns, err := s.newSession(t, p.contact, via, now, 0)
	if err != nil {
		return Outcome{}, internal("new session", err)
	}
	isLogin := p.purpose == PurposeLogin
	r := Redemption{
		Now: now,
		// A login attempt burned by 5 wrong codes is dead for its link
		// too. Only a login attempt has a request cookie: it is kept.
		Slot: &SlotRef{TenantID: t.ID, ContactID: p.contact, Which: p.purpose.slot(), TokenHash: HashToken(token),
			NeedTries: isLogin, Keep: isLogin, RequestHash: o.RequestHash},
		Session:    &ns.Session,
		EndSession: sessionRef(o.PrevSession),
		Events: []AuditEvent{
			s.event(EventLoginRedeemed, t.ID, p.contact, "customer", o.Meta, map[string]string{"via": via}),
			s.event(EventSessionCreated, t.ID, p.contact, "customer", o.Meta, map[string]string{"via": via}),
		},
	}
	if isLogin && o.RequestHash != nil {
		r.ExceptionEvents = []AuditEvent{
			s.event(EventLoginRedeemed, t.ID, p.contact, "customer", o.Meta, map[string]string{"via": via, "scanner": "exception"}),
			s.event(EventSessionRevoked, t.ID, p.contact, "customer", o.Meta, map[string]string{"scanner": "exception"}),
			s.event(EventSessionCreated, t.ID, p.contact, "customer", o.Meta, map[string]string{"via": via}),
		}
	}
	code, err := s.addHandoff(t, &r, p.challenge)
	if err != nil {
		return Outcome{}, err
	}
	if err := s.d.Attempts.Redeem(ctx, r); err != nil {
		return Outcome{}, s.loginFailed(ctx, err, t.ID, p.contact, o.Meta)
	}
	return Outcome{Session: ns, Redirect: p.redirect, HandoffCode: code}, nil
}

// loginFailed audits a failed redeem and returns the error to show.
func (s *Service) loginFailed(ctx context.Context, err error, tenantID, contactID string, m Meta) error {
	code := ErrorCode(err)
	if code != CodeLinkInvalid && code != CodeLinkExpired {
		return internal("redeem", err)
	}
	s.record(ctx, s.event(EventLoginFailed, tenantID, contactID, "customer", m, map[string]string{"reason": string(code)}))
	return err
}

func (s *Service) redeemMulti(ctx context.Context, token string, p tokenParts, o LoginOpts, now time.Time) (Outcome, error) {
	m, err := s.d.Attempts.GetMulti(ctx, p.identHash)
	if err == nil && p.kind == kindShortMulti {
		p = expandShort(p, m.Redirect, "")
		token = p.String()
	}
	if err != nil || !hashesEqual(m.TokenHash, HashToken(token)) || m.TriesLeft <= 0 {
		return Outcome{}, linkErr(err)
	}
	if m.ConsumedBy != nil && !m.ExceptionFor(o.RequestHash, now) {
		return Outcome{}, ErrLinkInvalid
	}
	if !now.Before(m.ExpiresAt) {
		return Outcome{}, ErrLinkExpired
	}
	np, picker, err := s.newPicker(ctx, m.Targets, "link", p.redirect, m.CodeChallenge, now)
	if err != nil {
		return Outcome{}, internal("new picker", err)
	}
	picker.Attempt = p.identHash
	// The attempt is kept consumed, as a slot is (RedeemLink).
	r := Redemption{Now: now, NewPicker: picker,
		Multi: &MultiRef{IdentHash: p.identHash, TokenHash: m.TokenHash, NeedTries: true, Keep: true, RequestHash: o.RequestHash}}
	for _, tg := range m.Targets {
		r.Events = append(r.Events, s.event(EventLoginRedeemed, tg.TenantID, tg.ContactID, "customer", o.Meta, map[string]string{"via": "link", "next": "select_tenant"}))
		if o.RequestHash != nil {
			r.ExceptionEvents = append(r.ExceptionEvents, s.event(EventLoginRedeemed, tg.TenantID, tg.ContactID, "customer", o.Meta,
				map[string]string{"via": "link", "next": "select_tenant", "scanner": "exception"}))
			r.PickedEvents = append(r.PickedEvents, s.event(EventSessionRevoked, tg.TenantID, tg.ContactID, "customer", o.Meta,
				map[string]string{"scanner": "exception"}))
		}
	}
	if err := s.d.Attempts.Redeem(ctx, r); err != nil {
		if c := ErrorCode(err); c == CodeLinkInvalid || c == CodeLinkExpired {
			return Outcome{}, err
		}
		return Outcome{}, internal("redeem multi", err)
	}
	return Outcome{Picker: np}, nil
}

// PickerTenants lists the tenants of a picker session.
func (s *Service) PickerTenants(ctx context.Context, token string) ([]Tenant, error) {
	p, err := s.picker(ctx, token)
	if err != nil {
		return nil, err
	}
	var out []Tenant
	for _, tg := range p.Targets {
		if t, err := s.Tenant(ctx, tg.TenantID); err == nil {
			out = append(out, t)
		}
	}
	return out, nil
}

func (s *Service) picker(ctx context.Context, token string) (Picker, error) {
	if _, ok := parseTokenOf(token, kindPicker); !ok {
		return Picker{}, errPickerGone
	}
	p, err := s.d.Attempts.GetPicker(ctx, HashToken(token))
	if errors.Is(err, ErrNotFound) {
		return Picker{}, errPickerGone
	}
	if err != nil {
		return Picker{}, internal("get picker", err)
	}
	if !s.now().Before(p.ExpiresAt) {
		return Picker{}, errPickerGone
	}
	return p, nil
}

// PickTenant ends a picker session with a session in one of its tenants.
func (s *Service) PickTenant(ctx context.Context, token, tenantID string, o LoginOpts) (Outcome, error) {
	p, err := s.picker(ctx, token)
	if err != nil {
		return Outcome{}, err
	}
	var target *Target
	for _, tg := range p.Targets {
		if tg.TenantID == tenantID {
			target = &tg
		}
	}
	if target == nil {
		return Outcome{}, Errorf(CodeNotFound, "That portal is not one of yours. Pick one from the list.")
	}
	t, err := s.Tenant(ctx, tenantID)
	if err != nil {
		return Outcome{}, linkErr(err)
	}
	now := s.now()
	ns, err := s.newSession(t, target.ContactID, p.Via, now, 0)
	if err != nil {
		return Outcome{}, internal("new session", err)
	}
	r := Redemption{
		Now: now, Picker: p.Hash, Session: &ns.Session, EndSession: sessionRef(o.PrevSession),
		Events: []AuditEvent{
			s.event(EventTenantSelected, t.ID, target.ContactID, "customer", o.Meta, nil),
			s.event(EventSessionCreated, t.ID, target.ContactID, "customer", o.Meta, map[string]string{"via": p.Via}),
		},
	}
	code, err := s.addHandoff(t, &r, p.CodeChallenge)
	if err != nil {
		return Outcome{}, err
	}
	if err := s.d.Attempts.Redeem(ctx, r); err != nil {
		if c := ErrorCode(err); c == CodeLinkInvalid || c == CodeLinkExpired {
			return Outcome{}, errPickerGone
		}
		return Outcome{}, internal("pick tenant", err)
	}
	return Outcome{Session: ns, Redirect: p.Redirect, HandoffCode: code}, nil
}
