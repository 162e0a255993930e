package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/httpapi"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/store/dynamo"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// run runs ppctl against moto and returns its output.
func run(t *testing.T, ep, table string, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	full := append([]string{"-endpoint", ep, "-table", table, "-base-url", "https://api.example.com"}, args...)
	if err := Run(context.Background(), full, &out); err != nil {
		t.Fatalf("ppctl %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// TestOperatorKeyWorksOnTheAPI makes a tenant and a key with ppctl on
// moto, then uses the key against the HTTP API on the same table.
func TestOperatorKeyWorksOnTheAPI(t *testing.T) {
	ep := awstest.Endpoint(t)
	db := dynamodb.NewFromConfig(awstest.Config(ep))
	table := fmt.Sprintf("ppctl-%d", os.Getpid())
	if err := dynamo.CreateTable(awstest.Ctx(t), db, table); err != nil {
		t.Fatal(err)
	}
	run(t, ep, table, "tenant", "create", "acme", "Acme Ltd", "https://portal.acme.example")
	if out := run(t, ep, table, "tenant", "list"); !strings.Contains(out, "Acme Ltd") {
		t.Errorf("tenant list = %q", out)
	}
	out := run(t, ep, table, "key", "create", "acme", "dashboard")
	key := regexp.MustCompile(`ppk_\S+`).FindString(out)
	if key == "" {
		t.Fatalf("no key in %q", out)
	}
	if out := run(t, ep, table, "settings", "set", "acme", `{"codeLength": 8}`); !strings.Contains(out, `"codeLength": 8`) {
		t.Errorf("settings set = %q", out)
	}

	svc := login.New(login.Deps{Store: dynamo.New(db, table), BaseURL: "https://api.example.com"})
	h := httpapi.All(httpapi.Config{Service: svc, BaseURL: "https://api.example.com", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	call := func(k string) int {
		req, _ := http.NewRequest("GET", "/v1/admin/settings", nil)
		req.Header.Set("Authorization", "Bearer "+k)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if got := call(key); got != http.StatusOK {
		t.Fatalf("settings with the ppctl key = %d; want 200", got)
	}
	list := run(t, ep, table, "key", "list", "acme")
	id := regexp.MustCompile(`(?m)^(k\S+)\s+dashboard`).FindStringSubmatch(list)
	if id == nil {
		t.Fatalf("key list = %q", list)
	}
	run(t, ep, table, "key", "revoke", "acme", id[1])
	if got := call(key); got != http.StatusUnauthorized {
		t.Errorf("settings with a revoked key = %d; want 401", got)
	}

	// A recovery link for a contact the tenant's staff cannot reach.
	k, _ := svc.Authenticate(context.Background(), mustKey(t, ep, table))
	a := login.AccessActive
	email := "ana@example.com"
	c, err := svc.CreateContact(context.Background(), k, login.ContactInput{Email: &email, Access: &a}, login.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if out := run(t, ep, table, "recovery", "acme", c.ID); !strings.Contains(out, "https://api.example.com/v1/login/redeem?token=l.acme."+c.ID+".r.") {
		t.Errorf("recovery = %q", out)
	}
}

func mustKey(t *testing.T, ep, table string) string {
	return regexp.MustCompile(`ppk_\S+`).FindString(run(t, ep, table, "key", "create", "acme"))
}
