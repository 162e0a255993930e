package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Defaults for the optional variables.
const (
	DefaultEmailFrom          = "login@example.com"
	DefaultAuditRetentionDays = 400
	DefaultSMSCountries       = "US,CA"
	// DefaultLoginRequestFloor is LOGIN_REQUEST_FLOOR_MS's default, the
	// login package's: above a login request's DynamoDB and SES or SNS
	// calls on Lambda.
	DefaultLoginRequestFloor = 400 * time.Millisecond
	// DefaultSendMaxReceives is SEND_MAX_RECEIVE_COUNT's default, the
	// template's maxReceiveCount.
	DefaultSendMaxReceives = 4
)

// maxSendMaxReceives bounds SEND_MAX_RECEIVE_COUNT.
const maxSendMaxReceives = 20

// maxLoginRequestFloorMS bounds LOGIN_REQUEST_FLOOR_MS (ten seconds, well
// inside API Gateway's 29 s).
const maxLoginRequestFloorMS = 10000

// maxAuditRetentionDays bounds AUDIT_RETENTION_DAYS (ten years).
const maxAuditRetentionDays = 3650

// Config is a function's runtime configuration. The zero value is not
// usable; get one from FromEnv.
type Config struct {
	// Table is the DynamoDB table name (TABLE_NAME, required).
	Table string
	// EmailFrom is the verified SES sender address (EMAIL_FROM, default
	// DefaultEmailFrom).
	EmailFrom string
	// SESConfigurationSet is the SES configuration set every email names,
	// whose event destination feeds the delivery-events function
	// (SES_CONFIGURATION_SET, optional: "" names none).
	SESConfigurationSet string
	// PublicBaseURL is the API's public base URL that links are built
	// from, without a trailing slash (PUBLIC_BASE_URL, required; an
	// absolute http or https URL).
	PublicBaseURL string
	// AuditRetention is how long audit events are kept
	// (AUDIT_RETENTION_DAYS, default DefaultAuditRetentionDays).
	AuditRetention time.Duration
	// LoginRequestFloor is the least time a login request takes, so that
	// known and unknown identifiers answer alike (LOGIN_REQUEST_FLOOR_MS,
	// 1 to 10000 ms, default DefaultLoginRequestFloor). There is no way
	// to turn it off on Lambda.
	LoginRequestFloor time.Duration
	// LogLevel is the minimum level logged (LOG_LEVEL: debug, info, warn
	// or error; default info).
	LogLevel slog.Level
	// AdminTenantClaim, when set (ADMIN_TENANT_CLAIM), names the claim of
	// the JWT that API Gateway's JWT authorizer verified on the admin
	// routes which says the tenant: the dashboard then calls the admin API
	// with its users' tokens instead of an API key.
	AdminTenantClaim string
	// AdminJWTIssuer, when set (ADMIN_JWT_ISSUER), is the issuer whose
	// JWTs the admin routes accept beside API keys: the handlers verify
	// them (pkg/adminjwt) and read the tenant from AdminTenantClaim, which
	// it then requires, as it requires AdminJWTAudience. An absolute
	// https URL (http only on a loopback host, for development).
	AdminJWTIssuer string
	// AdminJWTAudience is the audience those JWTs must carry in aud, or,
	// lacking aud, in client_id as API Gateway's JWT authorizer accepts
	// (ADMIN_JWT_AUDIENCE).
	AdminJWTAudience string
	// AdminJWKSURL is where the issuer publishes its keys (ADMIN_JWKS_URL,
	// default the issuer's /.well-known/jwks.json, which is where Cognito
	// and Auth0 put it). An absolute https URL (http only on a loopback
	// host).
	AdminJWKSURL string
	// AuthorizerTenants are the tenants whose sessions the Lambda
	// authorizer allows (AUTHORIZER_TENANTS, comma-separated tenant ids;
	// spaces, empty entries and repeats are dropped). The authorizer
	// denies every request when there are none; other functions ignore it.
	AuthorizerTenants []string
	// JWTKeyIDs are the KMS keys (key ids, key ARNs, alias names or alias
	// ARNs) whose public halves the session function's JWKS publishes; the
	// first signs its JWTs (JWT_KEY_IDS, comma-separated, optional: none
	// means no JWT is minted). Spaces around an entry, empty entries and
	// repeats are dropped; the order is kept, since it says which key
	// signs.
	JWTKeyIDs []string
	// SMSCountries are the ISO 3166 alpha-2 codes of the countries whose
	// numbers may get an SMS (SMS_COUNTRIES, comma-separated, default
	// DefaultSMSCountries), upper-case, each once, in the order given.
	// A tenant's smsCountries setting narrows it.
	SMSCountries []string
	// DashboardOrigins are the origins (scheme://host[:port], lower-case)
	// of the dashboard frontend that may call the admin routes from a
	// browser: their CORS preflights are answered and their responses
	// readable (DASHBOARD_ORIGINS, comma-separated, optional: none means
	// no browser may). https only; http only on a loopback host, for a
	// dashboard in development.
	DashboardOrigins []string
	// SendQueueURL is the SQS queue that a login message whose send
	// still fails transiently is handed to, for functions/send-retry
	// (SEND_QUEUE_URL, optional: without it such a failure is audited at
	// once, as delivery.failed). An absolute https URL (http for a local
	// stand-in); it needs SendQueueKeyID.
	SendQueueURL string
	// SendQueueKeyID is the symmetric KMS key (id, ARN or alias) that
	// seals the queued messages (SEND_QUEUE_KEY_ID; required with
	// SEND_QUEUE_URL, and by send-retry, which opens them).
	SendQueueKeyID string
	// SendMaxReceives is the send queue's maxReceiveCount: send-retry's
	// try on that receive is the last, after which a failed message is
	// audited and goes to the dead-letter queue (SEND_MAX_RECEIVE_COUNT,
	// 1 to 20; 0 when unset: see MaxReceives).
	SendMaxReceives int
	// Region is the AWS region (AWS_REGION, else AWS_DEFAULT_REGION;
	// required).
	Region string
	// Endpoint overrides every AWS service's endpoint (AWS_ENDPOINT_URL,
	// optional): a local stand-in such as moto_server.
	Endpoint string
	// DynamoDBEndpoint, SESEndpoint and SNSEndpoint override one
	// service's endpoint (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SES,
	// AWS_ENDPOINT_URL_SNS, optional). Clients built from an explicit
	// aws.Config do not read these variables, so mains set them on the
	// client's options:
	//
	//	dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) {
	//		o.BaseEndpoint = config.ServiceEndpoint(cfg.DynamoDBEndpoint, o.BaseEndpoint)
	//	})
	DynamoDBEndpoint string
	SESEndpoint      string
	SNSEndpoint      string

	// Credentials are the access keys from AWS_ACCESS_KEY_ID,
	// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (the first two
	// required). They print as [redacted].
	Credentials Credentials
}

// Credentials hold AWS access keys. They print as "[redacted]" with every
// fmt verb (and so in slog's text and JSON output too), so that logging a
// Config shows no secret. The zero value holds none.
type Credentials struct {
	v aws.Credentials
}

// Format writes "[redacted]" whatever the verb.
func (Credentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "[redacted]") }

// LogValue hides the keys from slog.
func (Credentials) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// MarshalJSON hides the keys from encoding/json.
func (Credentials) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// IsSet reports whether the Credentials hold an access key.
func (c Credentials) IsSet() bool { return c.v.AccessKeyID != "" }

// FromEnv reads the configuration from the process environment. Its
// errors name the variable that is missing or malformed and never quote a
// credential.
func FromEnv() (Config, error) {
	return fromLookup(os.LookupEnv)
}

func fromLookup(lookup func(string) (string, bool)) (Config, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	c := Config{
		Table:               get("TABLE_NAME"),
		EmailFrom:           get("EMAIL_FROM"),
		SESConfigurationSet: get("SES_CONFIGURATION_SET"),
		Region:              get("AWS_REGION"),
	}
	var errs []error
	if c.Table == "" {
		errs = append(errs, errors.New("TABLE_NAME is required"))
	}
	if c.EmailFrom == "" {
		c.EmailFrom = DefaultEmailFrom
	} else if strings.ContainsAny(c.EmailFrom, "\r\n") || !strings.Contains(c.EmailFrom, "@") {
		errs = append(errs, errors.New("EMAIL_FROM must be one email address"))
	}
	if !validSetName(c.SESConfigurationSet) {
		errs = append(errs, errors.New("SES_CONFIGURATION_SET must be at most 64 letters, digits, '-' or '_'"))
	}

	base, err := baseURL("PUBLIC_BASE_URL", get("PUBLIC_BASE_URL"), true)
	if err != nil {
		errs = append(errs, err)
	}
	c.PublicBaseURL = base

	days := DefaultAuditRetentionDays
	if v := get("AUDIT_RETENTION_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxAuditRetentionDays {
			errs = append(errs, fmt.Errorf("AUDIT_RETENTION_DAYS must be a whole number of days from 1 to %d, got %q", maxAuditRetentionDays, v))
		} else {
			days = n
		}
	}
	c.AuditRetention = time.Duration(days) * 24 * time.Hour

	c.LoginRequestFloor = DefaultLoginRequestFloor
	if v := get("LOGIN_REQUEST_FLOOR_MS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLoginRequestFloorMS {
			errs = append(errs, fmt.Errorf("LOGIN_REQUEST_FLOOR_MS must be a whole number of milliseconds from 1 to %d, got %q", maxLoginRequestFloorMS, v))
		} else {
			c.LoginRequestFloor = time.Duration(n) * time.Millisecond
		}
	}

	c.AdminTenantClaim = get("ADMIN_TENANT_CLAIM")
	if err := c.adminJWT(get); err != nil {
		errs = append(errs, err)
	}
	if ids, err := tenantIDs("AUTHORIZER_TENANTS", get("AUTHORIZER_TENANTS")); err != nil {
		errs = append(errs, err)
	} else {
		c.AuthorizerTenants = ids
	}
	if v := get("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", v))
		}
	}

	if ids, err := keyIDs(get("JWT_KEY_IDS")); err != nil {
		errs = append(errs, err)
	} else {
		c.JWTKeyIDs = ids
	}

	if cs, err := smsCountries(get("SMS_COUNTRIES")); err != nil {
		errs = append(errs, err)
	} else {
		c.SMSCountries = cs
	}

	if origins, err := dashboardOrigins(get("DASHBOARD_ORIGINS")); err != nil {
		errs = append(errs, err)
	} else {
		c.DashboardOrigins = origins
	}
	if err := c.sendQueue(get); err != nil {
		errs = append(errs, err)
	}

	if c.Region == "" {
		c.Region = get("AWS_DEFAULT_REGION")
	}
	if c.Region == "" {
		errs = append(errs, errors.New("AWS_REGION is required"))
	}

	// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is the SDKs' switch to ignore
	// the endpoint variables below; honour it as LoadDefaultConfig does.
	if !strings.EqualFold(get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		for _, e := range []struct {
			name string
			dst  *string
		}{
			{"AWS_ENDPOINT_URL", &c.Endpoint},
			{"AWS_ENDPOINT_URL_DYNAMODB", &c.DynamoDBEndpoint},
			{"AWS_ENDPOINT_URL_SES", &c.SESEndpoint},
			{"AWS_ENDPOINT_URL_SNS", &c.SNSEndpoint},
		} {
			v, err := baseURL(e.name, get(e.name), false)
			if err != nil {
				errs = append(errs, err)
			}
			*e.dst = v
		}
	}

	// Credentials are not trimmed: a secret is used exactly as given.
	id, _ := lookup("AWS_ACCESS_KEY_ID")
	secret, _ := lookup("AWS_SECRET_ACCESS_KEY")
	token, _ := lookup("AWS_SESSION_TOKEN")
	switch {
	case id != "" && secret != "":
		c.Credentials = Credentials{aws.Credentials{
			AccessKeyID: id, SecretAccessKey: secret, SessionToken: token,
			Source: "config.FromEnv",
		}}
	case id != "":
		errs = append(errs, errors.New("AWS_SECRET_ACCESS_KEY is required when AWS_ACCESS_KEY_ID is set"))
	case secret != "":
		errs = append(errs, errors.New("AWS_ACCESS_KEY_ID is required when AWS_SECRET_ACCESS_KEY is set"))
	default:
		errs = append(errs, errors.New("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required (Lambda sets them from the execution role)"))
	}

	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// adminJWT reads ADMIN_JWT_ISSUER, ADMIN_JWT_AUDIENCE and ADMIN_JWKS_URL.
// A half-configured issuer is an error at the cold start: left to the
// first request, it would be a dashboard that cannot sign in with nothing
// in the logs but 401s.
func (c *Config) adminJWT(get func(string) string) error {
	iss, aud, jwks := get("ADMIN_JWT_ISSUER"), get("ADMIN_JWT_AUDIENCE"), get("ADMIN_JWKS_URL")
	if iss == "" {
		if aud != "" || jwks != "" {
			return errors.New("ADMIN_JWT_AUDIENCE and ADMIN_JWKS_URL need ADMIN_JWT_ISSUER")
		}
		return nil
	}
	var errs []error
	if err := keyURL("ADMIN_JWT_ISSUER", iss); err != nil {
		errs = append(errs, err)
	}
	if aud == "" {
		errs = append(errs, errors.New("ADMIN_JWT_AUDIENCE is required with ADMIN_JWT_ISSUER"))
	}
	if c.AdminTenantClaim == "" {
		errs = append(errs, errors.New("ADMIN_TENANT_CLAIM is required with ADMIN_JWT_ISSUER"))
	}
	if jwks == "" {
		jwks = strings.TrimRight(iss, "/") + "/.well-known/jwks.json"
	} else if err := keyURL("ADMIN_JWKS_URL", jwks); err != nil {
		errs = append(errs, err)
	}
	c.AdminJWTIssuer, c.AdminJWTAudience, c.AdminJWKSURL = iss, aud, jwks
	return errors.Join(errs...)
}

// sendQueue reads SEND_QUEUE_URL, SEND_QUEUE_KEY_ID and
// SEND_MAX_RECEIVE_COUNT. A queue without its key is an error at the
// cold start, not a send that cannot be queued when it matters.
func (c *Config) sendQueue(get func(string) string) error {
	var errs []error
	u, key := get("SEND_QUEUE_URL"), get("SEND_QUEUE_KEY_ID")
	if u != "" {
		v, err := baseURL("SEND_QUEUE_URL", u, false)
		if err != nil {
			errs = append(errs, err)
		}
		c.SendQueueURL = v
		if key == "" {
			errs = append(errs, errors.New("SEND_QUEUE_KEY_ID is required with SEND_QUEUE_URL"))
		}
	}
	if key != "" {
		if ids, err := list("SEND_QUEUE_KEY_ID", key, "one KMS key id, key ARN or alias", validKeyID); err != nil || len(ids) != 1 {
			errs = append(errs, fmt.Errorf("SEND_QUEUE_KEY_ID must be one KMS key id, key ARN or alias, got %q", key))
		} else {
			c.SendQueueKeyID = ids[0]
		}
	}
	if v := get("SEND_MAX_RECEIVE_COUNT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxSendMaxReceives {
			errs = append(errs, fmt.Errorf("SEND_MAX_RECEIVE_COUNT must be a whole number from 1 to %d, got %q", maxSendMaxReceives, v))
		} else {
			c.SendMaxReceives = n
		}
	}
	return errors.Join(errs...)
}

// MaxReceives is SendMaxReceives, or DefaultSendMaxReceives when unset.
func (c Config) MaxReceives() int {
	if c.SendMaxReceives > 0 {
		return c.SendMaxReceives
	}
	return DefaultSendMaxReceives
}

// keyURL checks a URL that JWT verification trusts: https, so that no one
// on the path can swap the keys; plain http only on a loopback host, for a
// local identity provider in development.
func keyURL(name, v string) error {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" ||
		(u.Scheme != "https" && (u.Scheme != "http" || !loopback(u.Hostname()))) {
		return fmt.Errorf("%s must be an absolute https URL (http only on a loopback host), got %q", name, v)
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// maxTenantID is the longest tenant id (login.ValidTenantID).
const maxTenantID = 40

// list splits a comma-separated list: entries trimmed, without empty
// ones or repeats, in order. Each entry must pass ok, else the error says
// what the entries must be (want) and quotes the entry: lists hold ids,
// never secrets, and a typo fails at the cold start rather than later.
func list(name, v, want string, ok func(string) bool) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, e := range strings.Split(v, ",") {
		e = strings.TrimSpace(e)
		if e == "" || seen[e] {
			continue
		}
		if !ok(e) {
			return nil, fmt.Errorf("%s must be %s separated by commas, got %q", name, want, e)
		}
		seen[e] = true
		out = append(out, e)
	}
	return out, nil
}

// tenantIDs splits a list of tenant ids as login.ValidTenantID has them
// (1-40 lower-case letters, digits or dashes, not starting with a dash).
func tenantIDs(name, v string) ([]string, error) {
	return list(name, v, "tenant ids (lower-case letters, digits and dashes)", func(id string) bool {
		return len(id) <= maxTenantID && id[0] != '-' && strings.IndexFunc(id, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
		}) < 0
	})
}

// dashboardOrigins splits DASHBOARD_ORIGINS. Each entry must be an
// origin exactly as a browser sends it in Origin (no path, no trailing
// slash), since the check against it is a plain comparison: a path or a
// slash would silently never match.
func dashboardOrigins(v string) ([]string, error) {
	out, err := list("DASHBOARD_ORIGINS", strings.ToLower(v), "origins (https://host[:port], http only on a loopback host)", func(o string) bool {
		u, err := url.Parse(o)
		return err == nil && u.Host != "" && u.User == nil && u.Scheme+"://"+u.Host == o &&
			(u.Scheme == "https" || u.Scheme == "http" && loopback(u.Hostname()))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// maxKeyID is the longest KeyId KMS accepts.
const maxKeyID = 2048

// keyIDs splits JWT_KEY_IDS: each entry must look like a KMS key id, key
// ARN, alias name or alias ARN (letters, digits and - _ / :), so that a
// missing comma fails at the cold start rather than at the first JWT.
func keyIDs(v string) ([]string, error) {
	return list("JWT_KEY_IDS", v, "KMS key ids, key ARNs or aliases", validKeyID)
}

// validKeyID reports whether id looks like a KMS key id, key ARN, alias
// name or alias ARN.
func validKeyID(id string) bool {
	return len(id) <= maxKeyID && strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_/:", r))
	}) < 0
}

// baseURL checks that v is an absolute http or https URL with a host and
// no query or fragment, and returns it without trailing slashes. An empty
// v is an error only when required.
func baseURL(name, v string, required bool) (string, error) {
	if v == "" {
		if required {
			return "", fmt.Errorf("%s is required", name)
		}
		return "", nil
	}
	u, err := url.Parse(v)
	if err == nil && u.User != nil {
		return "", fmt.Errorf("%s must not carry a user name or password", name)
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(v, "?") || strings.HasSuffix(v, "#") {
		return "", fmt.Errorf("%s must be an absolute http or https URL with no query or fragment, got %q", name, v)
	}
	return strings.TrimRight(v, "/"), nil
}

// AWS returns an aws.Config built from the Config alone: Region, static
// credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN, and BaseEndpoint from AWS_ENDPOINT_URL when set.
// Retries, HTTP client and everything else stay at the SDK's defaults.
//
// It reads no file and makes no network call. On Lambda the session
// credentials in the environment belong to the execution role and Lambda
// keeps them valid for the life of the sandbox, so a static provider is
// enough: no refresh, no IMDS, no STS.
//
// Why not config.LoadDefaultConfig: it reads ~/.aws/config and
// ~/.aws/credentials, walks the whole credential chain (SSO, STS web
// identity, process, container and IMDS providers) and links all of them
// in (the sso, ssooidc, sts, signin and imds clients: about 1 MiB more
// binary and more package init). DESIGN.md measured three clients
// (DynamoDB, SES v2, SNS) built from LoadDefaultConfig at init at 3.8x a
// bare aws-lambda-go function's cold start, and the same three from an
// aws.Config like this one at 1.6-2.1x. infra/coldstart on the build
// machine (linux/amd64, 2 busy vCPUs, medians of 30-40 starts, four runs;
// bare 15-23 ms): this aws.Config with three clients 1.34-1.65x,
// LoadDefaultConfig with three clients 1.62-2.66x, DynamoDB alone
// 1.13-1.77x. Binaries: 7.3 MiB versus 8.3 MiB (bare 6.0 MiB).
//
// AWS_CA_BUNDLE is not honoured (it would need a file read); Go's TLS
// uses the system roots, which SSL_CERT_FILE can override.
func (c Config) AWS() aws.Config {
	cfg := aws.Config{Region: c.Region}
	if c.Credentials.IsSet() {
		cfg.Credentials = credentials.StaticCredentialsProvider{Value: c.Credentials.v}
	}
	if c.Endpoint != "" {
		cfg.BaseEndpoint = aws.String(c.Endpoint)
	}
	return cfg
}

// ServiceEndpoint returns the value for a client's Options.BaseEndpoint:
// endpoint when set (a per-service override such as
// Config.DynamoDBEndpoint), else base, the client's current value (from
// AWS_ENDPOINT_URL, or nil for the service's real endpoint).
func ServiceEndpoint(endpoint string, base *string) *string {
	if endpoint == "" {
		return base
	}
	return aws.String(endpoint)
}

// validSetName reports whether s is a name SES accepts for a
// configuration set, or "" (none).
func validSetName(s string) bool {
	if len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// smsCountries parses SMS_COUNTRIES: ISO 3166 alpha-2 codes separated by
// commas (spaces around them allowed), upper-cased; empty or unset is
// DefaultSMSCountries. A repeat or an empty entry is an error, not
// dropped: the list decides where money is spent, so a typo should stop
// the deploy rather than be guessed at.
func smsCountries(v string) ([]string, error) {
	if v == "" {
		v = DefaultSMSCountries
	}
	var out []string
	for _, c := range strings.Split(v, ",") {
		c = strings.ToUpper(strings.TrimSpace(c))
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			return nil, fmt.Errorf("SMS_COUNTRIES must be ISO 3166 alpha-2 country codes separated by commas, like US,CA; got %q", v)
		}
		if slices.Contains(out, c) {
			return nil, fmt.Errorf("SMS_COUNTRIES names %s twice", c)
		}
		out = append(out, c)
	}
	return out, nil
}
