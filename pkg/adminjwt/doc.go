// Package adminjwt verifies the dashboard users' JWTs on the admin routes,
// in the handlers, so that an admin route takes an API key or a JWT: an
// HTTP API route has one authorizer, and API Gateway's JWT authorizer in
// front of the admin routes turned every API key away.
//
// A Verifier checks a token as API Gateway's JWT authorizer did: an RS256
// or ES256 signature by a key of the issuer's JWKS named by the token's
// kid, iss equal to the issuer, aud holding the audience (or, a token
// without aud, client_id equal to it, as Cognito's access tokens have
// it), exp in the future and nbf and iat not, each with a minute's leeway
// for clocks; and it needs the sub claim and a tenant claim, a non-empty
// string each.
//
// The key set is fetched from the configured URL on the first token, not
// at the cold start, and cached: it is fetched again after an hour, or
// when a token names a kid it lacks (the issuer rotated its keys), at
// most once every 30 seconds whatever tokens arrive. A failed fetch keeps
// the keys it had.
//
// Errors name what failed, never the token.
package adminjwt
