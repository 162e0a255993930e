package logintest

import (
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// counterCases check ReadCounters and AddCounter, with which the SMS
// ceilings are read and counted.
var counterCases = []storeCase{
	{"read counters", func(f *fx) {
		num := login.Counter{Subject: "phone:+14155550123", Key: "sms#1", Limit: 5, ExpiresAt: t0.Add(15 * time.Minute)}
		shard := login.Counter{Subject: "smst:t1#3", Key: "h#1", Limit: 20, ExpiresAt: t0.Add(time.Hour)}
		none := login.Counter{Subject: "smst:t1#4", Key: "h#1", ExpiresAt: t0.Add(time.Hour)}
		got, err := f.s.ReadCounters(f.ctx, t0, []login.Counter{num, shard, none})
		if err != nil {
			f.Fatalf("ReadCounters: %v", err)
		}
		f.eq("before any write", got, []int{0, 0, 0})
		for range 2 {
			f.save(login.AttemptWrite{Now: t0, Counters: []login.Counter{num, shard}})
		}
		f.save(login.AttemptWrite{Now: t0, Counters: []login.Counter{num}})
		got, err = f.s.ReadCounters(f.ctx, t0, []login.Counter{num, shard, none})
		if err != nil {
			f.Fatalf("ReadCounters: %v", err)
		}
		f.eq("after three writes", got, []int{3, 2, 0})
		// The number's counter is one of its identifier's, read with it.
		f.eq("FindIdentity", f.find(num.Subject).Counters, map[string]int{"sms#1": 3})
		// An expired counter reads 0 though TTL has not deleted it.
		got, err = f.s.ReadCounters(f.ctx, t0.Add(15*time.Minute), []login.Counter{num, shard})
		if err != nil {
			f.Fatalf("ReadCounters: %v", err)
		}
		f.eq("after the number's window", got, []int{0, 2})
	}},
	{"add counter", func(f *fx) {
		shard := login.Counter{Subject: "smst:t1#2", Key: "h#1", Limit: 2, ExpiresAt: t0.Add(time.Hour)}
		for i := range 2 {
			if err := f.s.AddCounter(f.ctx, t0, shard); err != nil {
				f.Fatalf("AddCounter %d: %v", i, err)
			}
		}
		f.wantRateLimited("AddCounter at its limit", f.s.AddCounter(f.ctx, t0, shard), time.Hour)
		got, err := f.s.ReadCounters(f.ctx, t0, []login.Counter{shard})
		if err != nil {
			f.Fatalf("ReadCounters: %v", err)
		}
		f.eq("after two bumps and a refused one", got, []int{2})
		// What AddCounter counts, a transaction's bump of it sees.
		f.wantRateLimited("SaveAttempt over the counter", f.s.SaveAttempt(f.ctx, login.AttemptWrite{Now: t0, Counters: []login.Counter{shard}}), time.Hour)
		num := login.Counter{Subject: "phone:+14155550199", Key: "sms#1", Limit: 5, ExpiresAt: t0.Add(15 * time.Minute)}
		if err := f.s.AddCounter(f.ctx, t0, num); err != nil {
			f.Fatalf("AddCounter: %v", err)
		}
		f.eq("an identifier's counter, read with it", f.find(num.Subject).Counters, map[string]int{"sms#1": 1})
	}},
	{"tenant SMS settings round trip", func(f *fx) {
		t := f.tenant("t9")
		if !t.Settings.SMSLink {
			f.Fatalf("a new tenant's smsLink = false; want the default true")
		}
		t.Settings.SMSCountries, t.Settings.SMSPerHour, t.Settings.SMSLink = "CA", 0, false
		if err := f.s.UpdateTenant(f.ctx, t, t.Version); err != nil {
			f.Fatalf("UpdateTenant: %v", err)
		}
		got, err := f.s.GetTenant(f.ctx, "t9")
		if err != nil {
			f.Fatalf("GetTenant: %v", err)
		}
		f.eq("SMS settings", [3]any{got.Settings.SMSCountries, got.Settings.SMSPerHour, got.Settings.SMSLink}, [3]any{"CA", 0, false})
	}},
}
