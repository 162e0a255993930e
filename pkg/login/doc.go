// Package login is the core of portalpass: tenants, contacts, one-time
// login attempts, sessions and the flows that connect them. It defines the
// ports it needs (Store, Sender, Clock) and imports neither the AWS SDK nor
// net/http; adapters and the HTTP layer live in other packages.
package login
