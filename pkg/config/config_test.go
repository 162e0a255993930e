package config

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
)

// lambdaEnv is what Lambda and the template set for a function.
func lambdaEnv() map[string]string {
	return map[string]string{
		"TABLE_NAME":            "portalpass-Table-1ABC",
		"PUBLIC_BASE_URL":       "https://abc123.execute-api.eu-west-1.amazonaws.com",
		"AWS_REGION":            "eu-west-1",
		"AWS_ACCESS_KEY_ID":     "ASIAEXAMPLEKEYID",
		"AWS_SECRET_ACCESS_KEY": "secret-access-key-value",
		"AWS_SESSION_TOKEN":     "session-token-value",
	}
}

// allVars are cleared before each case so the host's environment cannot
// leak into it.
var allVars = []string{
	"TABLE_NAME", "EMAIL_FROM", "SES_CONFIGURATION_SET", "PUBLIC_BASE_URL", "AUDIT_RETENTION_DAYS", "LOG_LEVEL", "JWT_KEY_IDS", "LOGIN_REQUEST_FLOOR_MS",
	"ADMIN_TENANT_CLAIM", "ADMIN_JWT_ISSUER", "ADMIN_JWT_AUDIENCE", "ADMIN_JWKS_URL", "AUTHORIZER_TENANTS",
	"SMS_COUNTRIES", "DASHBOARD_ORIGINS", "SEND_QUEUE_URL", "SEND_QUEUE_KEY_ID", "SEND_MAX_RECEIVE_COUNT",
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
	"AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB",
	"AWS_ENDPOINT_URL_SES", "AWS_ENDPOINT_URL_SNS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
}

func setEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, k := range allVars {
		t.Setenv(k, "")
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
}

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name  string
		set   map[string]string // applied over lambdaEnv; "" deletes
		check func(t *testing.T, c Config)
	}{
		{"defaults", nil, func(t *testing.T, c Config) {
			want := Config{
				Table:          "portalpass-Table-1ABC",
				EmailFrom:      DefaultEmailFrom,
				PublicBaseURL:  "https://abc123.execute-api.eu-west-1.amazonaws.com",
				AuditRetention: 400 * 24 * time.Hour,
				LogLevel:       slog.LevelInfo,
				SMSCountries:   []string{"US", "CA"},
				Region:         "eu-west-1",

				LoginRequestFloor: 400 * time.Millisecond,
			}
			c.Credentials = Credentials{}
			if !reflect.DeepEqual(c, want) {
				t.Errorf("FromEnv() = %+v; want %+v", c, want)
			}
		}},
		{"everything set", map[string]string{
			"EMAIL_FROM":                "login@portal.example.org",
			"PUBLIC_BASE_URL":           "https://login.example.org/base/",
			"AUDIT_RETENTION_DAYS":      "30",
			"LOG_LEVEL":                 "DEBUG",
			"AWS_ENDPOINT_URL":          "http://127.0.0.1:5000",
			"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:8000/",
			"AWS_ENDPOINT_URL_SES":      "http://127.0.0.1:5001",
			"AWS_ENDPOINT_URL_SNS":      "http://127.0.0.1:5002",
		}, func(t *testing.T, c Config) {
			got := []any{c.EmailFrom, c.PublicBaseURL, c.AuditRetention, c.LogLevel,
				c.Endpoint, c.DynamoDBEndpoint, c.SESEndpoint, c.SNSEndpoint}
			want := []any{"login@portal.example.org", "https://login.example.org/base",
				30 * 24 * time.Hour, slog.LevelDebug, "http://127.0.0.1:5000",
				"http://127.0.0.1:8000", "http://127.0.0.1:5001", "http://127.0.0.1:5002"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("FromEnv() fields = %v; want %v", got, want)
			}
		}},
		{"login request floor", map[string]string{"LOGIN_REQUEST_FLOOR_MS": " 650 "},
			func(t *testing.T, c Config) {
				if c.LoginRequestFloor != 650*time.Millisecond {
					t.Errorf("LoginRequestFloor = %v; want 650ms", c.LoginRequestFloor)
				}
			}},
		{"login request floor at its bounds", map[string]string{"LOGIN_REQUEST_FLOOR_MS": "10000"},
			func(t *testing.T, c Config) {
				if c.LoginRequestFloor != 10*time.Second {
					t.Errorf("LoginRequestFloor = %v; want 10s", c.LoginRequestFloor)
				}
			}},
		{"http base URL and trailing slashes", map[string]string{"PUBLIC_BASE_URL": "http://127.0.0.1:8080//"},
			func(t *testing.T, c Config) {
				if got, want := c.PublicBaseURL, "http://127.0.0.1:8080"; got != want {
					t.Errorf("PublicBaseURL = %q; want %q", got, want)
				}
			}},
		{"AWS_DEFAULT_REGION fallback", map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "us-west-2"},
			func(t *testing.T, c Config) {
				if c.Region != "us-west-2" {
					t.Errorf("Region = %q; want us-west-2", c.Region)
				}
			}},
		{"ignore configured endpoints", map[string]string{
			"AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_SNS": "not a url",
			"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
		}, func(t *testing.T, c Config) {
			if c.Endpoint != "" || c.SNSEndpoint != "" {
				t.Errorf("endpoints = %q, %q; want none", c.Endpoint, c.SNSEndpoint)
			}
		}},
		{"JWT key ids", map[string]string{
			"JWT_KEY_IDS": " 1234abcd-12ab-34cd-56ef-1234567890ab ,, alias/portalpass-jwt," +
				"arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321, alias/portalpass-jwt ,",
		}, func(t *testing.T, c Config) {
			want := []string{"1234abcd-12ab-34cd-56ef-1234567890ab", "alias/portalpass-jwt",
				"arn:aws:kms:eu-west-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"}
			if !reflect.DeepEqual(c.JWTKeyIDs, want) {
				t.Errorf("JWTKeyIDs = %q; want %q", c.JWTKeyIDs, want)
			}
		}},
		{"JWT key ids only commas", map[string]string{"JWT_KEY_IDS": " , ,"}, func(t *testing.T, c Config) {
			if c.JWTKeyIDs != nil {
				t.Errorf("JWTKeyIDs = %q; want none", c.JWTKeyIDs)
			}
		}},
		{"authorizer tenants", map[string]string{"AUTHORIZER_TENANTS": " acme,, globex-2 ,acme,"}, func(t *testing.T, c Config) {
			if want := []string{"acme", "globex-2"}; !reflect.DeepEqual(c.AuthorizerTenants, want) {
				t.Errorf("AuthorizerTenants = %q; want %q", c.AuthorizerTenants, want)
			}
		}},
		{"SMS countries default", nil, func(t *testing.T, c Config) {
			if want := []string{"US", "CA"}; !reflect.DeepEqual(c.SMSCountries, want) {
				t.Errorf("SMSCountries = %q; want %q", c.SMSCountries, want)
			}
		}},
		{"dashboard origins", map[string]string{"DASHBOARD_ORIGINS": " https://Dash.example.com, http://localhost:5173,,https://dash.example.com"}, func(t *testing.T, c Config) {
			if want := []string{"https://dash.example.com", "http://localhost:5173"}; !reflect.DeepEqual(c.DashboardOrigins, want) {
				t.Errorf("DashboardOrigins = %q; want %q", c.DashboardOrigins, want)
			}
		}},
		{"SMS countries", map[string]string{"SMS_COUNTRIES": " us, GB ,de"}, func(t *testing.T, c Config) {
			if want := []string{"US", "GB", "DE"}; !reflect.DeepEqual(c.SMSCountries, want) {
				t.Errorf("SMSCountries = %q; want %q", c.SMSCountries, want)
			}
		}},
		{"authorizer tenants only commas", map[string]string{"AUTHORIZER_TENANTS": " , "}, func(t *testing.T, c Config) {
			if c.AuthorizerTenants != nil {
				t.Errorf("AuthorizerTenants = %q; want none", c.AuthorizerTenants)
			}
		}},
		{"admin JWT issuer", map[string]string{
			"ADMIN_JWT_ISSUER": "https://tenant.eu.auth0.com/", "ADMIN_JWT_AUDIENCE": "https://api.example.com",
			"ADMIN_TENANT_CLAIM": "https://example.com/tenant",
		}, func(t *testing.T, c Config) {
			got := []string{c.AdminJWTIssuer, c.AdminJWTAudience, c.AdminJWKSURL, c.AdminTenantClaim}
			want := []string{"https://tenant.eu.auth0.com/", "https://api.example.com",
				"https://tenant.eu.auth0.com/.well-known/jwks.json", "https://example.com/tenant"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("admin JWT = %q; want %q", got, want)
			}
		}},
		{"admin JWKS URL", map[string]string{
			"ADMIN_JWT_ISSUER": "https://example.okta.com/oauth2/default", "ADMIN_JWT_AUDIENCE": "api://dashboard",
			"ADMIN_TENANT_CLAIM": "tenant", "ADMIN_JWKS_URL": "https://example.okta.com/oauth2/default/v1/keys",
		}, func(t *testing.T, c Config) {
			if c.AdminJWKSURL != "https://example.okta.com/oauth2/default/v1/keys" {
				t.Errorf("AdminJWKSURL = %q; want the configured one", c.AdminJWKSURL)
			}
		}},
		{"admin JWT on a loopback http issuer", map[string]string{
			"ADMIN_JWT_ISSUER": "http://127.0.0.1:9000", "ADMIN_JWT_AUDIENCE": "dash", "ADMIN_TENANT_CLAIM": "tenant",
		}, func(t *testing.T, c Config) {
			if c.AdminJWKSURL != "http://127.0.0.1:9000/.well-known/jwks.json" {
				t.Errorf("AdminJWKSURL = %q", c.AdminJWKSURL)
			}
		}},
		{"no session token", map[string]string{"AWS_SESSION_TOKEN": ""}, func(t *testing.T, c Config) {
			if !c.Credentials.IsSet() || c.Credentials.v.SessionToken != "" {
				t.Errorf("Credentials set %v; want keys without a session token", c.Credentials.IsSet())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := lambdaEnv()
			for k, v := range tt.set {
				env[k] = v
			}
			setEnv(t, env)
			c, err := FromEnv()
			if err != nil {
				t.Fatalf("FromEnv() error: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestFromEnvErrors(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want []string // substrings the error must name
	}{
		{"no table", map[string]string{"TABLE_NAME": ""}, []string{"TABLE_NAME"}},
		{"blank table", map[string]string{"TABLE_NAME": "  "}, []string{"TABLE_NAME"}},
		{"no base URL", map[string]string{"PUBLIC_BASE_URL": ""}, []string{"PUBLIC_BASE_URL"}},
		{"relative base URL", map[string]string{"PUBLIC_BASE_URL": "/v1"}, []string{"PUBLIC_BASE_URL"}},
		{"host only base URL", map[string]string{"PUBLIC_BASE_URL": "api.example.com"}, []string{"PUBLIC_BASE_URL"}},
		{"ftp base URL", map[string]string{"PUBLIC_BASE_URL": "ftp://api.example.com"}, []string{"PUBLIC_BASE_URL"}},
		{"base URL with query", map[string]string{"PUBLIC_BASE_URL": "https://api.example.com/?a=1"}, []string{"PUBLIC_BASE_URL"}},
		{"base URL with fragment", map[string]string{"PUBLIC_BASE_URL": "https://api.example.com/#x"}, []string{"PUBLIC_BASE_URL"}},
		{"base URL with user", map[string]string{"PUBLIC_BASE_URL": "https://u:p@api.example.com"}, []string{"PUBLIC_BASE_URL"}},
		{"bad email", map[string]string{"EMAIL_FROM": "login"}, []string{"EMAIL_FROM"}},
		{"email with newline", map[string]string{"EMAIL_FROM": "a@b.c\nBcc: x@y.z"}, []string{"EMAIL_FROM"}},
		{"bad configuration set", map[string]string{"SES_CONFIGURATION_SET": "set name"}, []string{"SES_CONFIGURATION_SET"}},
		{"retention not a number", map[string]string{"AUDIT_RETENTION_DAYS": "1y"}, []string{"AUDIT_RETENTION_DAYS"}},
		{"retention zero", map[string]string{"AUDIT_RETENTION_DAYS": "0"}, []string{"AUDIT_RETENTION_DAYS"}},
		{"retention too long", map[string]string{"AUDIT_RETENTION_DAYS": "3651"}, []string{"AUDIT_RETENTION_DAYS"}},
		{"floor not a number", map[string]string{"LOGIN_REQUEST_FLOOR_MS": "400ms"}, []string{"LOGIN_REQUEST_FLOOR_MS", "400ms"}},
		{"floor zero", map[string]string{"LOGIN_REQUEST_FLOOR_MS": "0"}, []string{"LOGIN_REQUEST_FLOOR_MS"}},
		{"floor negative", map[string]string{"LOGIN_REQUEST_FLOOR_MS": "-1"}, []string{"LOGIN_REQUEST_FLOOR_MS"}},
		{"floor too long", map[string]string{"LOGIN_REQUEST_FLOOR_MS": "10001"}, []string{"LOGIN_REQUEST_FLOOR_MS"}},
		{"bad log level", map[string]string{"LOG_LEVEL": "loud"}, []string{"LOG_LEVEL"}},
		{"JWT key ids without a comma", map[string]string{"JWT_KEY_IDS": "alias/old alias/new"}, []string{"JWT_KEY_IDS", "alias/old alias/new"}},
		{"JWT key ids separated by semicolons", map[string]string{"JWT_KEY_IDS": "alias/old;alias/new"}, []string{"JWT_KEY_IDS"}},
		{"JWT key id with a newline", map[string]string{"JWT_KEY_IDS": "alias/a,alias/b\nc"}, []string{"JWT_KEY_IDS"}},
		{"JWT key id too long", map[string]string{"JWT_KEY_IDS": "alias/" + strings.Repeat("k", 2048)}, []string{"JWT_KEY_IDS"}},
		{"SMS country of three letters", map[string]string{"SMS_COUNTRIES": "US,USA"}, []string{"SMS_COUNTRIES"}},
		{"SMS country repeated", map[string]string{"SMS_COUNTRIES": "US,us"}, []string{"SMS_COUNTRIES", "US twice"}},
		{"SMS countries with an empty entry", map[string]string{"SMS_COUNTRIES": "US,,CA"}, []string{"SMS_COUNTRIES"}},
		{"SMS countries separated by semicolons", map[string]string{"SMS_COUNTRIES": "US;CA"}, []string{"SMS_COUNTRIES"}},
		{"SMS country with a digit", map[string]string{"SMS_COUNTRIES": "U1"}, []string{"SMS_COUNTRIES"}},
		{"dashboard origin with a path", map[string]string{"DASHBOARD_ORIGINS": "https://dash.example.com/app"}, []string{"DASHBOARD_ORIGINS", "https://dash.example.com/app"}},
		{"dashboard origin with a trailing slash", map[string]string{"DASHBOARD_ORIGINS": "https://dash.example.com/"}, []string{"DASHBOARD_ORIGINS"}},
		{"dashboard origin over plain http", map[string]string{"DASHBOARD_ORIGINS": "http://dash.example.com"}, []string{"DASHBOARD_ORIGINS"}},
		{"dashboard origin without a scheme", map[string]string{"DASHBOARD_ORIGINS": "dash.example.com"}, []string{"DASHBOARD_ORIGINS"}},
		{"dashboard origins separated by spaces", map[string]string{"DASHBOARD_ORIGINS": "https://a.example https://b.example"}, []string{"DASHBOARD_ORIGINS"}},
		{"authorizer tenant upper-case", map[string]string{"AUTHORIZER_TENANTS": "acme,Globex"}, []string{"AUTHORIZER_TENANTS", "Globex"}},
		{"authorizer tenants without a comma", map[string]string{"AUTHORIZER_TENANTS": "acme globex"}, []string{"AUTHORIZER_TENANTS", "acme globex"}},
		{"authorizer tenants separated by semicolons", map[string]string{"AUTHORIZER_TENANTS": "acme;globex"}, []string{"AUTHORIZER_TENANTS"}},
		{"authorizer tenant with a leading dash", map[string]string{"AUTHORIZER_TENANTS": "-acme"}, []string{"AUTHORIZER_TENANTS"}},
		{"authorizer tenant too long", map[string]string{"AUTHORIZER_TENANTS": strings.Repeat("a", 41)}, []string{"AUTHORIZER_TENANTS"}},
		{"admin JWT without audience or claim", map[string]string{"ADMIN_JWT_ISSUER": "https://issuer.example.com"},
			[]string{"ADMIN_JWT_AUDIENCE", "ADMIN_TENANT_CLAIM"}},
		{"admin JWT audience without issuer", map[string]string{"ADMIN_JWT_AUDIENCE": "dash"}, []string{"ADMIN_JWT_ISSUER"}},
		{"admin JWKS URL without issuer", map[string]string{"ADMIN_JWKS_URL": "https://issuer.example.com/keys"}, []string{"ADMIN_JWT_ISSUER"}},
		{"admin JWT http issuer", map[string]string{
			"ADMIN_JWT_ISSUER": "http://issuer.example.com", "ADMIN_JWT_AUDIENCE": "dash", "ADMIN_TENANT_CLAIM": "tenant",
		}, []string{"ADMIN_JWT_ISSUER"}},
		{"admin JWT relative issuer", map[string]string{
			"ADMIN_JWT_ISSUER": "issuer.example.com", "ADMIN_JWT_AUDIENCE": "dash", "ADMIN_TENANT_CLAIM": "tenant",
		}, []string{"ADMIN_JWT_ISSUER"}},
		{"admin JWKS URL over http", map[string]string{
			"ADMIN_JWT_ISSUER": "https://issuer.example.com", "ADMIN_JWT_AUDIENCE": "dash", "ADMIN_TENANT_CLAIM": "tenant",
			"ADMIN_JWKS_URL": "http://issuer.example.com/keys",
		}, []string{"ADMIN_JWKS_URL"}},
		{"no region", map[string]string{"AWS_REGION": ""}, []string{"AWS_REGION"}},
		{"bad endpoint", map[string]string{"AWS_ENDPOINT_URL": "127.0.0.1:5000"}, []string{"AWS_ENDPOINT_URL"}},
		{"bad dynamodb endpoint", map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "localhost"}, []string{"AWS_ENDPOINT_URL_DYNAMODB"}},
		{"bad ses endpoint", map[string]string{"AWS_ENDPOINT_URL_SES": "x"}, []string{"AWS_ENDPOINT_URL_SES"}},
		{"bad sns endpoint", map[string]string{"AWS_ENDPOINT_URL_SNS": "x"}, []string{"AWS_ENDPOINT_URL_SNS"}},
		{"no credentials", map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}},
		{"no secret key", map[string]string{"AWS_SECRET_ACCESS_KEY": ""}, []string{"AWS_SECRET_ACCESS_KEY"}},
		{"no key id", map[string]string{"AWS_ACCESS_KEY_ID": ""}, []string{"AWS_ACCESS_KEY_ID"}},
		{"several at once", map[string]string{"TABLE_NAME": "", "LOG_LEVEL": "x"}, []string{"TABLE_NAME", "LOG_LEVEL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := lambdaEnv()
			for k, v := range tt.set {
				env[k] = v
			}
			setEnv(t, env)
			_, err := FromEnv()
			if err == nil {
				t.Fatal("FromEnv() error = nil; want one")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "config: ") {
				t.Errorf("error %q lacks the config: prefix", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not name %s", msg, w)
				}
			}
			for _, secret := range []string{"secret-access-key-value", "session-token-value", "u:p"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error %q quotes a secret", msg)
				}
			}
		})
	}
}

func TestAWS(t *testing.T) {
	env := lambdaEnv()
	env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000/"
	setEnv(t, env)
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	cfg := c.AWS()
	if cfg.Region != "eu-west-1" {
		t.Errorf("Region = %q; want eu-west-1", cfg.Region)
	}
	if cfg.BaseEndpoint == nil || *cfg.BaseEndpoint != "http://127.0.0.1:5000" {
		t.Errorf("BaseEndpoint = %v; want http://127.0.0.1:5000", cfg.BaseEndpoint)
	}
	if cfg.RetryMaxAttempts != 0 || cfg.Retryer != nil || cfg.HTTPClient != nil {
		t.Errorf("retries or HTTP client changed from the SDK defaults")
	}
	if cfg.Credentials == nil {
		t.Fatal("Credentials = nil")
	}
	got, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessKeyID != "ASIAEXAMPLEKEYID" || got.SecretAccessKey != "secret-access-key-value" ||
		got.SessionToken != "session-token-value" || got.CanExpire {
		t.Errorf("Retrieve() = %q, secret ok %v, token ok %v, CanExpire %v",
			got.AccessKeyID, got.SecretAccessKey == "secret-access-key-value",
			got.SessionToken == "session-token-value", got.CanExpire)
	}

	env["AWS_ENDPOINT_URL"] = ""
	setEnv(t, env)
	if c, err = FromEnv(); err != nil {
		t.Fatal(err)
	}
	if got := c.AWS().BaseEndpoint; got != nil {
		t.Errorf("BaseEndpoint = %q; want nil without AWS_ENDPOINT_URL", *got)
	}
}

func TestConfigPrintsNoSecret(t *testing.T) {
	setEnv(t, lambdaEnv())
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, c), fmt.Sprintf(verb, &c), fmt.Sprintf(verb, c.Credentials))
	}
	j, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("cfg", "cfg", c)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("cfg", "cfg", c, "creds", c.Credentials)
	outs = append(outs, string(j), text.String(), js.String())
	for _, s := range outs {
		if strings.Contains(s, "secret-access-key-value") || strings.Contains(s, "session-token-value") ||
			strings.Contains(s, "ASIAEXAMPLEKEYID") {
			t.Errorf("a credential shows in %s", s)
		}
	}
	if !strings.Contains(text.String(), "[redacted]") {
		t.Errorf("slog text output %q lacks [redacted]", text.String())
	}
}

func TestServiceEndpoint(t *testing.T) {
	base := "http://127.0.0.1:5000"
	tests := []struct {
		name     string
		endpoint string
		base     *string
		want     string // "": nil
	}{
		{"unset keeps nil", "", nil, ""},
		{"unset keeps base", "", &base, base},
		{"set wins", "http://127.0.0.1:8000", &base, "http://127.0.0.1:8000"},
		{"set without base", "http://127.0.0.1:8000", nil, "http://127.0.0.1:8000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ServiceEndpoint(tt.endpoint, tt.base)
			switch {
			case tt.want == "" && got != nil:
				t.Errorf("ServiceEndpoint(%q) = %q; want nil", tt.endpoint, *got)
			case tt.want != "" && (got == nil || *got != tt.want):
				t.Errorf("ServiceEndpoint(%q) = %v; want %q", tt.endpoint, got, tt.want)
			}
		})
	}
}

// BenchmarkFromEnvAWS measures what a main does at init: read the
// environment and build the aws.Config.
func BenchmarkFromEnvAWS(b *testing.B) {
	for k, v := range lambdaEnv() {
		b.Setenv(k, v)
	}
	b.ReportAllocs()
	for b.Loop() {
		c, err := FromEnv()
		if err != nil {
			b.Fatal(err)
		}
		_ = c.AWS()
	}
}
