// Package httpapi is portalpass's HTTP layer: routes, strict decoding,
// API.md's JSON errors, cookies and the HTML pages. Each Lambda function
// mounts only its own routes (Customer, Redeem, Session, Contacts); the
// dev server mounts All of them. Flows live in package login.
package httpapi
