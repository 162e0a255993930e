package login_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// fixture reads testdata/logo/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "logo", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pngOfSize returns the PNG png grown to exactly n bytes by a private
// ancillary chunk after IHDR: still a well-formed PNG.
func pngOfSize(t testing.TB, png []byte, n int) []byte {
	t.Helper()
	pad := n - len(png) - 12
	if pad < 0 {
		t.Fatalf("pngOfSize: %d bytes is less than the PNG's %d", n, len(png))
	}
	chunk := binary.BigEndian.AppendUint32(nil, uint32(pad))
	chunk = append(chunk, "prVt"...)
	chunk = append(chunk, make([]byte, pad)...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	at := 8 + 25 // signature and IHDR
	out := append(append(append([]byte(nil), png[:at]...), chunk...), png[at:]...)
	if len(out) != n {
		t.Fatalf("pngOfSize: made %d bytes; want %d", len(out), n)
	}
	return out
}

// edit returns a copy of b changed by f.
func edit(b []byte, f func([]byte) []byte) []byte { return f(append([]byte(nil), b...)) }

func TestNewLogo(t *testing.T) {
	png, jpg := fixture(t, "logo.png"), fixture(t, "logo.jpg")
	webp, webpLossless, webpAlpha := fixture(t, "logo.webp"), fixture(t, "logo-lossless.webp"), fixture(t, "logo-alpha.webp")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>`)
	tests := []struct {
		name, ct string
		body     []byte
		want     login.Code // "" accepted
		ext      string
	}{
		{"png", "image/png", png, "", "png"},
		{"jpeg", "image/jpeg", jpg, "", "jpg"},
		{"webp lossy", "image/webp", webp, "", "webp"},
		{"webp lossless", "image/webp", webpLossless, "", "webp"},
		{"webp extended with alpha", "image/webp", webpAlpha, "", "webp"},
		{"type in upper case", "IMAGE/PNG", png, "", "png"},
		{"png of exactly 100 KiB", "image/png", pngOfSize(t, png, login.MaxLogoBytes), "", "png"},
		{"png of 101 KiB", "image/png", pngOfSize(t, png, 101<<10), login.CodeBodyTooLarge, ""},
		{"svg", "image/svg+xml", svg, login.CodeUnsupportedMedia, ""},
		{"svg labelled png", "image/png", svg, login.CodeUnsupportedMedia, ""},
		{"text labelled png", "image/png", []byte("hello, this is not an image\n"), login.CodeUnsupportedMedia, ""},
		{"gif", "image/gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), login.CodeUnsupportedMedia, ""},
		{"no type", "", png, login.CodeUnsupportedMedia, ""},
		{"empty", "image/png", nil, login.CodeUnsupportedMedia, ""},
		{"png labelled jpeg", "image/jpeg", png, login.CodeUnsupportedMedia, ""},
		{"jpeg labelled webp", "image/webp", jpg, login.CodeUnsupportedMedia, ""},
		{"png signature then html", "image/png", append([]byte("\x89PNG\r\n\x1a\n"), "<script>alert(1)</script>"...), login.CodeUnsupportedMedia, ""},
		{"png truncated", "image/png", png[:len(png)-12], login.CodeUnsupportedMedia, ""},
		{"png with bytes after IEND", "image/png", append(append([]byte(nil), png...), "<svg/>"...), login.CodeUnsupportedMedia, ""},
		{"png with a bad CRC", "image/png", edit(png, func(b []byte) []byte { b[29] ^= 1; return b }), login.CodeUnsupportedMedia, ""},
		{"png of width 0", "image/png", edit(png, func(b []byte) []byte {
			copy(b[16:20], []byte{0, 0, 0, 0})
			binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
			return b
		}), login.CodeUnsupportedMedia, ""},
		{"jpeg without EOI", "image/jpeg", jpg[:len(jpg)-2], login.CodeUnsupportedMedia, ""},
		{"jpeg SOI and EOI only", "image/jpeg", []byte{0xFF, 0xD8, 0xFF, 0xD9}, login.CodeUnsupportedMedia, ""},
		{"jpeg start then html", "image/jpeg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, "<html></html>\xff\xd9"...), login.CodeUnsupportedMedia, ""},
		{"webp of a wrong RIFF size", "image/webp", append(append([]byte(nil), webp...), 0, 0), login.CodeUnsupportedMedia, ""},
		{"riff but not webp", "image/webp", edit(webp, func(b []byte) []byte { copy(b[8:12], "WAVE"); return b }), login.CodeUnsupportedMedia, ""},
		{"webp of an unknown chunk", "image/webp", edit(webp, func(b []byte) []byte { copy(b[12:16], "ABCD"); return b }), login.CodeUnsupportedMedia, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := login.NewLogo(tt.ct, tt.body)
			if got := login.ErrorCode(err); got != tt.want {
				t.Fatalf("NewLogo(%q, %d bytes) = %v; want code %q", tt.ct, len(tt.body), err, tt.want)
			}
			if tt.want != "" {
				return
			}
			sum := sha256.Sum256(tt.body)
			if want := hex.EncodeToString(sum[:8]) + "." + tt.ext; l.Name != want || !login.ValidLogoName(l.Name) {
				t.Errorf("Name = %q; want %q", l.Name, want)
			}
			if !bytes.Equal(l.Data, tt.body) || l.ContentType != map[string]string{"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}[tt.ext] {
				t.Errorf("logo = %s, %d bytes; want the body as %s", l.ContentType, len(l.Data), tt.ct)
			}
		})
	}
}

func TestValidLogoName(t *testing.T) {
	for name, want := range map[string]bool{
		"0123456789abcdef.png": true, "0123456789abcdef.jpg": true, "0123456789abcdef.webp": true,
		"0123456789ABCDEF.png": false, "0123456789abcdef.svg": false, "0123456789abcde.png": false,
		"0123456789abcdef": false, "../../etc/passwd": false, "0123456789abcdef.png.png": false, "": false,
	} {
		if got := login.ValidLogoName(name); got != want {
			t.Errorf("ValidLogoName(%q) = %v; want %v", name, got, want)
		}
	}
}

// FuzzNewLogo: no body panics the checks, and whatever they accept is
// within the size limit, named by its content, and starts as its type does.
func FuzzNewLogo(f *testing.F) {
	for _, n := range []string{"logo.png", "logo.jpg", "logo.webp", "logo-lossless.webp", "logo-alpha.webp"} {
		b := fixture(f, n)
		for _, ct := range []string{"image/png", "image/jpeg", "image/webp"} {
			f.Add(ct, b)
		}
	}
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		l, err := login.NewLogo(ct, body)
		if err != nil {
			return
		}
		magic := map[string]string{"image/png": "\x89PNG", "image/jpeg": "\xff\xd8\xff", "image/webp": "RIFF"}[l.ContentType]
		if len(body) > login.MaxLogoBytes || !login.ValidLogoName(l.Name) || magic == "" || !bytes.HasPrefix(body, []byte(magic)) {
			t.Errorf("NewLogo(%q, %q) accepted %+v", ct, body, l.Name)
		}
	})
}

func TestLogoFlow(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	w.tenant(t, "other", nil)
	ctx := context.Background()
	k := w.keys["acme"]
	png, jpg := fixture(t, "logo.png"), fixture(t, "logo.jpg")

	if _, err := w.svc.SetLogo(ctx, k, "image/png", pngOfSize(t, png, 101<<10), login.Meta{}); login.ErrorCode(err) != login.CodeBodyTooLarge {
		t.Fatalf("SetLogo(101 KiB) = %v; want body_too_large", err)
	}
	before, _ := w.store.GetTenant(ctx, "acme")
	tn, err := w.svc.SetLogo(ctx, k, "image/png", png, login.Meta{IP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	first := tn.Settings.Logo
	if stored, _ := w.store.GetTenant(ctx, "acme"); stored.Settings.Logo != first || stored.Version != before.Version+1 || tn.Version != stored.Version {
		t.Errorf("stored tenant logo %q version %d (returned %d); want %q, %d", stored.Settings.Logo, stored.Version, tn.Version, first, before.Version+1)
	}
	if got := login.LogoPath(tn); got != "/logos/acme/"+first {
		t.Errorf("LogoPath = %q", got)
	}
	l, err := w.svc.Logo(ctx, "acme", first)
	if err != nil || !bytes.Equal(l.Data, png) || l.ContentType != "image/png" {
		t.Fatalf("Logo(acme, %s) = %s %d bytes, %v; want the PNG", first, l.ContentType, len(l.Data), err)
	}
	for _, c := range []struct{ tenant, name string }{{"other", first}, {"nope", first}, {"acme", "0123456789abcdef.png"}, {"acme", "../x"}} {
		if _, err := w.svc.Logo(ctx, c.tenant, c.name); !errors.Is(err, login.ErrNotFound) {
			t.Errorf("Logo(%s, %s) = %v; want ErrNotFound", c.tenant, c.name, err)
		}
	}
	// The same image again writes nothing; a new one replaces the old.
	if again, err := w.svc.SetLogo(ctx, k, "image/png", png, login.Meta{}); err != nil || again.Version != tn.Version {
		t.Errorf("SetLogo(same) = version %d, %v; want %d, nil", again.Version, err, tn.Version)
	}
	tn, err = w.svc.SetLogo(ctx, k, "image/jpeg", jpg, login.Meta{})
	if err != nil || tn.Settings.Logo == first {
		t.Fatalf("SetLogo(jpeg) = %q, %v", tn.Settings.Logo, err)
	}
	if _, err := w.svc.Logo(ctx, "acme", first); !errors.Is(err, login.ErrNotFound) {
		t.Errorf("Logo(replaced) = %v; want ErrNotFound", err)
	}
	second := tn.Settings.Logo
	if tn, err = w.svc.RemoveLogo(ctx, k, login.Meta{}); err != nil || tn.Settings.Logo != "" || login.LogoPath(tn) != "" {
		t.Fatalf("RemoveLogo = %q, %v", tn.Settings.Logo, err)
	}
	if _, err := w.svc.Logo(ctx, "acme", second); !errors.Is(err, login.ErrNotFound) {
		t.Errorf("Logo(removed) = %v; want ErrNotFound", err)
	}
	if _, err := w.svc.RemoveLogo(ctx, k, login.Meta{}); err != nil {
		t.Errorf("RemoveLogo(none) = %v; want nil", err)
	}
	// Each change is audited as a settings change naming the logo, and
	// nothing else of the upload.
	events, _, err := w.svc.ListEvents(ctx, k, "", string(login.EventSettingsUpdated), 100, "")
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, e := range events {
		details = append(details, e.Detail["logo"])
	}
	if want := []string{"removed", second, first}; len(details) != 3 || details[0] != want[0] || details[1] != want[1] || details[2] != want[2] {
		t.Errorf("settings.updated details = %q; want %q", details, want)
	}
	if events[2].IP != "192.0.2.1" || events[2].Actor != k.Actor() {
		t.Errorf("event = %+v; want the admin's actor and IP", events[2])
	}
}

// TestLogoRemovedInAnotherContainer: a container that cached a logo
// serves it while its view of the tenant (at most TenantCacheTTL old)
// still names it, and 404s once that view no longer does.
func TestLogoRemovedInAnotherContainer(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	ctx := context.Background()
	tn, err := w.svc.SetLogo(ctx, w.keys["acme"], "image/png", fixture(t, "logo.png"), login.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	name := tn.Settings.Logo
	pages := login.New(login.Deps{Store: w.store, Clock: w.clock}) // the hosted pages' container
	if _, err := pages.Logo(ctx, "acme", name); err != nil {
		t.Fatalf("Logo = %v", err)
	}
	if _, err := w.svc.RemoveLogo(ctx, w.keys["acme"], login.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := pages.Logo(ctx, "acme", name); err != nil {
		t.Errorf("Logo within the tenant cache's minute = %v; want the cached logo", err)
	}
	w.clock.Advance(61 * time.Second)
	if _, err := pages.Logo(ctx, "acme", name); !errors.Is(err, login.ErrNotFound) {
		t.Errorf("Logo once the tenant no longer names it = %v; want ErrNotFound", err)
	}
}

// TestLogoRaceWithSettings: a logo upload and settings changes racing it
// all land; neither undoes the other.
func TestLogoRaceWithSettings(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	ctx := context.Background()
	k := w.keys["acme"]
	done := make(chan error, 2)
	go func() {
		_, err := w.svc.SetLogo(ctx, k, "image/png", fixture(t, "logo.png"), login.Meta{})
		done <- err
	}()
	go func() {
		name := "Acme Renamed"
		_, err := w.svc.UpdateSettings(ctx, k, func(t *login.Tenant) error { login.SettingsPatch{Name: &name}.Apply(t); return nil }, login.Meta{})
		done <- err
	}()
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	got, _ := w.store.GetTenant(ctx, "acme")
	if got.Settings.Logo == "" || got.Name != "Acme Renamed" {
		t.Errorf("tenant after the race: logo %q, name %q; want both changes", got.Settings.Logo, got.Name)
	}
}
