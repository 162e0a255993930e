package login

// EventType is what an audit event records. Types are stored with every
// event and dashboards filter by them: append, never rename.
type EventType string

// Audit event types of API.md.
const (
	EventLoginRequested    EventType = "login.requested"
	EventLinkGenerated     EventType = "link.generated"
	EventInviteSent        EventType = "invite.sent"
	EventLoginEmailSent    EventType = "login_email.sent"
	EventLoginRedeemed     EventType = "login.redeemed"
	EventLoginFailed       EventType = "login.failed"
	EventCodeFailed        EventType = "code.failed"
	EventSessionCreated    EventType = "session.created"
	EventSessionRevoked    EventType = "session.revoked"
	EventLogout            EventType = "logout"
	EventTenantSelected    EventType = "tenant.selected"
	EventContactCreated    EventType = "contact.created"
	EventContactUpdated    EventType = "contact.updated"
	EventContactErased     EventType = "contact.erased"
	EventActionLinkCreated EventType = "action_link.created"
	EventActionLinkUsed    EventType = "action_link.used"
	EventActionLinkRevoked EventType = "action_link.revoked"

	// Delivery: a send that failed after its retries, and the provider's
	// feedback on one that went out (API.md "Delivery status").
	EventDeliveryFailed     EventType = "delivery.failed"
	EventDeliveryDelivered  EventType = "delivery.delivered"
	EventDeliveryBounced    EventType = "delivery.bounced"
	EventDeliveryComplained EventType = "delivery.complained"
	EventDeliveryDelayed    EventType = "delivery.delayed"
	EventDeliveryRejected   EventType = "delivery.rejected"
	EventDeliverySuppressed EventType = "delivery.suppressed"

	// Beyond API.md's list: settings changes and portal hand-offs.
	EventSettingsUpdated  EventType = "settings.updated"
	EventHandoffExchanged EventType = "handoff.exchanged"
	EventHandoffFailed    EventType = "handoff.failed"
)

// eventTypes are the known types, for checking an audit filter.
var eventTypes = map[EventType]bool{
	EventLoginRequested: true, EventLinkGenerated: true, EventInviteSent: true, EventLoginEmailSent: true,
	EventLoginRedeemed: true, EventLoginFailed: true, EventCodeFailed: true,
	EventSessionCreated: true, EventSessionRevoked: true, EventLogout: true, EventTenantSelected: true,
	EventContactCreated: true, EventContactUpdated: true, EventContactErased: true,
	EventActionLinkCreated: true, EventActionLinkUsed: true, EventActionLinkRevoked: true,
	EventDeliveryFailed: true, EventDeliveryDelivered: true, EventDeliveryBounced: true, EventDeliveryComplained: true,
	EventDeliveryDelayed: true, EventDeliveryRejected: true, EventDeliverySuppressed: true,
	EventSettingsUpdated: true, EventHandoffExchanged: true, EventHandoffFailed: true,
}

// Known reports whether t is one of the event types above.
func (t EventType) Known() bool { return eventTypes[t] }
