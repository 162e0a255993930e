// Package config reads a Lambda function's environment into a validated
// Config, and builds the aws.Config its AWS clients use.
//
// FromEnv reads TABLE_NAME, PUBLIC_BASE_URL, EMAIL_FROM,
// AUDIT_RETENTION_DAYS, LOG_LEVEL, the dashboard JWTs' ADMIN_JWT_ISSUER,
// ADMIN_JWT_AUDIENCE, ADMIN_JWKS_URL and ADMIN_TENANT_CLAIM, the
// authorizer's AUTHORIZER_TENANTS, the region
// (AWS_REGION, else AWS_DEFAULT_REGION), the access keys Lambda sets, and
// the endpoint overrides AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_DYNAMODB,
// _SES and _SNS (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true). It
// reports every missing or malformed variable at once. The session
// function reads JWT_KEY_IDS itself (jwtsign.ParseKeyIDs), since no other
// function signs.
//
// Functions' mains call FromEnv; package wire (and wire/senders) and the
// function-test helper functest take the Config it returns. Every other
// package takes its settings as constructor arguments; the dev server
// has its own flags. Config.AWS builds the aws.Config from the variables
// Lambda sets, with no file reads and no network, which keeps cold starts
// short (see Config.AWS).
package config
