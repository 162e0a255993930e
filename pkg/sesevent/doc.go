// Package sesevent reads the email sending event records that SES
// publishes through a configuration set's event destination (here an SNS
// topic) into the core's login.DeliveryEvent. It needs only the standard
// library: the delivery-events function and the dev server share it.
package sesevent
