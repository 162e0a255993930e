package dynamo

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

func TestTimeRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"whole second", time.Unix(1700000000, 0), "1700000000"},
		{"nanosecond", time.Unix(1700000000, 1), "1700000000.000000001"},
		{"half second", time.Unix(1700000000, 5e8), "1700000000.5"},
		{"last nanosecond", time.Unix(1700000000, 999999999), "1700000000.999999999"},
		{"epoch", time.Unix(0, 0), "0"},
		{"before epoch", time.Unix(-2, 5e8), "-1.5"},
		{"just before epoch", time.Unix(-1, 5e8), "-0.5"},
		{"local zone", time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600)), "1767319445.000000006"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fmtTime(tt.t)
			if got != tt.want {
				t.Errorf("fmtTime(%v) = %q; want %q", tt.t, got, tt.want)
			}
			back, err := parseTime(got)
			if err != nil || !back.Equal(tt.t) {
				t.Errorf("parseTime(%q) = %v, %v; want %v", got, back, err, tt.t)
			}
		})
	}
}

func TestDurationRoundTrip(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0"},
		{10 * time.Minute, "600"},
		{1500 * time.Millisecond, "1.5"},
		{-1500 * time.Millisecond, "-1.5"},
		{-500 * time.Millisecond, "-0.5"},
		{time.Nanosecond, "0.000000001"},
	}
	for _, tt := range tests {
		got := fmtDuration(tt.d)
		if got != tt.want {
			t.Errorf("fmtDuration(%v) = %q; want %q", tt.d, got, tt.want)
		}
		back, err := item{"d": avN(got)}.duration("d")
		if err != nil || back != tt.d {
			t.Errorf("duration(%q) = %v, %v; want %v", got, back, err, tt.d)
		}
	}
}

func TestParseTimeRejects(t *testing.T) {
	for _, s := range []string{"", "x", "1.", "1.1234567890", "1.2e3", "1.-5", "1.a"} {
		if _, err := parseTime(s); err == nil {
			t.Errorf("parseTime(%q) succeeded; want an error", s)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"0", "1700000000.5", "-1.5", "1.000000001", "9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := parseTime(s)
		if err != nil {
			return
		}
		again, err := parseTime(fmtTime(tm))
		if err != nil || !again.Equal(tm) {
			t.Errorf("parseTime(fmtTime(parseTime(%q))) = %v, %v; want %v", s, again, err, tm)
		}
	})
}

func TestCeilSeconds(t *testing.T) {
	tests := []struct {
		t    time.Time
		want int64
	}{
		{time.Unix(10, 0), 10},
		{time.Unix(10, 1), 11},
		{time.Unix(10, 999999999), 11},
	}
	for _, tt := range tests {
		if got := ceilSeconds(tt.t); got != tt.want {
			t.Errorf("ceilSeconds(%v) = %d; want %d", tt.t, got, tt.want)
		}
	}
}

func cancelled(codes ...string) error {
	tc := &types.TransactionCanceledException{}
	for _, c := range codes {
		tc.CancellationReasons = append(tc.CancellationReasons, types.CancellationReason{Code: aws.String(c)})
	}
	return tc
}

func TestClassify(t *testing.T) {
	now := t0
	counters := []login.Counter{{Key: "a", ExpiresAt: now.Add(time.Minute)}, {Key: "b", ExpiresAt: now.Add(time.Hour)}}
	tx := &tx{
		roles: []role{roleCounter, roleCounter, roleStale, roleConflict, roleLogin, roleNone, roleMissing},
		refs:  []int{0, 1, 0, 0, 0, 0, 0},
	}
	const f, n = "ConditionalCheckFailed", "None"
	tests := []struct {
		name string
		err  error
		want error // nil: not a port error
	}{
		{"second counter", cancelled(n, f, f, n, n, n, n), login.RateLimited(time.Hour)},
		{"stale beats conflict", cancelled(n, n, f, f, n, n, n), login.ErrStale},
		{"conflict", cancelled(n, n, n, f, f, n, n), login.ErrConflict},
		{"login", cancelled(n, n, n, n, f, n, n), login.ErrLinkInvalid},
		{"missing", cancelled(n, n, n, n, n, n, f), login.ErrNotFound},
		{"unconditional item", cancelled(n, n, n, n, n, f, n), nil},
		{"conflicts only", cancelled("TransactionConflict", n, n, n, n, n, n), nil},
		{"not cancelled", errors.New("boom"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tx.classify(tt.err, now, counters, nil)
			var gotE, wantE *login.Error
			switch {
			case errors.As(tt.want, &wantE) && wantE.Code == login.CodeRateLimited:
				if !errors.As(got, &gotE) || gotE.Code != login.CodeRateLimited || gotE.RetryAfter != wantE.RetryAfter {
					t.Errorf("classify = %v; want rate_limited after %v", got, wantE.RetryAfter)
				}
			case got != tt.want:
				t.Errorf("classify = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestOnlyConflicts(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"one conflict", cancelled("None", "TransactionConflict"), true},
		{"conflict and condition", cancelled("ConditionalCheckFailed", "TransactionConflict"), false},
		{"no reasons", cancelled(), false},
		{"condition only", cancelled("ConditionalCheckFailed"), false},
	}
	for _, tt := range tests {
		if got := onlyConflicts(tt.err.(*types.TransactionCanceledException)); got != tt.want {
			t.Errorf("%s: onlyConflicts = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestSlotRoundTrip(t *testing.T) {
	sl := &login.Slot{
		TokenHash: []byte{1}, CodeHash: []byte{2}, CodeSalt: []byte{3}, TriesLeft: 4,
		ExpiresAt: time.Unix(1700000000, 42).UTC(), Multi: true, RequestHash: []byte{5},
		CodeChallenge: "ch", Redirect: "/r",
	}
	got, err := slotFrom(slotAV(sl).(*types.AttributeValueMemberM).Value)
	if err != nil {
		t.Fatal(err)
	}
	if !slotsEqual(got, sl) || got.Redirect != sl.Redirect {
		t.Errorf("slot round trip = %+v; want %+v", got, sl)
	}
}

// TestTenantSMSLinkDefault: a tenant stored before smsLink existed sends
// the link (the default); one stored with false keeps it.
func TestTenantSMSLinkDefault(t *testing.T) {
	tn := login.Tenant{ID: "acme", Name: "Acme", Settings: login.DefaultSettings("https://portal.acme.example")}
	tn.Settings.SMSLink = false
	m := tenantItem(tn)
	got, err := tenantFrom(m)
	if err != nil || got.Settings.SMSLink {
		t.Fatalf("tenantFrom(smsLink false) = %v, %v; want false", got.Settings.SMSLink, err)
	}
	delete(m, attrSMSLink)
	got, err = tenantFrom(m)
	if err != nil || !got.Settings.SMSLink {
		t.Errorf("tenantFrom(no smsLink) = %v, %v; want the default true", got.Settings.SMSLink, err)
	}
}

// TestLocalesRoundTrip: a tenant's locales and a contact's locale survive
// their items, and leave no attribute when they are the defaults.
func TestLocalesRoundTrip(t *testing.T) {
	tn := login.Tenant{ID: "acme", Name: "Acme", Settings: login.DefaultSettings("https://p.example")}
	tn.Settings.Locales = "es,en"
	got, err := tenantFrom(tenantItem(tn))
	if err != nil {
		t.Fatal(err)
	}
	if got.Settings.Locales != "es,en" {
		t.Errorf("tenant locales = %q; want es,en", got.Settings.Locales)
	}
	tn.Settings.Locales = ""
	if _, ok := tenantItem(tn)[attrLocales]; ok {
		t.Errorf("a tenant with the default locales stores %s", attrLocales)
	}
	c := login.Contact{TenantID: "acme", ID: "c1", Email: "ana@example.com", Locale: "fr", Access: login.AccessActive}
	gc, err := contactFrom(contactItem(c))
	if err != nil {
		t.Fatal(err)
	}
	if gc.Locale != "fr" {
		t.Errorf("contact locale = %q; want fr", gc.Locale)
	}
	c.Locale = ""
	if _, ok := contactItem(c)[attrLocale]; ok {
		t.Errorf("a contact without a locale stores %s", attrLocale)
	}
	if u := contactUpdate(c, c); !strings.Contains(u.expr(), "REMOVE") {
		t.Errorf("an update to no locale does not remove it: %s", u.expr())
	}
}
