// Command portal is a small customer portal that learns who logged in
// from portalpass when the tenant's portalIntegration is "handoff":
//
//   - GET / shows the logged-in contact (the portal's own session cookie,
//     checked with GET /v1/session) or how to log in.
//   - GET /callback?pp_code=C is where the tenant's portalUrl points: the
//     backend exchanges the one-time code for a portalpass session with
//     the tenant's API key (POST /v1/session/exchange), keeps the session
//     server-side under a random cookie of its own and redirects to /.
//   - With -pkce the portal holds no key, as a single-page app would: its
//     login form (POST /login) requests the login link with a PKCE
//     challenge, and /callback proves the verifier instead of a key.
//   - GET /me.json fetches a fresh session JWT (POST /v1/session/token)
//     and answers its claims once verified against the API's JWKS.
//
// Run it against the dev server:
//
//	go run ./examples/portal -api http://127.0.0.1:8080 -tenant demo -key <api key> -addr 127.0.0.1:9090
//
// See README.md for the walkthrough.
package main
