// Package template holds the test of the stack's template.yaml: what an
// on-call engineer relies on (alarms, throttling, canary deploys,
// least-privilege roles, CORS answered by the functions, parameters) is
// asserted here so that a template edit cannot drop it silently.
// cfn-lint checks the template's validity; this checks its intent.
package template
