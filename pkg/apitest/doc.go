// Package apitest checks real HTTP exchanges against the project's
// openapi.yaml, so that tests keep the document and the code in step.
//
// A test loads the document once per test binary with Load and checks
// each exchange with Spec.Check, or sends it and checks it with Spec.Do
// (through a client) or Spec.Serve (through a handler):
//
//	spec := apitest.Load(t)
//	resp, body := spec.Do(t, srv.Client(), req)
//
// A check fails the test when the route is not in the document, when the
// response's status, headers, content type or JSON body do not match it,
// or when a request that the document does not allow was not refused
// with a 4xx status. HTML bodies are checked for status and content type
// only. Security requirements are not enforced: tests send cookies and
// bearer tokens as they like.
package apitest
