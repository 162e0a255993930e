package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/login"
)

func TestMain(m *testing.M) { awstest.Main(m) }

func TestEvents(t *testing.T) {
	e := functest.Setup(t)
	e.Invite(t, e.Tenant(t, "acme", nil), e.Email)
	token, _ := e.Request(t, e.Email, "")
	out, err := e.Seed.RedeemLink(context.Background(), token, login.LoginOpts{})
	if err != nil {
		t.Fatal(err)
	}
	session := map[string]string{"SESSION": out.Session.Token}
	h := newHandler(e.Config, e.DynamoOption)
	functest.Invoke(t, h, functest.Event(t, "session/session.json", session)) // warm the tenant cache

	for _, ev := range []string{"session.json", "session-cookie.json"} {
		e.Calls.Reset()
		resp := functest.Invoke(t, h, functest.Event(t, "session/"+ev, session))
		if resp.StatusCode != http.StatusOK || !strings.Contains(functest.Body(t, resp), e.Email) {
			t.Fatalf("%s = %d %s", ev, resp.StatusCode, functest.Body(t, resp))
		}
		if got := e.Calls.Snapshot(); e.Calls.Total() != 1 || got["BatchGetItem"] != 1 {
			t.Errorf("session check made DynamoDB calls %v; want one BatchGetItem", got)
		}
	}
	resp := functest.Invoke(t, h, functest.Event(t, "session/logout.json", session))
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	resp = functest.Invoke(t, h, functest.Event(t, "session/session.json", session))
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(functest.Body(t, resp), "no_session") {
		t.Errorf("session after logout = %d %s", resp.StatusCode, functest.Body(t, resp))
	}
}
