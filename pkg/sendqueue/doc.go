// Package sendqueue seals the login messages that the core hands to its
// send queue (login.SendQueue) and opens them again for the retrier:
// what rests in a queue is an envelope whose only readable field is the
// tenant id; the message itself (address, link, code, contacts) is
// encrypted, by KMS on AWS (KMSSealer) or by an AES-GCM key made per
// process in the dev server (LocalSealer), bound to its purpose and
// tenant so that a sealed message cannot be replayed under another
// tenant's name.
//
// Local is the in-process queue of the dev server and of tests on the
// embedded store: it retries in a goroutine after short delays. The SQS
// queue of the Lambda functions is in package sqsqueue; both call KMS
// and SQS through package awsjson, not the SDK's clients, whose package
// init would weigh on request-login's cold start.
package sendqueue
