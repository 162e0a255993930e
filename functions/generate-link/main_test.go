package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/functest"
)

func TestMain(m *testing.M) { awstest.Main(m) }

func TestEvents(t *testing.T) {
	e := functest.Setup(t)
	key := e.Tenant(t, "acme", nil)
	other := e.Tenant(t, "beta", nil)
	e.Invite(t, key, e.Email)
	id := e.ContactID(t, key, e.Email)
	h := newHandler(e.Config, e.DynamoOption)
	repl := map[string]string{"ppk_EXAMPLE_KEY": key, "CONTACT": id}

	resp := functest.Invoke(t, h, functest.Event(t, "generate-link/links.json", repl))
	functest.Check(t, "login link", resp, http.StatusCreated, `"url":"https://api.example.com/v1/login/redeem?token=l.acme.`)
	resp = functest.Invoke(t, h, functest.Event(t, "generate-link/links-recovery-email.json", repl))
	functest.Check(t, "recovery link by email", resp, http.StatusCreated, `"delivery":{"channel":"email","status":"sent"}`)
	if got := awstest.SentEmails(t, e.Endpoint, e.Email); len(got) != 1 || !strings.Contains(got[0].Subject, "recovery") {
		t.Errorf("SES sent %+v; want one recovery email", got)
	}
	resp = functest.Invoke(t, h, functest.Event(t, "generate-link/action-links.json", repl))
	functest.Check(t, "action link", resp, http.StatusCreated, `"url":"https://api.example.com/v1/login/action?token=a.acme.`)
	resp = functest.Invoke(t, h, functest.Event(t, "generate-link/action-links-revoke.json", repl))
	functest.Check(t, "revoke by ref", resp, http.StatusOK, `{"revoked":1}`)

	repl["ppk_EXAMPLE_KEY"] = other
	for _, ev := range []string{"links.json", "action-links.json"} {
		resp = functest.Invoke(t, h, functest.Event(t, "generate-link/"+ev, repl))
		functest.Check(t, ev+" with another tenant's key", resp, http.StatusNotFound, `"not_found"`)
	}
	repl["ppk_EXAMPLE_KEY"] = "ppk_nope"
	resp = functest.Invoke(t, h, functest.Event(t, "generate-link/links.json", repl))
	functest.Check(t, "links with a bad key", resp, http.StatusUnauthorized, `"unauthorized"`)
}
