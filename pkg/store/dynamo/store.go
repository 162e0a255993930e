package dynamo

import (
	"encoding/hex"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// DefaultAuditRetention is how long audit events are kept when neither
// the event nor WithAuditRetention says otherwise.
const DefaultAuditRetention = 400 * 24 * time.Hour

// Store is the login.Store on one DynamoDB table. It is safe for
// concurrent use.
type Store struct {
	db             *dynamodb.Client
	table          *string
	auditRetention time.Duration
	conflictTries  int
}

var _ login.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithAuditRetention sets how long audit events without their own
// ExpiresAt are kept (default DefaultAuditRetention).
func WithAuditRetention(d time.Duration) Option {
	return func(s *Store) {
		if d > 0 {
			s.auditRetention = d
		}
	}
}

// New returns a Store on the named table. It makes no network call.
func New(client *dynamodb.Client, table string, opts ...Option) *Store {
	s := &Store{db: client, table: aws.String(table), auditRetention: DefaultAuditRetention, conflictTries: 3}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Attribute names. Keys and the TTL attribute are fixed by the schema.
const (
	attrPK        = "pk"
	attrSK        = "sk"
	attrGSI1PK    = "gsi1pk"
	attrGSI1SK    = "gsi1sk"
	attrGSI2PK    = "gsi2pk"
	attrGSI2SK    = "gsi2sk"
	attrGSI3PK    = "gsi3pk"
	attrGSI3SK    = "gsi3sk"
	attrRate      = "rate"      // an identifier item's hosted counters
	attrExpiresAt = "expiresAt" // TTL: whole epoch seconds, rounded up
	attrExp       = "exp"       // the exact expiry

	attrName        = "name"
	attrVersion     = "version"
	attrCreatedAt   = "createdAt"
	attrUpdatedAt   = "updatedAt"
	attrLastLoginAt = "lastLoginAt"
	attrNotBefore   = "sessionsNotBefore"
	attrEmail       = "email"
	attrPhone       = "phone"
	attrAccess      = "access"
	attrLogin       = "login"
	attrLink        = "link"
	attrContactID   = "contactId"
	attrTenantID    = "tenantId"
	attrIdentKey    = "identKey"
	attrAttempt     = "attempt" // a picker's several-tenant attempt (its IdentHash)
	// A used picker of a kept several-tenant attempt: the session its
	// pick gave, which the scanner exception ends.
	attrPickedTenant  = "pickedTenant"
	attrPickedContact = "pickedContact"
	attrPickedSession = "pickedSession"
	attrTokenHash     = "tokenHash"
	attrCodeHash      = "codeHash"
	attrCodeSalt      = "codeSalt"
	attrTriesLeft     = "triesLeft"
	attrMulti         = "multi"
	attrRequestHash   = "requestHash"
	attrConsumedBy    = "consumedBy"      // a kept consumed attempt: the session or picker it gave
	attrConsumedReq   = "consumedRequest" // the request cookie hash of the browser that consumed it
	attrExcUsed       = "exceptionUsed"   // the scanner exception was taken
	attrChallenge     = "codeChallenge"
	attrTargets       = "targets"
	attrCount         = "n"
	attrVia           = "via"
	attrRedirect      = "redirect"
	attrID            = "id"
	attrLastUsedAt    = "lastUsedAt"
	attrRevoked       = "revoked"
	attrAt            = "at"
	attrType          = "type"
	attrActor         = "actor"
	attrChannel       = "channel"
	attrIP            = "ip"
	attrUserAgent     = "userAgent"
	attrDetail        = "detail"
	attrPortalURL     = "portalUrl"
	attrLinkTTL       = "linkTtl"
	attrInviteTTL     = "inviteTtl"
	attrRecoveryTTL   = "recoveryTtl"
	attrSessionTTL    = "sessionTtl"
	attrCodeLength    = "codeLength"
	attrCodeBySMS     = "codeAlsoBySms"
	attrSMSLogin      = "smsLogin"
	attrSenderName    = "senderName"
	attrIntegration   = "portalIntegration"
	attrCookieDomain  = "cookieDomain"
	attrSMSCountries  = "smsCountries"
	attrSMSPerHour    = "smsPerHour"
	attrSMSLink       = "smsLink"
	attrLocales       = "locales" // a tenant's languages, "es,en"; absent for the default
	attrLocale        = "locale"  // a contact's language; absent for the tenant's default
	attrBrandColor    = "brandColor"
	attrSupportEmail  = "supportEmail"
	attrSupportURL    = "supportUrl"
	attrLogo          = "logo" // the logo's name on the tenant; its bytes are an item of their own
	attrHash          = "hash"
	attrRef           = "ref"
)

// Key layout.
const (
	skMeta        = "META"
	skMulti       = "MULTI"
	tenantsGSI1PK = "TENANTS" // every tenant item, for ListTenants
)

func tenantPK(t string) string           { return "TENANT#" + t }
func contactPK(t, c string) string       { return "CONTACT#" + t + "#" + c }
func contactsGSI3PK(t string) string     { return "TENANT#" + t + "#CONTACTS" }
func identTenantSK(t string) string      { return "TENANT#" + t }
func sessionPK(t, c string) string       { return "SESSION#" + t + "#" + c }
func pickerPK(hash []byte) string        { return "PICKER#" + hex.EncodeToString(hash) }
func apiKeyPK(hash []byte) string        { return "APIKEY#" + hex.EncodeToString(hash) }
func nameGSI1PK(t string) string         { return "TENANT#" + t + "#NAME" }
func emailGSI2PK(t string) string        { return "TENANT#" + t + "#EMAIL" }
func apiKeysGSI1PK(t string) string      { return "TENANT#" + t + "#KEYS" }
func actionPK(t, id string) string       { return "ACTION#" + t + "#" + id }
func actionRefGSI1PK(t, r string) string { return "TENANT#" + t + "#REF#" + r }

// identPK is an identifier's partition, named by its login.IdentHash (the
// base64url SHA-256 of its key), so that no address appears in a key.
func identPK(identHash string) string { return "IDENT#" + identHash }

// identKeyPK is identPK of an identifier key.
func identKeyPK(identKey string) string { return identPK(login.IdentHash(identKey)) }

// counterKey is where a counter lives.
func counterKey(c login.Counter) (pk, sk string) {
	if login.IsIdentKey(c.Subject) {
		return identKeyPK(c.Subject), "RATE#" + c.Key
	}
	return "RATE#" + c.Subject, c.Key
}

// contactKey is a contact's key: a partition of its own, so that a
// tenant's logins, which all write their contacts, spread over as many
// partitions as it has customers.
func contactKey(tenantID, contactID string) map[string]types.AttributeValue {
	return key(contactPK(tenantID, contactID), skMeta)
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: avS(pk), attrSK: avS(sk)}
}
