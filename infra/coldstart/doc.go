// Command coldstart measures the cold start of each Lambda function the way
// DESIGN.md defines it: the time from process start to the function's first
// response on a local Lambda Runtime API, compared with a bare
// aws-lambda-go function (./bare).
//
// Usage:
//
//	go run ./infra/coldstart [-n 30] [-check] [-max 2.0] [-event name=path]... [function...]
//
// Each function is a name under functions/ or a directory holding a main
// package (default: every directory under functions/). Each is built for
// the host with -tags lambda.norpc -trimpath -ldflags='-s -w', then started
// n times with AWS_LAMBDA_RUNTIME_API pointing at a Runtime API served by
// this program and a Lambda-like environment (dummy credentials,
// TABLE_NAME=bench, AWS_ENDPOINT_URL=http://127.0.0.1:9 so that any network
// call at init fails fast and shows). Rounds interleave the functions so
// machine noise spreads evenly; one unmeasured round warms the page cache.
//
// The event is -event name=path, else events/<name>/coldstart.json when it
// exists, else a built-in HTTP API v2 event for GET /__coldstart, which a
// function answers 404 without touching the network.
//
// It prints, per function, the response status, the median and p90 in
// milliseconds, the median's ratio to bare's median and the binary size.
// With -check it exits 1 when a ratio exceeds -max.
package main
