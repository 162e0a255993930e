package main

import (
	"context"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/infra/devserver/server"
	"github.com/portalpass/portalpass/pkg/login"
)

// TestRelaxRateLimits requests more logins for one address than
// login.SendLimit within one window: with -relax-rate-limits each one is
// sent, without it the one after the limit is 429 rate_limited.
func TestRelaxRateLimits(t *testing.T) {
	const email = "ana@example.com"
	for _, relax := range []bool{true, false} {
		srv, err := server.Start(context.Background(), server.Options{APIKey: testKey, EmailFrom: "login@example.com", Logger: quiet, RelaxRateLimits: relax})
		if err != nil {
			t.Fatal(err)
		}
		c := newClient(t, srv.URL)
		if s := c.do("POST", "/v1/admin/invites", testKey, map[string]string{"email": email}, nil); s != 201 {
			t.Fatalf("invite = %d", s)
		}
		n := login.SendLimit + 3
		limited := 0
		for i := range n {
			var e struct {
				Error struct{ Code string } `json:"error"`
			}
			s := c.do("POST", "/v1/login/request", "", map[string]string{"identifier": email}, &e)
			switch {
			case s == 202:
				if limited > 0 {
					t.Errorf("relax %v: request %d = 202 after a 429", relax, i+1)
				}
			case s == 429 && e.Error.Code == "rate_limited":
				if relax || i != login.SendLimit+limited {
					t.Errorf("relax %v: request %d = 429", relax, i+1)
				}
				limited++
			default:
				t.Fatalf("relax %v: request %d = %d %+v", relax, i+1, s, e)
			}
		}
		sent := 0
		for _, m := range srv.Inbox.Messages() {
			if m.To == email && strings.HasPrefix(m.Subject, "Your login ") {
				sent++
			}
		}
		want := login.SendLimit
		if relax {
			want = n
		}
		if sent != want || (!relax && limited != n-login.SendLimit) {
			t.Errorf("relax %v: %d login emails sent, %d requests limited; want %d sent", relax, sent, limited, want)
		}
		srv.Close()
	}
}

func TestBanner(t *testing.T) {
	const url = "http://127.0.0.1:8080"
	for _, tc := range []struct {
		name      string
		o         server.Options
		want, not []string
	}{
		{"embedded", server.Options{}, []string{url + "/login", "dev inbox:   " + url + "/dev/inbox.html\n", url + "/portal"}, []string{"moto", "rate limits"}},
		{"moto", server.Options{DynamoDBEndpoint: "http://127.0.0.1:5000", SESEndpoint: "http://127.0.0.1:5000/", SNSEndpoint: "http://127.0.0.1:5000", RelaxRateLimits: true},
			[]string{"emails:      http://127.0.0.1:5000/moto-api/data.json (ses.Message", "SMS:         http://127.0.0.1:5000/moto-api/data.json (sns.SMS", "rate limits: relaxed"}, []string{"/dev/inbox"}},
		{"SES only", server.Options{SESEndpoint: "http://127.0.0.1:5000"}, []string{"ses.Message", "dev inbox:   " + url + "/dev/inbox.html (SMS only)"}, []string{"sns.SMS"}},
		{"aws", server.Options{UseAWS: true}, []string{"sent for real by SES", "sent for real by SNS"}, []string{"/dev/inbox", "moto"}},
	} {
		got := banner(url, tc.o, "")
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: banner lacks %q:\n%s", tc.name, w, got)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: banner has %q:\n%s", tc.name, w, got)
			}
		}
	}
}
