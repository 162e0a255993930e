package login

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// SMS ceilings of API.md "SMS protection": SMS costs money per message
// and attracts pumping fraud.
const (
	SMSNumberLimit  = 5 // SMS per phone number per SMSNumberWindow, across identifiers and tenants
	SMSNumberWindow = 15 * time.Minute
	SMSTenantWindow = time.Hour // a tenant's smsPerHour counts per window of this
)

// A tenant's hourly SMS count is split over up to maxSMSShards counters
// of about smsShardShare each, so that a busy tenant's SMS do not all
// write one hot item (DESIGN.md, "Hot keys"). Each SMS counts on one
// shard drawn at random, with one conditional non-transactional update
// (1 write unit; nothing is read first), and each shard holds its share
// of the limit: the tenant sends at most a shard's rounding over
// smsPerHour (under 10% from 100 SMS an hour up), and once most shards
// are full, a little under it (an SMS that draws a full shard is
// suppressed while another may still have room).
const (
	maxSMSShards  = 10
	smsShardShare = 20
)

// Reasons an SMS is suppressed, in the delivery.suppressed event's detail.
const (
	reasonNumberCeiling = "sms_number_ceiling"
	reasonTenantCeiling = "sms_tenant_ceiling"
)

// smsNumberCounter counts the SMS to one number. Its subject is the
// number's identifier key, so it lives in that identifier's partition
// (FindIdentity of the number reads it) and is one item per number and
// window, whichever identifier or tenant an SMS goes out for: its
// condition is what holds the ceiling exactly.
func smsNumberCounter(phone string, now time.Time) Counter {
	i, end := window(now, SMSNumberWindow)
	return Counter{Subject: string(IdentPhone) + ":" + phone, Key: "sms#" + strconv.FormatInt(i, 10), Limit: SMSNumberLimit, ExpiresAt: end}
}

// smsShards returns how many shard counters a tenant's hourly limit is
// split over and each one's share of it.
func smsShards(limit int) (n, share int) {
	n = min(max((limit+smsShardShare-1)/smsShardShare, 1), maxSMSShards)
	return n, (limit + n - 1) / n
}

// smsTenantShard is shard number shard of a tenant's current hour.
func smsTenantShard(tenantID string, limit, shard int, now time.Time) Counter {
	i, end := window(now, SMSTenantWindow)
	_, share := smsShards(limit)
	return Counter{Subject: "smst:" + tenantID + "#" + strconv.Itoa(shard), Key: "h#" + strconv.FormatInt(i, 10), Limit: share, ExpiresAt: end}
}

// randomSMSShard draws one of a tenant's shard counters: spreading the
// writes is all the draw is for.
func randomSMSShard(tenantID string, limit int, now time.Time) Counter {
	n, _ := smsShards(limit)
	return smsTenantShard(tenantID, limit, rand.IntN(n), now)
}

// smsReach reports whether a tenant's SMS may go to phone at all: a
// number whose country the stack and the tenant allow and that can take
// an SMS (not a fixed line). A number that fails is as if none were on
// file. Without Deps.Phones (a hand-built test Service) any number may.
func (s *Service) smsReach(t Tenant, phone string) bool {
	if phone == "" {
		return false
	}
	if s.d.Phones == nil {
		return true
	}
	region, textable := s.d.Phones(phone)
	return textable && s.smsAllowed(t, region)
}

// smsSend is one SMS a flow would send, with the tenant and contact it
// counts against.
type smsSend struct {
	to        string
	tenant    Tenant
	contactID string
}

// smsVerdict is what the ceilings say about a flow's SMS: which may go
// (ok[i] for sends[i]), the number counters the write must carry for
// them, with their limits, and the delivery.suppressed events of the
// others. The tenant's shards are counted already.
type smsVerdict struct {
	ok       []bool
	counters []Counter
	events   []AuditEvent
	// sent are the sends that may go, for their events when the write
	// finds a number's ceiling full after all.
	sent []smsSend
	// retryAfter is when the first ceiling hit ends; an admin send
	// answers rate_limited with it.
	retryAfter time.Duration
}

// suppress records that m does not go out for reason, until until.
func (v *smsVerdict) suppress(s *Service, m smsSend, reason string, until, now time.Time) {
	v.events = append(v.events, s.smsSuppressed(m, reason))
	if v.retryAfter == 0 {
		v.retryAfter = until.Sub(now)
	}
}

// smsSuppressed is the delivery.suppressed event of an SMS not sent.
func (s *Service) smsSuppressed(m smsSend, reason string) AuditEvent {
	ev := s.event(EventDeliverySuppressed, m.tenant.ID, m.contactID, "system", Meta{}, map[string]string{"channel": string(ChannelSMS), "reason": reason})
	ev.Channel = string(ChannelSMS)
	return ev
}

// checkSMSCeilings decides which SMS of sends stay under the per-number
// and per-tenant ceilings, and counts the tenant's: one AddCounter call
// per SMS that may go (one per request in practice), before the write.
// A full shard suppresses the SMS. The number's ceiling is its counter's
// condition in the write that follows (the write fails rate_limited at
// it, see saveLogin); it is checked here too when known holds the
// number's count: a phone login read its own number's counters with its
// identifier, and then spends nothing on an SMS that cannot go. Counting
// the tenant before the write means an SMS whose write then fails still
// counts against the hour (a stale retry, a full number): the tenant's
// ceiling errs on the low side.
func (s *Service) checkSMSCeilings(ctx context.Context, sends []smsSend, known IdentityRecord, now time.Time) (smsVerdict, error) {
	v := smsVerdict{ok: make([]bool, len(sends))}
	first := map[string]int{}
	for i, m := range sends {
		nc := smsNumberCounter(m.to, now)
		if j, ok := first[nc.Subject]; ok {
			v.ok[i] = v.ok[j] // one count per number and request: a write may not bump one item twice
			continue
		}
		first[nc.Subject] = i
		if known.Key == nc.Subject && known.Count(nc.Key) >= nc.Limit {
			v.suppress(s, m, reasonNumberCeiling, nc.ExpiresAt, now)
			continue
		}
		limit := m.tenant.Settings.SMSPerHour
		if limit <= 0 {
			_, end := window(now, SMSTenantWindow)
			v.suppress(s, m, reasonTenantCeiling, end, now)
			continue
		}
		shard := randomSMSShard(m.tenant.ID, limit, now)
		err := s.d.Attempts.AddCounter(ctx, now, shard)
		if ErrorCode(err) == CodeRateLimited {
			v.suppress(s, m, reasonTenantCeiling, shard.ExpiresAt, now)
			continue
		}
		if err != nil {
			return v, internal("count sms", err)
		}
		v.ok[i] = true
		v.counters = append(v.counters, nc)
		v.sent = append(v.sent, m)
	}
	return v, nil
}

// gateLoginSMS applies API.md's SMS protection to the messages of a login
// request: an SMS to a number the tenant may not text (country, fixed
// line) is dropped as if no phone were on file; one over a ceiling is
// dropped and audited. It returns the messages that go out and what the
// attempt's write must also carry. The tenant's ceiling costs a third
// call only when an SMS would go out; rec is what the request read of its
// identifier.
func (s *Service) gateLoginSMS(ctx context.Context, cands []candidate, msgs []Message, rec IdentityRecord, now time.Time) ([]Message, smsVerdict, error) {
	var sends []smsSend
	var at []int // index in msgs of sends[i]
	out := msgs[:0:0]
	for i, m := range msgs {
		if m.Channel != ChannelSMS {
			continue
		}
		// The tenant of the first contact with that number decides
		// (several tenants share one message).
		for _, c := range cands {
			if c.m.Phone == m.To {
				if s.smsReach(c.t, m.To) {
					sends = append(sends, smsSend{to: m.To, tenant: c.t, contactID: c.m.ContactID})
					at = append(at, i)
				}
				break
			}
		}
	}
	v, err := s.checkSMSCeilings(ctx, sends, rec, now)
	if err != nil {
		return nil, v, err
	}
	keep := make(map[int]bool, len(at))
	for j, i := range at {
		keep[i] = v.ok[j]
	}
	for i, m := range msgs {
		if m.Channel != ChannelSMS || keep[i] {
			out = append(out, m)
		}
	}
	return out, v, nil
}

// adminSMS checks that an admin may send an SMS to a contact's phone and
// counts it: no_phone when the number cannot take one here (country,
// fixed line), rate_limited over a ceiling. An admin send reads the
// number's count first (no call budget here): its answer at the ceiling
// is rate_limited, not a write that fails.
func (s *Service) adminSMS(ctx context.Context, t Tenant, c Contact, now time.Time) error {
	if !s.smsReach(t, c.Phone) {
		return errNoSMSPhone
	}
	nc := smsNumberCounter(c.Phone, now)
	n, err := s.d.Attempts.ReadCounters(ctx, now, []Counter{nc})
	if err != nil {
		return internal("read sms counter", err)
	}
	known := IdentityRecord{Key: nc.Subject, Counters: map[string]int{nc.Key: n[0]}}
	v, err := s.checkSMSCeilings(ctx, []smsSend{{to: c.Phone, tenant: t, contactID: c.ID}}, known, now)
	if err != nil {
		return err
	}
	if !v.ok[0] {
		s.record(ctx, v.events...)
		return s.limited(ctx, RateLimited(v.retryAfter))
	}
	// The number's limit holds against a race since the read: a
	// counter-only write (no slot) fails with rate_limited at it.
	return s.d.Attempts.RecordCodeFailure(ctx, CodeFailure{Now: now, Counters: v.counters})
}

// errNoSMSPhone is an admin SMS to a number the stack or tenant may not
// text: as if no phone were on file.
var errNoSMSPhone = &Error{Code: CodeNoPhone, Msg: "This contact's phone number cannot receive SMS from this portal (its country is not enabled, or it is a landline)."}

// saveLogin writes a login request's attempt w together with what SMS
// protection adds, and returns the messages that go out. When none can
// go out (the other channel has nothing on file that may be used, or a
// ceiling holds), the live attempt stays as it was: only the counters
// and the delivery.suppressed events are written.
func (s *Service) saveLogin(ctx context.Context, w AttemptWrite, msgs []Message, cands []candidate, rec IdentityRecord, now time.Time) ([]Message, error) {
	out, v, err := s.gateLoginSMS(ctx, cands, msgs, rec, now)
	if err != nil {
		return nil, err
	}
	err = s.d.Attempts.SaveAttempt(ctx, loginWrite(w, out, v))
	if ErrorCode(err) == CodeRateLimited && len(v.counters) > 0 {
		// A number's ceiling, which only the write's condition saw (a
		// login by email does not read the number's count), or another
		// limit: once more without the SMS and their counters, with
		// their delivery.suppressed events. A customer still gets 202;
		// if another limit holds, this write fails as well.
		out = slices.DeleteFunc(out, func(m Message) bool { return m.Channel == ChannelSMS })
		events := slices.Clip(v.events)
		for _, m := range v.sent {
			events = append(events, s.smsSuppressed(m, reasonNumberCeiling))
		}
		err = s.d.Attempts.SaveAttempt(ctx, loginWrite(w, out, smsVerdict{events: events}))
	}
	if err != nil {
		return nil, err // ErrStale: a contact changed under us; retried
	}
	return out, nil
}

// loginWrite is w with the SMS counters and events of v; with no
// message to send, it keeps only the counters and the events of v.
func loginWrite(w AttemptWrite, msgs []Message, v smsVerdict) AttemptWrite {
	w.Counters = append(slices.Clip(w.Counters), v.counters...)
	if len(msgs) == 0 {
		w.Slots, w.Multi, w.DropMulti, w.Events = nil, nil, "", nil
	}
	w.Events = append(slices.Clip(w.Events), v.events...)
	return w
}

// adminSMSCheck is adminSMS for a contact of its tenant, read from the
// container's cache.
func (s *Service) adminSMSCheck(ctx context.Context, c Contact) error {
	t, err := s.Tenant(ctx, c.TenantID)
	if err != nil {
		return internal("tenant", err)
	}
	return s.adminSMS(ctx, t, c, s.now())
}
