// Package sns is the login.Sender for SMS: it renders a login.Message with
// message.SMS and publishes it straight to the phone number through
// Amazon SNS as a transactional SMS.
//
// Its errors never hold the message's text, link or code, nor its
// recipient's phone number.
package sns
