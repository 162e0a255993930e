// Package inbox is the dev server's login.Sender: instead of sending, it
// keeps the last messages of both channels, rendered as they would be
// sent, in memory, and shows them at GET /dev/inbox (JSON) and
// GET /dev/inbox.html (a page for people, with clickable links).
//
// It exists only for the dev server and tests; no Lambda function may
// import it.
package inbox
