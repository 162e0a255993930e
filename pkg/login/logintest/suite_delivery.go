package logintest

import "github.com/portalpass/portalpass/pkg/login"

// deliveryCases check login.DeliveryStore: one status per address,
// across tenants, read by FindIdentity too.
var deliveryCases = []storeCase{
	{"no status is ok", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "")
		key := login.EmailKey("ana@example.com")
		if st, err := f.s.EmailStatus(f.ctx, key); err != nil || !st.OK() {
			f.Errorf("EmailStatus = %q, %v; want ok", st, err)
		}
		if st := f.find(key).EmailStatus; !st.OK() {
			f.Errorf("FindIdentity.EmailStatus = %q; want ok", st)
		}
	}},
	{"status per address, with its events, cleared by ok", func(f *fx) {
		f.contact("t1", "c1", "ana@example.com", "+14155550101")
		f.contact("t2", "c7", "ana@example.com", "")
		key := login.EmailKey("ana@example.com")
		ev := login.AuditEvent{ID: "b1", TenantID: "t1", At: t0, Type: login.EventDeliveryBounced, ContactID: "c1"}
		if err := f.s.SetEmailStatus(f.ctx, key, login.EmailBounced, t0, []login.AuditEvent{ev}); err != nil {
			f.Fatalf("SetEmailStatus(bounced): %v", err)
		}
		f.wantEvents("bounce", "t1", login.EventDeliveryBounced, "b1")
		rec := f.find(key)
		if rec.EmailStatus != login.EmailBounced || len(rec.Matches) != 2 {
			f.Errorf("FindIdentity = status %q, %d matches; want bounced, 2", rec.EmailStatus, len(rec.Matches))
		}
		if st, err := f.s.EmailStatus(f.ctx, key); err != nil || st != login.EmailBounced {
			f.Errorf("EmailStatus = %q, %v; want bounced", st, err)
		}
		if st := f.find(login.PhoneKey("+14155550101")).EmailStatus; !st.OK() {
			f.Errorf("the phone's EmailStatus = %q; want ok (the status is the address's)", st)
		}
		if st, _ := f.s.EmailStatus(f.ctx, login.EmailKey("bo@example.com")); !st.OK() {
			f.Errorf("another address's EmailStatus = %q; want ok", st)
		}
		if err := f.s.SetEmailStatus(f.ctx, key, login.EmailComplained, t0, nil); err != nil {
			f.Fatalf("SetEmailStatus(complained): %v", err)
		}
		if st, _ := f.s.EmailStatus(f.ctx, key); st != login.EmailComplained {
			f.Errorf("EmailStatus = %q; want complained", st)
		}
		if err := f.s.SetEmailStatus(f.ctx, key, login.EmailOK, t0, nil); err != nil {
			f.Fatalf("SetEmailStatus(ok): %v", err)
		}
		if st := f.find(key).EmailStatus; !st.OK() {
			f.Errorf("FindIdentity.EmailStatus after clearing = %q; want ok", st)
		}
	}},
}
