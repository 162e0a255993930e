// Package flows benchmarks the customer flows (issue 9) through the dev
// server's handler on the embedded store and the dev inbox: request a
// login by email, open its link's page, redeem the link, log in with
// its code, check a session, and request a login for an address nobody
// has. The package has no code of its own; the benchmarks are in
// flows_test.go and their figures in bench/README.md.
//
// Each benchmark times only the handler's ServeHTTP: its requests and
// their bodies, contacts and earlier steps of the flow are made before
// the timer starts, every request for a contact of its own from a client
// address of its own, so that no rate limit is met. Besides ns/op, B/op
// and allocs/op, each reports logB/op, the bytes the service logged per
// request (JSON lines, as the Lambda functions write them), which
// CloudWatch Logs bills.
package flows
