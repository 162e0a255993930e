// Package logintest holds what tests of the login core and its adapters
// share: TestStore, the contract suite every login.Store implementation
// must pass, and fakes of the core's other ports (Clock, Sender).
//
// The suite tests behaviour only through the login.Store interface, so the
// embedded store and the DynamoDB store answer to the same contract. Its
// times are whole seconds: a store may round stored times to the second.
package logintest
