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
// write one hot item (DESIGN.md, "Hot keys"); each shard holds its share
// of the limit, so the tenant's total stays within a shard's rounding of
// smsPerHour (under 10% from 100 SMS an hour up).
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
// number's identifier key, so it lives in that identifier's partition.
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

// smsTenantCounters are the shard counters of a tenant's current hour.
func smsTenantCounters(tenantID string, limit int, now time.Time) []Counter {
	i, end := window(now, SMSTenantWindow)
	n, share := smsShards(limit)
	out := make([]Counter, n)
	for s := range out {
		out[s] = Counter{Subject: "smst:" + tenantID + "#" + strconv.Itoa(s), Key: "h#" + strconv.FormatInt(i, 10), Limit: share, ExpiresAt: end}
	}
	return out
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
// (ok[i] for sends[i]), the counter bumps the write must carry for them,
// with their limits, and the delivery.suppressed events of the others.
type smsVerdict struct {
	ok       []bool
	counters []Counter
	events   []AuditEvent
	// retryAfter is when the first ceiling hit ends; an admin send
	// answers rate_limited with it.
	retryAfter time.Duration
}

// checkSMSCeilings reads, in one call, the counters of every SMS in
// sends and decides which stay under the per-number and per-tenant
// ceilings. It reads only when there is an SMS to send.
func (s *Service) checkSMSCeilings(ctx context.Context, sends []smsSend, now time.Time) (smsVerdict, error) {
	v := smsVerdict{ok: make([]bool, len(sends))}
	if len(sends) == 0 {
		return v, nil
	}
	var read []Counter
	at := map[[2]string]int{}
	want := func(c Counter) {
		k := [2]string{c.Subject, c.Key}
		if _, ok := at[k]; !ok {
			at[k] = len(read)
			read = append(read, c)
		}
	}
	for _, m := range sends {
		want(smsNumberCounter(m.to, now))
		if m.tenant.Settings.SMSPerHour > 0 {
			for _, c := range smsTenantCounters(m.tenant.ID, m.tenant.Settings.SMSPerHour, now) {
				want(c)
			}
		}
	}
	counts, err := s.d.Attempts.ReadCounters(ctx, now, read)
	if err != nil {
		return v, internal("read sms counters", err)
	}
	count := func(c Counter) *int { return &counts[at[[2]string{c.Subject, c.Key}]] }
	suppress := func(m smsSend, reason string, until time.Time) {
		ev := s.event(EventDeliverySuppressed, m.tenant.ID, m.contactID, "system", Meta{}, map[string]string{"channel": string(ChannelSMS), "reason": reason})
		ev.Channel = string(ChannelSMS)
		v.events = append(v.events, ev)
		if v.retryAfter == 0 {
			v.retryAfter = until.Sub(now)
		}
	}
	for i, m := range sends {
		nc := smsNumberCounter(m.to, now)
		if *count(nc) >= nc.Limit {
			suppress(m, reasonNumberCeiling, nc.ExpiresAt)
			continue
		}
		limit := m.tenant.Settings.SMSPerHour
		if limit <= 0 {
			_, end := window(now, SMSTenantWindow)
			suppress(m, reasonTenantCeiling, end)
			continue
		}
		shards := smsTenantCounters(m.tenant.ID, limit, now)
		total := 0
		var open []Counter
		for _, c := range shards {
			n := *count(c)
			total += n
			if n < c.Limit {
				open = append(open, c)
			}
		}
		if total >= limit || len(open) == 0 {
			suppress(m, reasonTenantCeiling, shards[0].ExpiresAt)
			continue
		}
		// Any shard with room will do: a random one spreads the writes.
		sc := open[rand.IntN(len(open))]
		*count(nc)++
		*count(sc)++
		v.ok[i] = true
		v.counters = append(v.counters, nc, sc)
	}
	return v, nil
}

// gateLoginSMS applies API.md's SMS protection to the messages of a login
// request: an SMS to a number the tenant may not text (country, fixed
// line) is dropped as if no phone were on file; one over a ceiling is
// dropped and audited. It returns the messages that go out and what the
// attempt's write must also carry. The ceilings are read (a third call)
// only when an SMS would go out.
func (s *Service) gateLoginSMS(ctx context.Context, cands []candidate, msgs []Message, now time.Time) ([]Message, smsVerdict, error) {
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
	v, err := s.checkSMSCeilings(ctx, sends, now)
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
// fixed line), rate_limited over a ceiling.
func (s *Service) adminSMS(ctx context.Context, t Tenant, c Contact, now time.Time) error {
	if !s.smsReach(t, c.Phone) {
		return errNoSMSPhone
	}
	v, err := s.checkSMSCeilings(ctx, []smsSend{{to: c.Phone, tenant: t, contactID: c.ID}}, now)
	if err != nil {
		return err
	}
	if !v.ok[0] {
		s.record(ctx, v.events...)
		return s.limited(ctx, RateLimited(v.retryAfter))
	}
	// The counters' limits hold against a race since the read: a
	// counter-only write (no slot) fails with rate_limited at a limit.
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
func (s *Service) saveLogin(ctx context.Context, w AttemptWrite, msgs []Message, cands []candidate, now time.Time) ([]Message, error) {
	out, v, err := s.gateLoginSMS(ctx, cands, msgs, now)
	if err != nil {
		return nil, err
	}
	err = s.d.Attempts.SaveAttempt(ctx, loginWrite(w, out, v))
	if ErrorCode(err) == CodeRateLimited && len(v.counters) > 0 {
		// A ceiling filled between the read and the write (or another
		// limit holds): once more without the SMS, which the write
		// would have counted. A customer still gets 202.
		out = slices.DeleteFunc(out, func(m Message) bool { return m.Channel == ChannelSMS })
		err = s.d.Attempts.SaveAttempt(ctx, loginWrite(w, out, smsVerdict{events: v.events}))
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
