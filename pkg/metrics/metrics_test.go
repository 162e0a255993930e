package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/logctx"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/metrics"
)

type line struct {
	root map[string]any
	dims [][]string
	ns   string
}

func parse(t *testing.T, s string) []line {
	t.Helper()
	var out []line
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		var root map[string]any
		var d struct {
			AWS struct {
				CloudWatchMetrics []struct {
					Namespace  string     `json:"Namespace"`
					Dimensions [][]string `json:"Dimensions"`
				} `json:"CloudWatchMetrics"`
			} `json:"_aws"`
		}
		if err := json.Unmarshal([]byte(l), &root); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		_ = json.Unmarshal([]byte(l), &d)
		cw := d.AWS.CloudWatchMetrics[0]
		for _, set := range cw.Dimensions {
			for _, k := range set {
				if k == "tenant" || k == "function" {
					t.Errorf("%s is a dimension: %s", k, l)
				}
			}
		}
		out = append(out, line{root, cw.Dimensions, cw.Namespace})
	}
	return out
}

func TestRecorded(t *testing.T) {
	var buf bytes.Buffer
	o := metrics.New(&buf, "redeem")
	ctx := logctx.With(context.Background(), logctx.Fields{RequestID: "api-1"})
	o.Recorded(ctx, []login.AuditEvent{
		{Type: login.EventLoginRequested, TenantID: "acme", Channel: "email"},
		{Type: login.EventLoginRequested, TenantID: "acme", Channel: "email"},
		{Type: login.EventLoginRequested, TenantID: "globex", Channel: "sms"},
		{Type: login.EventSessionCreated, TenantID: "acme"}, // not counted
		{Type: login.EventLoginRedeemed, TenantID: "acme", Detail: map[string]string{"via": "code"}},
		{Type: login.EventDeliverySuppressed, TenantID: "acme", Detail: map[string]string{"emailStatus": "bounced"}},
		{Type: login.EventDeliverySuppressed, TenantID: "acme", Detail: map[string]string{"channel": "sms", "reason": "ceiling"}},
		{Type: login.EventDeliveryFailed, TenantID: "acme", Channel: "sms"},
		{Type: login.EventLoginFailed, TenantID: "acme"},
		{Type: login.EventCodeFailed, TenantID: "acme"},
	})
	got := map[string]float64{}
	for _, l := range parse(t, buf.String()) {
		if l.ns != metrics.Namespace || l.root["request_id"] != "api-1" || l.root["function"] != "redeem" {
			t.Errorf("line: %v", l.root)
		}
		tenant, _ := l.root["tenant"].(string)
		dim := ""
		if len(l.dims) == 2 {
			dim = "/" + l.root[l.dims[1][0]].(string)
		}
		for k, v := range l.root {
			if f, ok := v.(float64); ok {
				got[tenant+":"+k+dim] += f
			}
		}
	}
	want := map[string]float64{
		"acme:LoginRequested/email": 2, "globex:LoginRequested/sms": 1, "acme:LoginRedeemed/code": 1,
		"acme:DeliverySuppressed/email": 1, "acme:DeliverySuppressed/sms": 1, "acme:DeliveryFailed/sms": 1,
		"acme:LoginFailed": 1, "acme:CodeFailed": 1,
	}
	if len(got) != len(want) {
		t.Errorf("got %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all %v)", k, got[k], v, got)
		}
	}
}

func TestRateLimitedAndSent(t *testing.T) {
	var buf bytes.Buffer
	o := metrics.New(&buf, "")
	ctx := logctx.WithTenant(context.Background(), "acme")
	o.RateLimited(ctx)
	o.RateLimited(context.Background())
	o.Sent(ctx, login.ChannelSMS, login.KindLogin, "globex")
	ls := parse(t, buf.String())
	if len(ls) != 3 {
		t.Fatalf("%d lines", len(ls))
	}
	if ls[0].root["RateLimited"] != 1.0 || ls[0].root["tenant"] != "acme" || len(ls[0].dims) != 1 {
		t.Errorf("rate limited: %v", ls[0].root)
	}
	if _, ok := ls[1].root["tenant"]; ok {
		t.Errorf("a tenant from nowhere: %v", ls[1].root)
	}
	if ls[2].root["MessageSent"] != 1.0 || ls[2].root["Channel"] != "sms" || ls[2].root["tenant"] != "globex" || ls[2].root["kind"] != "login" {
		t.Errorf("sent: %v", ls[2].root)
	}
}
