package logintest

import (
	"errors"

	"github.com/portalpass/portalpass/pkg/login"
)

// testLogo returns a logo of n bytes named by seed. The store keeps bytes
// as they are: they need not be an image here (login.NewLogo checks
// uploads), but they are binary, not text.
func testLogo(seed byte, n int) login.Logo {
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i*7) ^ seed ^ 0x80
	}
	return login.Logo{Name: "00000000000000" + string("0123456789abcdef"[seed&15]) + "0.png", ContentType: "image/png", Data: data}
}

// getLogo returns the tenant's logo of that name, failing the test on any
// error.
func (f *fx) getLogo(tenantID, name string) login.Logo {
	f.Helper()
	l, err := f.s.GetLogo(f.ctx, tenantID, name)
	if err != nil {
		f.Fatalf("GetLogo(%s, %s): %v", tenantID, name, err)
	}
	return l
}

// getTenant returns a tenant, failing the test on any error.
func (f *fx) getTenant(id string) login.Tenant {
	f.Helper()
	t, err := f.s.GetTenant(f.ctx, id)
	if err != nil {
		f.Fatalf("GetTenant(%s): %v", id, err)
	}
	return t
}

var logoCases = []storeCase{
	{"brand settings round trip", func(f *fx) {
		t := newTenant("acme")
		t.Settings.BrandColor = "#1a2b3c"
		t.Settings.SupportEmail = "help@acme.example"
		t.Settings.SupportURL = "https://acme.example/help?x=1"
		t.Settings.Logo = "0123456789abcdef.webp"
		if err := f.s.CreateTenant(f.ctx, t); err != nil {
			f.Fatalf("CreateTenant: %v", err)
		}
		f.eq("GetTenant", f.getTenant("acme"), t)
		t2 := t
		t2.Settings.BrandColor, t2.Settings.SupportEmail, t2.Settings.SupportURL, t2.Settings.Logo = "#000000", "", "", ""
		t2.Version = 2
		if err := f.s.UpdateTenant(f.ctx, t2, 1); err != nil {
			f.Fatalf("UpdateTenant: %v", err)
		}
		f.eq("GetTenant after clearing", f.getTenant("acme"), t2)
	}},
	{"put and get logo", func(f *fx) {
		t := f.tenant("acme")
		l := testLogo(1, login.MaxLogoBytes)
		if err := f.s.PutLogo(f.ctx, "acme", l, "", 1); err != nil {
			f.Fatalf("PutLogo: %v", err)
		}
		f.eq("GetLogo", f.getLogo("acme", l.Name), l)
		want := t
		want.Settings.Logo, want.Version = l.Name, 2
		f.eq("GetTenant after PutLogo", f.getTenant("acme"), want)
	}},
	{"a logo is its tenant's", func(f *fx) {
		f.tenant("acme")
		f.tenant("other")
		l := testLogo(1, 100)
		if err := f.s.PutLogo(f.ctx, "acme", l, "", 1); err != nil {
			f.Fatalf("PutLogo: %v", err)
		}
		_, err := f.s.GetLogo(f.ctx, "other", l.Name)
		f.wantErr("GetLogo(other tenant)", err, login.ErrNotFound)
		_, err = f.s.GetLogo(f.ctx, "acme", testLogo(2, 1).Name)
		f.wantErr("GetLogo(unknown name)", err, login.ErrNotFound)
	}},
	{"a new logo deletes the old", func(f *fx) {
		f.tenant("acme")
		a, b := testLogo(1, 300), testLogo(2, 400)
		if err := f.s.PutLogo(f.ctx, "acme", a, "", 1); err != nil {
			f.Fatalf("PutLogo(a): %v", err)
		}
		if err := f.s.PutLogo(f.ctx, "acme", b, a.Name, 2); err != nil {
			f.Fatalf("PutLogo(b): %v", err)
		}
		_, err := f.s.GetLogo(f.ctx, "acme", a.Name)
		f.wantErr("GetLogo(replaced)", err, login.ErrNotFound)
		f.eq("GetLogo(new)", f.getLogo("acme", b.Name), b)
		if got := f.getTenant("acme"); got.Settings.Logo != b.Name || got.Version != 3 {
			f.Errorf("tenant logo, version = %q, %d; want %q, 3", got.Settings.Logo, got.Version, b.Name)
		}
	}},
	{"put logo with stale version writes nothing", func(f *fx) {
		t := f.tenant("acme")
		t2 := t
		t2.Name, t2.Version = "Renamed", 2
		if err := f.s.UpdateTenant(f.ctx, t2, 1); err != nil {
			f.Fatalf("UpdateTenant: %v", err)
		}
		l := testLogo(1, 100)
		f.wantErr("PutLogo from version 1", f.s.PutLogo(f.ctx, "acme", l, "", 1), login.ErrStale)
		_, err := f.s.GetLogo(f.ctx, "acme", l.Name)
		f.wantErr("GetLogo after stale PutLogo", err, login.ErrNotFound)
		f.eq("GetTenant after stale PutLogo", f.getTenant("acme"), t2)
	}},
	{"a settings change read before the logo cannot undo it", func(f *fx) {
		t := f.tenant("acme")
		l := testLogo(1, 100)
		if err := f.s.PutLogo(f.ctx, "acme", l, "", 1); err != nil {
			f.Fatalf("PutLogo: %v", err)
		}
		patch := t // read at version 1, before the logo
		patch.Name, patch.Version = "Late PATCH", 2
		f.wantErr("UpdateTenant from version 1", f.s.UpdateTenant(f.ctx, patch, 1), login.ErrStale)
		if got := f.getTenant("acme"); got.Settings.Logo != l.Name || got.Name != t.Name {
			f.Errorf("tenant after the late PATCH: logo %q, name %q; want %q, %q", got.Settings.Logo, got.Name, l.Name, t.Name)
		}
	}},
	{"put logo on an unknown tenant", func(f *fx) {
		err := f.s.PutLogo(f.ctx, "nope", testLogo(1, 10), "", 1)
		if !errors.Is(err, login.ErrStale) && !errors.Is(err, login.ErrNotFound) {
			f.Errorf("PutLogo(unknown tenant): err = %v; want ErrStale or ErrNotFound", err)
		}
		if _, err := f.s.GetTenant(f.ctx, "nope"); !errors.Is(err, login.ErrNotFound) {
			f.Errorf("GetTenant after PutLogo(unknown): err = %v; want ErrNotFound", err)
		}
		_, err = f.s.GetLogo(f.ctx, "nope", testLogo(1, 10).Name)
		f.wantErr("GetLogo after PutLogo(unknown)", err, login.ErrNotFound)
	}},
	{"delete logo", func(f *fx) {
		t := f.tenant("acme")
		l := testLogo(1, 100)
		if err := f.s.PutLogo(f.ctx, "acme", l, "", 1); err != nil {
			f.Fatalf("PutLogo: %v", err)
		}
		f.wantErr("DeleteLogo from version 1", f.s.DeleteLogo(f.ctx, "acme", l.Name, 1), login.ErrStale)
		f.eq("GetLogo after stale DeleteLogo", f.getLogo("acme", l.Name), l)
		if err := f.s.DeleteLogo(f.ctx, "acme", l.Name, 2); err != nil {
			f.Fatalf("DeleteLogo: %v", err)
		}
		_, err := f.s.GetLogo(f.ctx, "acme", l.Name)
		f.wantErr("GetLogo after DeleteLogo", err, login.ErrNotFound)
		want := t
		want.Version = 3
		f.eq("GetTenant after DeleteLogo", f.getTenant("acme"), want)
	}},
	{"stored bytes are not the caller's", func(f *fx) {
		f.tenant("acme")
		l := testLogo(1, 50)
		want := testLogo(1, 50)
		if err := f.s.PutLogo(f.ctx, "acme", l, "", 1); err != nil {
			f.Fatalf("PutLogo: %v", err)
		}
		l.Data[0] ^= 0xff
		got := f.getLogo("acme", l.Name)
		f.eq("GetLogo after the caller changed its buffer", got, want)
		got.Data[1] ^= 0xff
		f.eq("GetLogo after a reader changed its copy", f.getLogo("acme", l.Name), want)
	}},
}
