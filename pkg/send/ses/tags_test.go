package ses_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/ses"
)

func TestTags(t *testing.T) {
	tests := []struct {
		name string
		m    login.Message
		want map[string]string
	}{
		{"tenant and contact", login.Message{TenantID: "acme", ContactID: "cdxl77trccn6kn6g5zf67na776d"}, map[string]string{"tenant": "acme", "contact": "cdxl77trccn6kn6g5zf67na776d"}},
		{"several tenants", login.Message{}, map[string]string{}},
		{"value SES refuses", login.Message{TenantID: "acme", ContactID: "c 1\n"}, map[string]string{"tenant": "acme"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]string{}
			for _, tag := range ses.Tags(tt.m) {
				got[aws.ToString(tag.Name)] = aws.ToString(tag.Value)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Tags = %v; want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("Tags[%s] = %q; want %q", k, got[k], v)
				}
			}
		})
	}
}
