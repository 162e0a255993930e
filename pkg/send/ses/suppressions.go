package ses

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/portalpass/portalpass/pkg/login"
	"github.com/portalpass/portalpass/pkg/send/redact"
)

// Suppressions is SES's account-level suppression list. It is safe for
// concurrent use.
type Suppressions struct {
	client *sesv2.Client
}

var _ login.Suppressions = (*Suppressions)(nil)

// NewSuppressions returns the suppression list of client's account.
func NewSuppressions(client *sesv2.Client) *Suppressions {
	return &Suppressions{client: client}
}

// Unsuppress removes email from the list with DeleteSuppressedDestination;
// an address not on it is no error.
func (s *Suppressions) Unsuppress(ctx context.Context, email string) error {
	_, err := s.client.DeleteSuppressedDestination(ctx, &sesv2.DeleteSuppressedDestinationInput{EmailAddress: aws.String(email)})
	var nf *types.NotFoundException
	if err == nil || errors.As(err, &nf) {
		return nil
	}
	// The address is personal data: keep it out of the logs.
	return fmt.Errorf("ses: unsuppress: %w", redact.Error(err, email))
}
