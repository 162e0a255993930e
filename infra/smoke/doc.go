// Command smoke runs the README's walkthrough against a deployed
// portalpass API with a tenant's admin API key, and exits non-zero on the
// first step that fails:
//
//	go run ./infra/smoke -url https://api.example.com -api-key ppk_... [-inbox ...]
//
// It invites a contact with a new test address, requests a login for it,
// reads the login message from a test inbox the operator names (or, with
// no inbox, generates a recovery link through the admin API), redeems it
// as a browser would (the continue page, its form, cookies) or logs in
// with the code, reads the session, logs out, checks that the session is
// gone, and deletes the contact.
//
// It prints each step with its status and the ids it saw, never a token,
// a code, a link or the API key: its output may go to a CI log.
package main
