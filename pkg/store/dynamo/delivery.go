package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/portalpass/portalpass/pkg/login"
)

// An address's delivery status is one item on its identifier's
// partition, IDENT#<hash> / STATUS, so that FindIdentity's query reads it
// with the contacts at no extra call. Only a status other than ok is
// stored.
const (
	skStatus   = "STATUS"
	attrStatus = "status"
)

// EmailStatus returns the stored status of the identifier key's address
// with one consistent GetItem; "" when none is stored.
func (s *Store) EmailStatus(ctx context.Context, identKey string) (login.EmailStatus, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: s.table, ConsistentRead: aws.Bool(true),
		Key:                      key(identKeyPK(identKey), skStatus),
		ProjectionExpression:     aws.String("#s"),
		ExpressionAttributeNames: map[string]string{"#s": attrStatus},
	})
	if err != nil {
		return "", fmt.Errorf("dynamo: email status: %w", err)
	}
	return login.EmailStatus(item(out.Item).str(attrStatus)), nil
}

// SetEmailStatus puts (or, for ok, deletes) the status item of the
// identifier key's address and the events, in one write.
func (s *Store) SetEmailStatus(ctx context.Context, identKey string, st login.EmailStatus, at time.Time, events []login.AuditEvent) error {
	t := newTx(1 + len(events))
	k := key(identKeyPK(identKey), skStatus)
	if st.OK() {
		t.add(types.TransactWriteItem{Delete: &types.Delete{TableName: s.table, Key: k}}, roleNone, 0)
	} else {
		m := item(k)
		m.setS(attrStatus, string(st))
		m.setTime(attrAt, at)
		s.txPut(t, m)
	}
	s.txEvents(t, events)
	return s.run(ctx, "set email status", t, at, nil, nil)
}

// statusFrom reads a status item into rec.
func statusFrom(rec *login.IdentityRecord, m item) {
	rec.EmailStatus = login.EmailStatus(m.str(attrStatus))
}
