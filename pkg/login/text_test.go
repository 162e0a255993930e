package login_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// refusedText holds one example of every kind of character a text field
// refuses, in the middle of otherwise good text.
var refusedText = map[string]string{
	"NUL": "Acme\x00Ltd", "TAB": "Acme\tLtd", "LF": "Acme\nBcc: x@y.z", "CR": "Acme\rLtd", "CRLF": "Acme\r\nLtd",
	"ESC": "Acme\x1b[31mLtd", "US": "Acme\x1fLtd", "DEL": "Acme\x7fLtd",
	"C1 PAD": "Acme\u0080Ltd", "C1 NEL": "Acme\u0085Ltd", "C1 APC": "Acme\u009fLtd",
	"ALM": "Acme\u061cLtd", "LRM": "Acme\u200eLtd", "RLM": "Acme\u200fLtd",
	"LRE": "Acme\u202aLtd", "RLE": "Acme\u202bLtd", "PDF": "Acme\u202cLtd", "LRO": "Acme\u202dLtd",
	"RLO": "invoice-42\u202etxt.exe", "LRI": "Acme\u2066Ltd", "RLI": "Acme\u2067Ltd", "FSI": "Acme\u2068Ltd",
	"PDI": "Acme\u2069Ltd", "invalid UTF-8": "Acme\xffLtd", "lone continuation byte": "Acme\x80Ltd",
}

// goodText is text every field takes: letters of any script, spaces,
// punctuation, and characters near the refused ones.
var goodText = []string{
	"", "Acme", "Acme Ltd.", "Zoë Łukasiewicz-Ødegård", "株式会社アクメ", "שלום", "مرحبا",
	"invoice-42", "a\u00a0b", "x\u00a0", "a\u200db", "a\u2065b", "a\u206ab",
	"emoji 🎉", "\u00a1Hola!", "a\u061bb", "a\u061db", "a\u2010b", "a\u202fb",
}

func TestCheckText(t *testing.T) {
	for name, s := range refusedText {
		err := login.CheckText("name", s)
		if login.ErrorCode(err) != login.CodeInvalidRequest {
			t.Errorf("%s: CheckText(%q) = %v; want invalid_request", name, s, err)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(login.ErrorMessage(err), "name ") || strings.Contains(msg, s) {
			t.Errorf("%s: CheckText(%q) message %q; want it to name the field and not repeat the input", name, s, login.ErrorMessage(err))
		}
	}
	for _, s := range goodText {
		if err := login.CheckText("name", s); err != nil {
			t.Errorf("CheckText(%q) = %v; want nil", s, err)
		}
	}
	// Every C0 and C1 control is refused, and nothing else below U+00A0.
	for r := rune(0); r < 0xa0; r++ {
		refused := r < 0x20 || 0x7f <= r
		if got := login.CheckText("f", "a"+string(r)+"b") != nil; got != refused {
			t.Errorf("CheckText(U+%04X) refused = %v; want %v", r, got, refused)
		}
	}
}

// TestTenantText checks the tenant's name and sender name, both when a
// tenant is made and when it is changed.
func TestTenantText(t *testing.T) {
	for name, s := range refusedText {
		t.Run(name, func(t *testing.T) {
			tn := validTenant()
			tn.Name = s
			checkSettingErr(t, login.CheckTenant(tn), "name must be text without control characters")
			checkSettingErr(t, login.CheckTenantChange(validTenant(), tn), "name must be text without control characters")

			tn = validTenant()
			tn.Settings.SenderName = s
			checkSettingErr(t, login.CheckTenant(tn), "senderName must be at most 100 characters, with no control characters or bidirectional formatting characters")
			checkSettingErr(t, login.CheckTenantChange(validTenant(), tn), "senderName must be")
		})
	}
	for _, s := range goodText {
		tn := validTenant()
		tn.Settings.SenderName = s
		if s != "" {
			tn.Name = s
		}
		checkSettingErr(t, login.CheckTenant(tn), "")
	}

	w := newWorld(t)
	_, err := w.svc.CreateTenant(context.Background(), "acme", "Acme\u202e", login.DefaultSettings("https://portal.acme.example"))
	if login.ErrorCode(err) != login.CodeInvalidRequest || !strings.HasPrefix(login.ErrorMessage(err), "name ") {
		t.Errorf("CreateTenant with U+202E in its name = %v; want invalid_request about name", err)
	}
}

func TestContactNameText(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	ctx := context.Background()
	k := w.keys["acme"]
	c := w.contact(t, "acme", "ana@example.com", "")
	for name, s := range refusedText {
		mail := "bo@example.com"
		_, err := w.svc.CreateContact(ctx, k, login.ContactInput{Email: &mail, Name: &s}, login.Meta{})
		if login.ErrorCode(err) != login.CodeInvalidRequest || !strings.HasPrefix(login.ErrorMessage(err), "name ") {
			t.Errorf("%s: CreateContact name %q = %v; want invalid_request about name", name, s, err)
		}
		_, err = w.svc.UpdateContact(ctx, k, c.ID, login.ContactInput{Name: &s}, login.Meta{})
		if login.ErrorCode(err) != login.CodeInvalidRequest || !strings.HasPrefix(login.ErrorMessage(err), "name ") {
			t.Errorf("%s: UpdateContact name %q = %v; want invalid_request about name", name, s, err)
		}
	}
	for _, s := range goodText {
		got, err := w.svc.UpdateContact(ctx, k, c.ID, login.ContactInput{Name: &s}, login.Meta{})
		if err != nil || got.Name != s {
			t.Errorf("UpdateContact name %q = %q, %v", s, got.Name, err)
		}
	}
	// A change that leaves the name alone is not refused.
	mail := "ana2@example.com"
	if _, err := w.svc.UpdateContact(ctx, k, c.ID, login.ContactInput{Email: &mail}, login.Meta{}); err != nil {
		t.Errorf("UpdateContact without a name = %v", err)
	}
}

func TestActionRefText(t *testing.T) {
	w := newWorld(t)
	w.tenant(t, "acme", nil)
	ctx := context.Background()
	k := w.keys["acme"]
	c := w.contact(t, "acme", "ana@example.com", "")
	for name, s := range refusedText {
		_, _, err := w.svc.CreateActionLink(ctx, k, login.ActionLinkInput{ContactID: c.ID, Redirect: "/invoices/42", Ref: s}, login.Meta{})
		if login.ErrorCode(err) != login.CodeInvalidRequest || !strings.HasPrefix(login.ErrorMessage(err), "ref ") {
			t.Errorf("%s: CreateActionLink ref %q = %v; want invalid_request about ref", name, s, err)
		}
	}
	for _, s := range append(goodText, strings.Repeat("é", 100)) {
		al, _, err := w.svc.CreateActionLink(ctx, k, login.ActionLinkInput{ContactID: c.ID, Redirect: "/invoices/42", Ref: s, TTL: time.Hour}, login.Meta{})
		if err != nil || al.Ref != s {
			t.Errorf("CreateActionLink ref %q = %q, %v", s, al.Ref, err)
		}
	}
}
