package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/functest"
	"github.com/portalpass/portalpass/pkg/login"
)

func TestMain(m *testing.M) { awstest.Main(m) }

func TestEvents(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	other := e.Tenant(t, "beta", nil)
	e.Invite(t, key, e.Email)
	id := e.ContactID(t, key, e.Email)
	token, _ := e.Request(t, e.Email, "")
	if _, err := e.Seed.RedeemLink(context.Background(), token, login.LoginOpts{}); err != nil {
		t.Fatal(err)
	}
	h := newHandler(e.Config, e.DynamoOption)
	repl := map[string]string{"ppk_EXAMPLE_KEY": key, "CONTACT": id}

	resp := functest.Invoke(t, h, functest.Event(t, "audit/audit.json", repl))
	functest.Check(t, "audit", resp, http.StatusOK, `"type":"session.created"`)
	resp = functest.Invoke(t, h, functest.Event(t, "audit/audit-contact.json", repl))
	functest.Check(t, "audit of one contact and type", resp, http.StatusOK, `"type":"login.redeemed"`)
	var page struct {
		Events []struct{ Type, ContactID string } `json:"events"`
	}
	functest.JSON(t, resp, &page)
	for _, ev := range page.Events {
		if ev.Type != "login.redeemed" || ev.ContactID != id {
			t.Errorf("filtered audit holds %+v", ev)
		}
	}
	repl["ppk_EXAMPLE_KEY"] = other
	resp = functest.Invoke(t, h, functest.Event(t, "audit/audit.json", repl))
	functest.Check(t, "another tenant's audit", resp, http.StatusOK, `"events":[]`)
}
