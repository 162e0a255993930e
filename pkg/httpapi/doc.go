// Package httpapi is portalpass's HTTP layer: routes, strict decoding,
// API.md's JSON errors, cookies, the hand-off to the portal, session JWTs
// and the key set, and the HTML pages with their assets. Flows live in
// package login.
//
// Each Lambda function mounts only its own group of routes: Customer
// (request-login: the login request and the pages), Redeem (redeem: links,
// codes, action links and the tenant picker), Session (session: the
// session, logout, the hand-off exchange, JWTs and /.well-known/jwks.json),
// Contacts (invite: contacts, invitations and the tenant's account:
// login emails, session revocation, portal link, settings), Links
// (generate-link: login, recovery and action links) and Audit (audit).
// The dev server mounts All of them. The Lambda authorizer does not use
// this package.
//
// Admin routes take an API key, or, when Config.AdminClaims is set, the
// tenant claim of a verified dashboard JWT. Config.ClientIP says where
// the caller's address comes from (API Gateway's request context on
// Lambda, RemoteIP on the dev server); it feeds rate limits and the audit
// log.
package httpapi
