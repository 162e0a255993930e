// Package login is the core of portalpass: tenants, contacts, one-time
// login attempts, sessions and the flows that connect them. It defines the
// ports it needs (Store, Sender, Clock) and imports neither the AWS SDK nor
// net/http; adapters and the HTTP layer live in other packages.
//
// Single use: a login attempt's link and code are consumed together, by
// exactly one redeem under any concurrency (Store.Redeem's conditional
// write). One exception, for mail scanners that open links and press
// buttons: the browser holding the login-request cookie of the same
// request (LoginOpts.RequestHash, the attempt's RequestHash) may still
// finish its login, once, within the link's lifetime after another
// browser consumed the link; that ends what the other browser got: its
// session, or its picker and the session a pick from it gave. For it a
// consumed login attempt is kept until it expires
// (Slot.ConsumedBy, MultiAttempt.ConsumedBy) instead of being cleared; the
// code path and the redeem page treat it as used. Every other browser,
// and every link no login request made (admin sends, invites, recovery,
// action links), gets strict single use. See Service.RedeemLink.
package login
