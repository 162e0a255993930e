package ses_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/portalpass/portalpass/pkg/awstest"
	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/ses"
)

// TestSendWithConfigurationSet: SES takes an email that names the
// stack's configuration set and carries the tenant and contact tags.
func TestSendWithConfigurationSet(t *testing.T) {
	endpoint, c, from := verified(t)
	set := "pp-" + unique()
	if _, err := c.CreateConfigurationSet(awstest.Ctx(t), &sesv2.CreateConfigurationSetInput{ConfigurationSetName: aws.String(set)}); err != nil {
		t.Fatalf("create configuration set: %v", err)
	}
	s := ses.New(c, from).WithConfigurationSet(set)
	m := login.Message{Channel: login.ChannelEmail, To: unique() + "@customer.example", Kind: login.KindLogin, TenantName: "Acme",
		Link: "https://api.example.com/v1/login/redeem?token=x", Code: "123456", TTL: 10 * time.Minute,
		TenantID: "acme", ContactID: "cdxl77trccn6kn6g5zf67na776d"}
	if err := s.Send(awstest.Ctx(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := awstest.SentEmails(t, endpoint, m.To); len(got) != 1 {
		t.Fatalf("moto sent %d messages; want 1", len(got))
	}
}

// TestUnsuppress runs against a stand-in of SES's API (moto has no
// DeleteSuppressedDestination): an address not on the list is no error,
// and a refusal never quotes the address.
func TestUnsuppress(t *testing.T) {
	const addr = "ana.private@customer.example"
	tests := []struct {
		name    string
		status  int
		errType string
		wantErr bool
	}{
		{"removed", http.StatusOK, "", false},
		{"not listed", http.StatusNotFound, "NotFoundException", false},
		{"refused", http.StatusBadRequest, "BadRequestException", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var path string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				path = r.URL.Path
				if tt.errType != "" {
					w.Header().Set("X-Amzn-ErrorType", tt.errType)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				if tt.errType != "" {
					fmt.Fprintf(w, `{"message":"%s is bad"}`, addr)
				} else {
					fmt.Fprint(w, `{}`)
				}
			}))
			defer srv.Close()
			c := sesv2.NewFromConfig(awstest.Config(srv.URL))
			err := ses.NewSuppressions(c).Unsuppress(context.Background(), addr)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Unsuppress = %v; want error %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), addr) {
				t.Errorf("error quotes the address: %v", err)
			}
			if !strings.HasSuffix(path, "/suppression/addresses/"+url.PathEscape(addr)) {
				t.Errorf("path = %q", path)
			}
		})
	}
}
