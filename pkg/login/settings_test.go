package login_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/portalpass/portalpass/pkg/login"
)

// validTenant is a tenant that keeps every rule; cases change one thing.
func validTenant() login.Tenant {
	return login.Tenant{ID: "acme", Name: "Acme", Settings: login.DefaultSettings("https://portal.acme.example/app")}
}

func TestCheckTenant(t *testing.T) {
	long := strings.Repeat("é", 100)
	tests := []struct {
		name    string
		edit    func(*login.Tenant)
		relaxed bool
		want    string // "": accepted; else the start of the message
	}{
		{"defaults", func(*login.Tenant) {}, false, ""},

		{"name 1 character", func(t *login.Tenant) { t.Name = "A" }, false, ""},
		{"name 100 characters", func(t *login.Tenant) { t.Name = long }, false, ""},
		{"name empty", func(t *login.Tenant) { t.Name = "" }, false, "name must be 1-100 characters"},
		{"name 101 characters", func(t *login.Tenant) { t.Name = long + "x" }, false, "name must be 1-100"},

		{"portal https", func(t *login.Tenant) { t.Settings.PortalURL = "https://acme.example" }, false, ""},
		{"portal http localhost", func(t *login.Tenant) { t.Settings.PortalURL = "http://localhost:3000/portal" }, false, ""},
		{"portal http 127.0.0.1", func(t *login.Tenant) { t.Settings.PortalURL = "http://127.0.0.1:8080/portal" }, false, ""},
		{"portal http [::1]", func(t *login.Tenant) { t.Settings.PortalURL = "http://[::1]:8080/" }, false, ""},
		{"portal http elsewhere", func(t *login.Tenant) { t.Settings.PortalURL = "http://portal.acme.example" }, false, "portalUrl must be an https URL (http only for localhost)"},
		{"portal http localhost lookalike", func(t *login.Tenant) { t.Settings.PortalURL = "http://localhost.evil.example" }, false, "portalUrl must be"},
		{"portal empty", func(t *login.Tenant) { t.Settings.PortalURL = "" }, false, "portalUrl must be"},
		{"portal relative", func(t *login.Tenant) { t.Settings.PortalURL = "/portal" }, false, "portalUrl must be"},
		{"portal query", func(t *login.Tenant) { t.Settings.PortalURL = "https://acme.example/?x=1" }, false, "portalUrl must be"},
		{"portal javascript", func(t *login.Tenant) { t.Settings.PortalURL = "javascript:alert(1)" }, false, "portalUrl must be"},
		{"portal too long", func(t *login.Tenant) {
			t.Settings.PortalURL = "https://acme.example/" + strings.Repeat("a", login.MaxPortalURL)
		}, false, "portalUrl must be"},

		{"sms countries", func(t *login.Tenant) { t.Settings.SMSCountries = "US,ca" }, false, ""},
		{"sms countries of three letters", func(t *login.Tenant) { t.Settings.SMSCountries = "USA" }, false, "smsCountries must be ISO 3166"},
		{"sms countries repeated", func(t *login.Tenant) { t.Settings.SMSCountries = "US,US" }, false, "smsCountries must be"},
		{"sms countries empty entry", func(t *login.Tenant) { t.Settings.SMSCountries = "US,," }, false, "smsCountries must be"},
		{"sms per hour 0", func(t *login.Tenant) { t.Settings.SMSPerHour = 0 }, false, ""},
		{"sms per hour max", func(t *login.Tenant) { t.Settings.SMSPerHour = 100000 }, false, ""},
		{"sms per hour above max", func(t *login.Tenant) { t.Settings.SMSPerHour = 100001 }, false, "smsPerHour must be from 0 to 100000"},
		{"sms per hour negative", func(t *login.Tenant) { t.Settings.SMSPerHour = -1 }, false, "smsPerHour must be"},
		{"locales default", func(t *login.Tenant) { t.Settings.Locales = "" }, false, ""},
		{"locales all four", func(t *login.Tenant) { t.Settings.Locales = "fr,en,es,de" }, false, ""},
		{"locales unshipped", func(t *login.Tenant) { t.Settings.Locales = "en,it" }, false, "locales must list"},
		{"locales repeated", func(t *login.Tenant) { t.Settings.Locales = "es,es" }, false, "locales must list"},
		{"locales upper-case", func(t *login.Tenant) { t.Settings.Locales = "ES" }, false, "locales must list"},
		{"locales empty list", func(t *login.Tenant) { login.SettingsPatch{Locales: &[]string{}}.Apply(t) }, false, "locales must list"},

		{"link at min", func(t *login.Tenant) { t.Settings.LinkTTL = 60 * time.Second }, false, ""},
		{"link at max", func(t *login.Tenant) { t.Settings.LinkTTL = 3600 * time.Second }, false, ""},
		{"link below min", func(t *login.Tenant) { t.Settings.LinkTTL = 59 * time.Second }, false, "linkTtlSeconds must be from 60 to 3600 seconds"},
		{"link above max", func(t *login.Tenant) { t.Settings.LinkTTL = 3601 * time.Second }, false, "linkTtlSeconds must be from 60 to 3600 seconds"},
		{"link zero", func(t *login.Tenant) { t.Settings.LinkTTL = 0 }, false, "linkTtlSeconds must be"},
		{"link negative", func(t *login.Tenant) { t.Settings.LinkTTL = -time.Minute }, false, "linkTtlSeconds must be"},
		{"invite at min", func(t *login.Tenant) { t.Settings.InviteTTL = 3600 * time.Second }, false, ""},
		{"invite at max", func(t *login.Tenant) { t.Settings.InviteTTL = 2592000 * time.Second }, false, ""},
		{"invite below min", func(t *login.Tenant) { t.Settings.InviteTTL = 3599 * time.Second }, false, "inviteTtlSeconds must be from 3600 to 2592000 seconds"},
		{"invite above max", func(t *login.Tenant) { t.Settings.InviteTTL = 2592001 * time.Second }, false, "inviteTtlSeconds must be from 3600 to 2592000 seconds"},
		{"recovery at min", func(t *login.Tenant) { t.Settings.RecoveryTTL = 600 * time.Second }, false, ""},
		{"recovery at max", func(t *login.Tenant) { t.Settings.RecoveryTTL = 604800 * time.Second }, false, ""},
		{"recovery below min", func(t *login.Tenant) { t.Settings.RecoveryTTL = 599 * time.Second }, false, "recoveryTtlSeconds must be from 600 to 604800 seconds"},
		{"recovery above max", func(t *login.Tenant) { t.Settings.RecoveryTTL = 604801 * time.Second }, false, "recoveryTtlSeconds must be from 600 to 604800 seconds"},
		{"session at min", func(t *login.Tenant) { t.Settings.SessionTTL = 300 * time.Second }, false, ""},
		{"session at max", func(t *login.Tenant) { t.Settings.SessionTTL = 7776000 * time.Second }, false, ""},
		{"session below min", func(t *login.Tenant) { t.Settings.SessionTTL = 299 * time.Second }, false, "sessionTtlSeconds must be from 300 to 7776000 seconds"},
		{"session above max", func(t *login.Tenant) { t.Settings.SessionTTL = 7776001 * time.Second }, false, "sessionTtlSeconds must be from 300 to 7776000 seconds"},

		{"relaxed link 1 second", func(t *login.Tenant) { t.Settings.LinkTTL = time.Second }, true, ""},
		{"relaxed invite 1 second", func(t *login.Tenant) { t.Settings.InviteTTL = time.Second }, true, ""},
		{"relaxed recovery 1 second", func(t *login.Tenant) { t.Settings.RecoveryTTL = time.Second }, true, ""},
		{"relaxed session 1 second", func(t *login.Tenant) { t.Settings.SessionTTL = time.Second }, true, ""},
		{"relaxed link zero", func(t *login.Tenant) { t.Settings.LinkTTL = 0 }, true, "linkTtlSeconds must be from 1 to 3600 seconds"},
		{"relaxed keeps the max", func(t *login.Tenant) { t.Settings.LinkTTL = 3601 * time.Second }, true, "linkTtlSeconds must be from 1 to 3600 seconds"},
		{"relaxed keeps other rules", func(t *login.Tenant) { t.Settings.CodeLength = 3 }, true, "codeLength must be"},
		{"strict link 1 second", func(t *login.Tenant) { t.Settings.LinkTTL = time.Second }, false, "linkTtlSeconds must be from 60"},

		{"code length 4", func(t *login.Tenant) { t.Settings.CodeLength = 4 }, false, ""},
		{"code length 8", func(t *login.Tenant) { t.Settings.CodeLength = 8 }, false, ""},
		{"code length 3", func(t *login.Tenant) { t.Settings.CodeLength = 3 }, false, "codeLength must be from 4 to 8"},
		{"code length 9", func(t *login.Tenant) { t.Settings.CodeLength = 9 }, false, "codeLength must be from 4 to 8"},

		{"sender empty", func(t *login.Tenant) { t.Settings.SenderName = "" }, false, ""},
		{"sender 100 characters", func(t *login.Tenant) { t.Settings.SenderName = long }, false, ""},
		{"sender 101 characters", func(t *login.Tenant) { t.Settings.SenderName = long + "x" }, false, "senderName must be at most 100 characters"},
		{"sender newline", func(t *login.Tenant) { t.Settings.SenderName = "Acme\nBcc: x" }, false, "senderName must be at most 100 characters, with no control characters"},
		{"sender DEL", func(t *login.Tenant) { t.Settings.SenderName = "Acme\x7f" }, false, "senderName must be"},

		{"integration cookie", func(t *login.Tenant) { t.Settings.PortalIntegration = login.IntegrationCookie }, false, ""},
		{"integration handoff", func(t *login.Tenant) { t.Settings.PortalIntegration = login.IntegrationHandoff }, false, ""},
		{"integration empty", func(t *login.Tenant) { t.Settings.PortalIntegration = "" }, false, `portalIntegration must be "cookie" or "handoff"`},
		{"integration other", func(t *login.Tenant) { t.Settings.PortalIntegration = "Cookie" }, false, "portalIntegration must be"},

		{"cookie domain none", func(t *login.Tenant) { t.Settings.CookieDomain = "" }, false, ""},
		{"cookie domain parent", func(t *login.Tenant) { t.Settings.CookieDomain = "acme.example" }, false, ""},
		{"cookie domain the host", func(t *login.Tenant) { t.Settings.CookieDomain = "portal.acme.example" }, false, ""},
		{"cookie domain one label", func(t *login.Tenant) { t.Settings.CookieDomain = "example" }, false, "cookieDomain must be a parent domain shared by the API and the portal"},
		{"cookie domain space", func(t *login.Tenant) { t.Settings.CookieDomain = "not a domain" }, false, "cookieDomain must be a parent domain"},
		{"cookie domain upper-case", func(t *login.Tenant) { t.Settings.CookieDomain = "Acme.example" }, false, "cookieDomain must be a parent domain"},
		{"cookie domain leading dot", func(t *login.Tenant) { t.Settings.CookieDomain = ".acme.example" }, false, "cookieDomain must be a parent domain"},
		{"cookie domain empty label", func(t *login.Tenant) { t.Settings.CookieDomain = "acme..example" }, false, "cookieDomain must be a parent domain"},
		{"cookie domain label dash", func(t *login.Tenant) { t.Settings.CookieDomain = "-acme.example" }, false, "cookieDomain must be a parent domain"},
		{"cookie domain label 64", func(t *login.Tenant) { t.Settings.CookieDomain = strings.Repeat("a", 64) + ".example" }, false, "cookieDomain must be a parent domain"},
		{"cookie domain not a parent", func(t *login.Tenant) { t.Settings.CookieDomain = "other.example" }, false, "cookieDomain must be the portal's host portal.acme.example or a parent domain of it"},
		{"cookie domain suffix without dot", func(t *login.Tenant) { t.Settings.CookieDomain = "cme.example" }, false, "cookieDomain must be the portal's host"},
		{"cookie domain child of the host", func(t *login.Tenant) { t.Settings.CookieDomain = "x.portal.acme.example" }, false, "cookieDomain must be the portal's host"},
		{"cookie domain upper-case portal", func(t *login.Tenant) {
			t.Settings.PortalURL, t.Settings.CookieDomain = "https://Portal.ACME.example", "acme.example"
		}, false, ""},
		{"cookie domain portal on an IP", func(t *login.Tenant) {
			t.Settings.PortalURL, t.Settings.CookieDomain = "https://192.0.2.1/portal", "0.2.1"
		}, false, "cookieDomain must be the portal's host"},
		{"cookie domain localhost portal", func(t *login.Tenant) {
			t.Settings.PortalURL, t.Settings.CookieDomain = "http://localhost:3000", "example.com"
		}, false, "cookieDomain must be the portal's host localhost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := validTenant()
			tt.edit(&tn)
			var opts []login.TenantOption
			if tt.relaxed {
				opts = append(opts, login.RelaxedLifetimes)
			}
			checkSettingErr(t, login.CheckTenant(tn, opts...), tt.want)
		})
	}
}

// checkSettingErr fails t unless err is nil for want "", else an
// invalid_request error whose message starts with want.
func checkSettingErr(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("err = %v; want nil", err)
		}
		return
	}
	if got := login.ErrorCode(err); got != login.CodeInvalidRequest {
		t.Fatalf("code = %q (%v); want %q", got, err, login.CodeInvalidRequest)
	}
	if msg := login.ErrorMessage(err); !strings.HasPrefix(msg, want) {
		t.Errorf("message = %q; want it to start with %q", msg, want)
	}
}

func TestCheckTenantChange(t *testing.T) {
	// A tenant the dev server made with a 2-second link and a cookie domain.
	short := validTenant()
	short.Settings.LinkTTL = 2 * time.Second
	short.Settings.CookieDomain = "acme.example"
	tests := []struct {
		name   string
		before login.Tenant
		edit   func(*login.Tenant)
		want   string
	}{
		{"nothing changed", short, func(*login.Tenant) {}, ""},
		{"rename keeps an old short link", short, func(t *login.Tenant) { t.Name = "Acme Ltd" }, ""},
		{"short link set again is no change", short, func(t *login.Tenant) { t.Settings.LinkTTL = 2 * time.Second }, ""},
		{"a changed link is checked strictly", short, func(t *login.Tenant) { t.Settings.LinkTTL = 3 * time.Second }, "linkTtlSeconds must be from 60 to 3600 seconds"},
		{"link to a valid value", short, func(t *login.Tenant) { t.Settings.LinkTTL = time.Minute }, ""},
		{"bad name", short, func(t *login.Tenant) { t.Name = "" }, "name must be"},
		{"bad code length", short, func(t *login.Tenant) { t.Settings.CodeLength = 9 }, "codeLength must be"},
		{"portal moves under the domain", short, func(t *login.Tenant) { t.Settings.PortalURL = "https://shop.acme.example" }, ""},
		{"portal moves out from under the domain", short, func(t *login.Tenant) { t.Settings.PortalURL = "https://portal.other.example" }, "cookieDomain must be the portal's host portal.other.example"},
		{"portal and domain move together", short, func(t *login.Tenant) {
			t.Settings.PortalURL, t.Settings.CookieDomain = "https://portal.other.example", "other.example"
		}, ""},
		{"portal moves, domain cleared", short, func(t *login.Tenant) {
			t.Settings.PortalURL, t.Settings.CookieDomain = "https://portal.other.example", ""
		}, ""},
		{"bad portal names the portal first", short, func(t *login.Tenant) { t.Settings.PortalURL = "http://portal.acme.example" }, "portalUrl must be"},
		{"several changes, first rule reports", short, func(t *login.Tenant) { t.Name, t.Settings.CodeLength = "", 9 }, "name must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := tt.before
			tt.edit(&after)
			checkSettingErr(t, login.CheckTenantChange(tt.before, after), tt.want)
		})
	}
}

func TestSettingsPatchApply(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		check func(login.Tenant) bool
	}{
		{"empty leaves all", `{}`, func(t login.Tenant) bool { return t == validTenant() }},
		{"seconds", `{"linkTtlSeconds": 90, "inviteTtlSeconds": 7200, "recoveryTtlSeconds": 900, "sessionTtlSeconds": 600}`, func(t login.Tenant) bool {
			s := t.Settings
			return s.LinkTTL == 90*time.Second && s.InviteTTL == 2*time.Hour && s.RecoveryTTL == 15*time.Minute && s.SessionTTL == 10*time.Minute
		}},
		{"huge seconds saturate", `{"linkTtlSeconds": 9223372036854775807}`, func(t login.Tenant) bool { return t.Settings.LinkTTL == math.MaxInt64 }},
		{"huge negative seconds saturate", `{"linkTtlSeconds": -9223372036854775808}`, func(t login.Tenant) bool { return t.Settings.LinkTTL == math.MinInt64 }},
		{"bools to false", `{"codeAlsoBySms": false, "smsLogin": false}`, func(t login.Tenant) bool { return !t.Settings.CodeAlsoBySMS && !t.Settings.SMSLogin }},
		{"strings", `{"name": "N", "portalUrl": "https://p.example", "senderName": "S", "portalIntegration": "handoff", "cookieDomain": "p.example", "codeLength": 8}`, func(t login.Tenant) bool {
			s := t.Settings
			return t.Name == "N" && s.PortalURL == "https://p.example" && s.SenderName == "S" && s.PortalIntegration == "handoff" && s.CookieDomain == "p.example" && s.CodeLength == 8
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p login.SettingsPatch
			if err := json.Unmarshal([]byte(tt.body), &p); err != nil {
				t.Fatal(err)
			}
			tn := validTenant()
			p.Apply(&tn)
			if !tt.check(tn) {
				t.Errorf("Apply(%s) = %+v", tt.body, tn)
			}
		})
	}
	// A huge number must fail the range check, not wrap round into it.
	tn := validTenant()
	huge := int64(math.MaxInt64/int64(time.Second)) + 600
	login.SettingsPatch{LinkTTLSeconds: &huge}.Apply(&tn)
	checkSettingErr(t, login.CheckTenant(tn), "linkTtlSeconds must be")
}

func TestSettingsView(t *testing.T) {
	tn := validTenant()
	b, err := json.Marshal(login.SettingsView(tn))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"Acme","portalUrl":"https://portal.acme.example/app","linkTtlSeconds":600,"inviteTtlSeconds":604800,` +
		`"recoveryTtlSeconds":86400,"sessionTtlSeconds":2592000,"codeLength":6,"codeAlsoBySms":true,"smsLogin":true,` +
		`"senderName":"Acme","portalIntegration":"cookie","cookieDomain":"","smsPerHour":200,"smsLink":true,"locales":["en"],"brandColor":"#2d5bd7"}`
	if string(b) != want {
		t.Errorf("SettingsView = %s; want %s", b, want)
	}
	// The view round-trips: applying it changes nothing.
	var p login.SettingsPatch
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	got := validTenant()
	got.Settings.SenderName = "Acme"
	p.Apply(&got)
	if want := validTenant(); got.Settings.LinkTTL != want.Settings.LinkTTL || got.Name != want.Name || got.Settings.PortalURL != want.Settings.PortalURL {
		t.Errorf("round trip = %+v", got)
	}
}

// TestServiceSettingsRules: the Service enforces the rules whoever calls
// it, not only the HTTP layer.
func TestServiceSettingsRules(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)

	bad := login.DefaultSettings("http://portal.bad.example")
	if _, err := w.svc.CreateTenant(ctx, "bad", "Bad", bad); login.ErrorCode(err) != login.CodeInvalidRequest {
		t.Errorf("CreateTenant(http portal) = %v; want invalid_request", err)
	}
	if _, err := w.svc.Tenant(ctx, "bad"); err == nil {
		t.Error("a rejected tenant was stored")
	}
	if _, err := w.svc.CreateTenant(ctx, "noname", "", login.DefaultSettings("https://p.example")); login.ErrorCode(err) != login.CodeInvalidRequest {
		t.Errorf("CreateTenant(no name) = %v; want invalid_request", err)
	}

	short := login.DefaultSettings("https://portal.dev.example")
	short.LinkTTL = 2 * time.Second
	if _, err := w.svc.CreateTenant(ctx, "dev", "Dev", short); login.ErrorCode(err) != login.CodeInvalidRequest {
		t.Errorf("CreateTenant(2s link) = %v; want invalid_request", err)
	}
	if _, err := w.svc.CreateTenant(ctx, "dev", "Dev", short, login.RelaxedLifetimes); err != nil {
		t.Fatalf("CreateTenant(2s link, relaxed) = %v", err)
	}

	w.tenant(t, "acme", func(s *login.Settings) { s.CookieDomain = ".ACME.example" })
	acme, err := w.svc.Tenant(ctx, "acme")
	if err != nil || acme.Settings.CookieDomain != "acme.example" {
		t.Fatalf("stored cookie domain = %q, %v; want acme.example", acme.Settings.CookieDomain, err)
	}

	k := w.keys["acme"]
	change := func(p login.SettingsPatch) error {
		_, err := w.svc.UpdateSettings(ctx, k, func(t *login.Tenant) error { p.Apply(t); return nil }, login.Meta{})
		return err
	}
	nine, sec := 9, int64(1)
	if err := change(login.SettingsPatch{CodeLength: &nine}); login.ErrorCode(err) != login.CodeInvalidRequest {
		t.Errorf("UpdateSettings(codeLength 9) = %v; want invalid_request", err)
	}
	if err := change(login.SettingsPatch{LinkTTLSeconds: &sec}); login.ErrorCode(err) != login.CodeInvalidRequest {
		t.Errorf("UpdateSettings(link 1s) = %v; want invalid_request: no caller relaxes a change", err)
	}
	other := "https://portal.other.example"
	if err := change(login.SettingsPatch{PortalURL: &other}); login.ErrorCode(err) != login.CodeInvalidRequest {
		t.Errorf("UpdateSettings(portal out from under the cookie domain) = %v; want invalid_request", err)
	}
	if after, _ := w.svc.Tenant(ctx, "acme"); after.Version != acme.Version || after.Settings != acme.Settings {
		t.Errorf("rejected changes were written: %+v; want %+v", after, acme)
	}
	dom := ".Other.Example"
	if err := change(login.SettingsPatch{PortalURL: &other, CookieDomain: &dom}); err != nil {
		t.Errorf("UpdateSettings(portal and domain) = %v", err)
	}
	if after, _ := w.svc.Tenant(ctx, "acme"); after.Settings.CookieDomain != "other.example" {
		t.Errorf("cookie domain = %q; want other.example", after.Settings.CookieDomain)
	}

	// The relaxed tenant keeps its short link through an unrelated change.
	key, _, err := w.svc.NewAPIKey(ctx, "dev", "test")
	if err != nil {
		t.Fatal(err)
	}
	dk, err := w.svc.Authenticate(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	name := "Dev 2"
	got, err := w.svc.UpdateSettings(ctx, dk, func(t *login.Tenant) error { login.SettingsPatch{Name: &name}.Apply(t); return nil }, login.Meta{})
	if err != nil || got.Name != name || got.Settings.LinkTTL != 2*time.Second {
		t.Errorf("rename of a relaxed tenant = %+v, %v", got, err)
	}

	// smsCountries narrows the stack's list (US, CA by default): a
	// country outside it is refused, and [] goes back to the stack's.
	if err := change(login.SettingsPatch{SMSCountries: &[]string{"ca"}}); err != nil {
		t.Errorf("UpdateSettings(smsCountries [ca]) = %v", err)
	}
	if after, _ := w.svc.Tenant(ctx, "acme"); after.Settings.SMSCountries != "CA" {
		t.Errorf("smsCountries = %q; want CA", after.Settings.SMSCountries)
	} else if v := login.SettingsView(after); v.SMSCountries == nil || strings.Join(*v.SMSCountries, ",") != "CA" {
		t.Errorf("view smsCountries = %v; want [CA]", v.SMSCountries)
	}
	if err := change(login.SettingsPatch{SMSCountries: &[]string{"US", "GB"}}); login.ErrorCode(err) != login.CodeInvalidRequest ||
		!strings.HasPrefix(login.ErrorMessage(err), "smsCountries must be a subset") {
		t.Errorf("UpdateSettings(smsCountries [US GB]) = %v; want invalid_request", err)
	}
	if err := change(login.SettingsPatch{SMSCountries: &[]string{}}); err != nil {
		t.Errorf("UpdateSettings(smsCountries []) = %v", err)
	}
	if after, _ := w.svc.Tenant(ctx, "acme"); after.Settings.SMSCountries != "" || login.SettingsView(after).SMSCountries != nil {
		t.Errorf("smsCountries = %q; want the stack's", after.Settings.SMSCountries)
	}
	gb := login.DefaultSettings("https://portal.gb.example")
	gb.SMSCountries = "GB"
	if _, err := w.svc.CreateTenant(ctx, "gb", "GB", gb); login.ErrorCode(err) != login.CodeInvalidRequest {
		t.Errorf("CreateTenant(smsCountries GB) = %v; want invalid_request", err)
	}
	many := 100001
	if err := change(login.SettingsPatch{SMSPerHour: &many}); login.ErrorCode(err) != login.CodeInvalidRequest {
		t.Errorf("UpdateSettings(smsPerHour 100001) = %v; want invalid_request", err)
	}

	// A change cannot move the tenant to another id.
	got, err = w.svc.UpdateSettings(ctx, dk, func(t *login.Tenant) error { t.ID = "acme"; return nil }, login.Meta{})
	if err != nil || got.ID != "dev" {
		t.Errorf("UpdateSettings(change id) = %q, %v; want dev", got.ID, err)
	}
}
