package ses

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// The message tags SES echoes back in every event of an email (API.md
// "Delivery status"). The delivery-events function reads them.
const (
	TagTenant  = "tenant"
	TagContact = "contact"
)

// Tags returns the message tags of m: its tenant and contact, each only
// when set and made of characters SES accepts in a tag value (ids always
// are). A message to several tenants' contacts carries none, and its
// events are matched by address.
func Tags(m login.Message) []types.MessageTag {
	var tags []types.MessageTag
	for _, t := range [...]struct{ name, value string }{{TagTenant, m.TenantID}, {TagContact, m.ContactID}} {
		if tagValue(t.value) {
			tags = append(tags, types.MessageTag{Name: aws.String(t.name), Value: aws.String(t.value)})
		}
	}
	return tags
}

// tagValue reports whether SES takes v as a tag value: 1 to 256 ASCII
// letters, digits, '_', '-', '.' or '@'.
func tagValue(v string) bool {
	if v == "" || len(v) > 256 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '@') {
			return false
		}
	}
	return true
}
