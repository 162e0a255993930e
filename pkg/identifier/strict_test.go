package identifier_test

import "github.com/portalpass/portalpass/pkg/identifier/e164"

// strict is the parser the tests check: phone numbers validated too.
var strict = e164.Parser
