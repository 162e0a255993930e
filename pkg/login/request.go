package login

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rate limits of DESIGN.md.
const (
	SendLimit         = 5 // sends per identifier per SendWindow
	SendWindow        = 15 * time.Minute
	IPLimit           = 60 // login requests per client IP per IPWindow
	IPWindow          = 5 * time.Minute
	CodeTries         = 5  // wrong codes that burn one attempt
	CodeFailureLimit  = 20 // wrong codes per identifier per CodeFailureWindow
	CodeFailureWindow = 24 * time.Hour
	PickerTTL         = 10 * time.Minute
)

// RateLimits override the counts of the rate limits above for one
// Service (Deps.RateLimits); the windows stay. A zero (or negative) field
// means the production limit, so the zero RateLimits is DESIGN.md's. Only
// the dev server sets it, to let a developer log in again and again; no
// Lambda function reads it from its environment.
type RateLimits struct {
	Send         int // sends per identifier per SendWindow (default SendLimit)
	IP           int // login requests per client IP per IPWindow (default IPLimit)
	CodeFailures int // wrong codes per identifier per CodeFailureWindow (default CodeFailureLimit)
}

func orDefault(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

// LoginRequest is a customer's request for a login link and code. The
// HTTP layer has parsed the identifier and checked the redirect.
type LoginRequest struct {
	Identifier Identifier
	Tenant     string  // "" for every tenant
	Redirect   string  // a checked portal path, or ""
	Channel    Channel // "" for the identifier's own channel
	// Locale is the language the page that asked is in (a primary
	// language tag, checked for shape only); each tenant's message goes
	// out in it when the tenant offers it, else in the tenant's default.
	Locale string
	// RequestHash is the hash of the login-request cookie set with the answer.
	RequestHash   []byte
	CodeChallenge string
	Meta          Meta
}

func (l RateLimits) sendCounter(identKey string, now time.Time) Counter {
	i, end := window(now, SendWindow)
	return Counter{Subject: identKey, Key: "send#" + strconv.FormatInt(i, 10), Limit: orDefault(l.Send, SendLimit), ExpiresAt: end}
}

func (l RateLimits) ipCounter(ip string, now time.Time) Counter {
	i, end := window(now, IPWindow)
	return Counter{Subject: "ip:" + ip, Key: "req#" + strconv.FormatInt(i, 10), Limit: orDefault(l.IP, IPLimit), ExpiresAt: end}
}

// codeFailureCounter counts an identifier's wrong codes; LoginWithCode
// sets its Limit (codeFailureLimit), which the failure's own write holds.
func codeFailureCounter(identKey string, now time.Time) Counter {
	i, end := window(now, CodeFailureWindow)
	return Counter{Subject: identKey, Key: "codefail#" + strconv.FormatInt(i, 10), ExpiresAt: end}
}

func (l RateLimits) codeFailureLimit() int { return orDefault(l.CodeFailures, CodeFailureLimit) }

// candidate is a contact a login request may open, with its tenant.
type candidate struct {
	m IdentityMatch
	t Tenant
}

// RequestLogin gives every matching contact with portal access one login
// attempt and delivers its link and code. It answers the same for known
// and unknown identifiers: nil, or a rate_limited or internal error.
//
// An accepted request answers no sooner than the response-time floor
// after it started (floor.go), whatever it found and sent.
func (s *Service) RequestLogin(ctx context.Context, r LoginRequest) error {
	start := s.startFloor()
	type written struct {
		msgs   []Message
		events []AuditEvent
	}
	// A stale write means settings or a contact changed under us: read again.
	w, err := retryStale(func() (written, error) {
		msgs, events, err := s.requestOnce(ctx, r)
		return written{msgs, events}, err
	})
	if err != nil {
		return err
	}
	s.deliver(ctx, w.msgs, w.events)
	s.waitFloor(ctx, start, len(w.msgs))
	return nil
}

func (s *Service) requestOnce(ctx context.Context, r LoginRequest) ([]Message, []AuditEvent, error) {
	now := s.now()
	key := r.Identifier.Key()
	rec, err := s.d.Attempts.FindIdentity(ctx, key)
	if err != nil {
		return nil, nil, internal("find identity", err)
	}
	sc := s.d.RateLimits.sendCounter(key, now)
	if rec.Count(sc.Key) >= sc.Limit {
		return nil, nil, s.limited(ctx, RateLimited(sc.ExpiresAt.Sub(now)))
	}
	if len(rec.Matches) == 1 {
		// Known in one tenant: the count lives on that identifier item,
		// which the request writes anyway (Counter.Host).
		m := rec.Matches[0]
		sc.Host, sc.Seen = m.TenantID, m.Counters[sc.Key]
	}
	cands, err := s.candidates(ctx, rec, r.Identifier, r.Tenant, now)
	if err != nil {
		return nil, nil, err
	}
	// No condition on the tenants' settings versions: a login trusts the
	// container's settings cache (at most TenantCacheTTL old), since a
	// condition on the one settings item in every login would make it a
	// hot item no sharding can split (DESIGN.md, "Hot keys").
	w := AttemptWrite{Now: now, Counters: []Counter{sc}}
	if r.Meta.IP != "" {
		w.Counters = append(w.Counters, s.d.RateLimits.ipCounter(r.Meta.IP, now))
	}
	if len(cands) == 0 {
		if err := s.d.Attempts.SaveAttempt(ctx, w); err != nil {
			return nil, nil, err
		}
		return nil, nil, nil
	}
	a, err := s.newAttempt(r, cands, now)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range cands {
		slot := a.slot
		w.Slots = append(w.Slots, SlotWrite{TenantID: c.t.ID, ContactID: c.m.ContactID, Which: SlotLogin, Slot: slot, IdentKey: key})
		ev := s.event(EventLoginRequested, c.t.ID, c.m.ContactID, "customer", r.Meta, nil)
		ev.Channel = string(a.channelFor(c))
		w.Events = append(w.Events, ev)
	}
	if a.multi != nil {
		w.Multi = a.multi
	} else if rec.Multi != nil {
		w.DropMulti = key
	}
	if s.suppressLogin(rec, r, &w) {
		// The address bounced or complained: the attempt is written with
		// its delivery.suppressed events, and nothing goes out, not even
		// the code by SMS.
		if err := s.d.Attempts.SaveAttempt(ctx, w); err != nil {
			return nil, nil, err // ErrStale: a contact changed under us; retried
		}
		return nil, w.Events, nil // deliver waits as long as a send would
	}
	// SMS protection decides before the write what goes out (sms.go).
	msgs, err := s.saveLogin(ctx, w, a.messages(cands, s.linkURL(a.token), s.shortLinkURL(a.short), s.d.BaseURL), cands, rec, now)
	if err != nil || len(msgs) == 0 {
		return nil, nil, err
	}
	return msgs, w.Events, nil
}

// candidates returns the contacts of rec that may log in with this
// identifier, in tenant if given.
func (s *Service) candidates(ctx context.Context, rec IdentityRecord, id Identifier, tenant string, now time.Time) ([]candidate, error) {
	var out []candidate
	for _, m := range rec.Matches {
		if !m.Access.CanLogIn() || (tenant != "" && m.TenantID != tenant) {
			continue
		}
		t, err := s.Tenant(ctx, m.TenantID)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, internal("tenant", err)
		}
		if id.Kind == IdentPhone && !t.Settings.SMSLogin {
			continue
		}
		out = append(out, candidate{m, t})
	}
	return out, nil
}

// attempt is one new login attempt: its token, code and where it goes.
type attempt struct {
	token, code string
	short       string // the token's short form, for an SMS (tokens.go)
	ttl         time.Duration
	slot        Slot
	multi       *MultiAttempt
	id          Identifier
	channel     Channel
	locale      string
}

func (s *Service) newAttempt(r LoginRequest, cands []candidate, now time.Time) (*attempt, error) {
	ttl, length := cands[0].t.Settings.LinkTTL, cands[0].t.Settings.CodeLength
	for _, c := range cands[1:] {
		ttl = min(ttl, c.t.Settings.LinkTTL)
		length = max(length, c.t.Settings.CodeLength)
	}
	secret, err := newSecret(s.d.Random)
	if err != nil {
		return nil, err
	}
	code, err := newCode(s.d.Random, length)
	if err != nil {
		return nil, err
	}
	salt, err := randomBytes(s.d.Random, 16)
	if err != nil {
		return nil, err
	}
	a := &attempt{code: code, ttl: ttl, id: r.Identifier, channel: r.Channel, locale: r.Locale}
	key := r.Identifier.Key()
	if len(cands) == 1 {
		a.token = tokenParts{kind: kindLink, tenant: cands[0].t.ID, contact: cands[0].m.ContactID, purpose: PurposeLogin,
			redirect: r.Redirect, challenge: r.CodeChallenge, secret: secret}.String()
	} else {
		a.token = tokenParts{kind: kindMulti, identHash: IdentHash(key), redirect: r.Redirect, secret: secret}.String()
	}
	full, _ := parseToken(a.token)
	a.short = shortOf(full).String()
	a.slot = Slot{
		TokenHash: HashToken(a.token), CodeHash: hashCode(salt, code), CodeSalt: salt,
		TriesLeft: CodeTries, ExpiresAt: now.Add(ttl), Multi: len(cands) > 1,
		RequestHash: r.RequestHash, CodeChallenge: r.CodeChallenge, Redirect: r.Redirect,
	}
	if len(cands) > 1 {
		m := &MultiAttempt{
			IdentKey: key, TokenHash: a.slot.TokenHash, CodeHash: a.slot.CodeHash, CodeSalt: salt,
			TriesLeft: CodeTries, ExpiresAt: a.slot.ExpiresAt,
			RequestHash: r.RequestHash, CodeChallenge: r.CodeChallenge, Redirect: r.Redirect,
		}
		for _, c := range cands {
			m.Targets = append(m.Targets, Target{c.t.ID, c.m.ContactID})
		}
		a.multi = m
	}
	return a, nil
}

// channelFor is the channel the link and code go by for one contact.
func (a *attempt) channelFor(c candidate) Channel {
	switch {
	case a.channel == ChannelSMS || (a.channel == "" && a.id.Kind == IdentPhone):
		return ChannelSMS
	default:
		return ChannelEmail
	}
}

// messages are the deliveries of an attempt: one per distinct address on
// file. Sends go only to what is on file. An SMS of the identifier's own
// channel carries the short link, unless a tenant's smsLink is off (the
// code only: one segment, API.md "SMS protection"). A message to one
// tenant's contact carries its brand, its logo on baseURL.
func (a *attempt) messages(cands []candidate, link, smsLink, baseURL string) []Message {
	var out []Message
	seen := map[string]bool{}
	add := func(m Message) {
		k := string(m.Channel) + "|" + m.To + "|" + m.Link
		if m.To == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, m)
	}
	name, sender := cands[0].t.Name, cands[0].t.Settings.SenderName
	if len(cands) > 1 {
		// No one tenant's name fits: the renderer says "your portal"
		// in the message's language.
		name, sender = "", ""
	}
	for _, c := range cands {
		if !c.t.Settings.SMSLink {
			smsLink = "" // any tenant's "code only" decides: it pays for the SMS
		}
	}
	for _, c := range cands {
		loc := c.t.Settings.Locale(a.locale)
		base := Message{Kind: KindLogin, TenantName: name, SenderName: sender, Link: link, Code: a.code, TTL: a.ttl, Locale: loc}
		if len(cands) == 1 {
			base.TenantID, base.ContactID = c.t.ID, c.m.ContactID
			base.Brand = BrandOf(c.t, baseURL)
		}
		if a.channelFor(c) == ChannelSMS {
			base.Channel, base.To, base.Link = ChannelSMS, c.m.Phone, smsLink
			add(base)
			continue
		}
		base.Channel, base.To = ChannelEmail, c.m.Email
		add(base)
		if c.t.Settings.CodeAlsoBySMS && c.m.Phone != "" && a.channel == "" {
			add(Message{Channel: ChannelSMS, To: c.m.Phone, Kind: KindLogin, TenantName: name, Code: a.code, TTL: a.ttl, Locale: loc})
		}
	}
	return out
}

// deliver sends messages concurrently and waits for all of them: on
// Lambda nothing runs after the response. Failures are logged without
// secrets and audited; the attempt stays valid. RequestLogin's floor,
// not deliver, makes requests with nothing to send take as long.
func (s *Service) deliver(ctx context.Context, msgs []Message, events []AuditEvent) {
	if len(msgs) == 0 {
		return
	}
	errs := s.sendAll(ctx, msgs)
	var failed []AuditEvent
	for i, err := range errs {
		if err == nil || s.handOff(ctx, msgs[i], err, events) {
			continue // sent, or queued to be sent again (sendqueue.go)
		}
		reason, code := deliveryReason(err)
		// One line per failed send, the same words for every reason, so
		// that an alarm can match it; no address, and err is the
		// sender's, which holds no secret.
		s.d.Logger.ErrorContext(ctx, "delivery failed", "reason", string(reason), "provider_code", code,
			"channel", msgs[i].Channel, "kind", msgs[i].Kind, "tenant", tenantsOf(msgs[i], events), "err", err)
		for _, ev := range events {
			detail := map[string]string{"channel": string(msgs[i].Channel), "reason": string(reason)}
			if code != "" {
				detail["providerCode"] = code
			}
			f := s.event(EventDeliveryFailed, ev.TenantID, ev.ContactID, "system", Meta{}, detail)
			f.Channel = string(msgs[i].Channel)
			failed = append(failed, f)
		}
	}
	s.record(ctx, failed...)
}

// tenantsOf names the tenant a message was for: its own, or for a
// message to several portals the distinct tenants of the request's
// events, comma-separated.
func tenantsOf(m Message, events []AuditEvent) string {
	if m.TenantID != "" {
		return m.TenantID
	}
	var ids []string
	seen := map[string]bool{}
	for _, ev := range events {
		if ev.TenantID != "" && !seen[ev.TenantID] {
			seen[ev.TenantID] = true
			ids = append(ids, ev.TenantID)
		}
	}
	return strings.Join(ids, ",")
}

func (s *Service) sendAll(ctx context.Context, msgs []Message) []error {
	errs := make([]error, len(msgs))
	var wg sync.WaitGroup
	for i, m := range msgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.send(ctx, m)
		}()
	}
	wg.Wait()
	return errs
}

func (s *Service) send(ctx context.Context, m Message) error {
	snd := s.d.Email
	if m.Channel == ChannelSMS {
		snd = s.d.SMS
	}
	if snd == nil {
		return fmt.Errorf("login: no sender for %s", m.Channel)
	}
	if m.OriginHost == "" {
		m.OriginHost = s.originHost()
	}
	return snd.Send(ctx, m)
}

// originHost is the host name of the API's pages, where a code is typed in.
func (s *Service) originHost() string {
	u, err := url.Parse(s.d.BaseURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// smsLinkFor is the link an SMS of tenant t carries for a one-time
// link's token: the short form of a login link, the link itself for any
// other, and none beside a code when t's smsLink is off (code only).
func (s *Service) smsLinkFor(t Tenant, token string, withCode bool) string {
	if withCode && !t.Settings.SMSLink {
		return ""
	}
	if p, ok := parseToken(token); ok && p.kind == kindLink && p.purpose == PurposeLogin {
		return s.shortLinkURL(shortOf(p).String())
	}
	return s.linkURL(token)
}

// shortLinkURL turns a short form into the link an SMS carries.
func (s *Service) shortLinkURL(short string) string {
	return s.d.BaseURL + "/l/" + short
}

// linkURL turns a token into the link a customer follows.
func (s *Service) linkURL(token string) string {
	return s.d.BaseURL + "/v1/login/redeem?token=" + token
}
