package jwtsign

import (
	"bytes"
	"crypto/elliptic"
	"encoding/asn1"
	"errors"
	"math/big"
)

// sigSize is the size of a raw ES256 signature: r and s, 32 bytes each.
const sigSize = 64

var errSignature = errors.New("jwtsign: malformed ECDSA signature")

// ecdsaSig is the DER form of an ECDSA signature: SEQUENCE { r INTEGER, s INTEGER }.
type ecdsaSig struct {
	R, S *big.Int
}

// DERToRaw converts an ECDSA P-256 signature from its ASN.1 DER form
// (what KMS and crypto/ecdsa.SignASN1 return) to the raw form a JWS
// carries: r and s as 32-byte big-endian integers, left-padded with zeros
// (RFC 7518 §3.4). It rejects anything that is not exactly one DER
// SEQUENCE of two INTEGERs in [1, n-1], n being the order of P-256, in
// canonical DER.
func DERToRaw(der []byte) ([]byte, error) {
	var sig ecdsaSig
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil || len(rest) != 0 {
		return nil, errSignature
	}
	n := elliptic.P256().Params().N
	for _, v := range []*big.Int{sig.R, sig.S} {
		if v == nil || v.Sign() <= 0 || v.Cmp(n) >= 0 {
			return nil, errSignature
		}
	}
	// encoding/asn1 ignores extra elements inside the SEQUENCE: only
	// what re-encodes to the very input is DER of exactly r and s.
	if canon, err := asn1.Marshal(sig); err != nil || !bytes.Equal(canon, der) {
		return nil, errSignature
	}
	out := make([]byte, sigSize)
	sig.R.FillBytes(out[:sigSize/2])
	sig.S.FillBytes(out[sigSize/2:])
	return out, nil
}

// RawToDER is the inverse of DERToRaw: it encodes a raw 64-byte r||s
// signature as ASN.1 DER, for crypto/ecdsa.VerifyASN1.
func RawToDER(raw []byte) ([]byte, error) {
	if len(raw) != sigSize {
		return nil, errSignature
	}
	sig := ecdsaSig{
		R: new(big.Int).SetBytes(raw[:sigSize/2]),
		S: new(big.Int).SetBytes(raw[sigSize/2:]),
	}
	b, err := asn1.Marshal(sig)
	if err != nil {
		return nil, errSignature
	}
	return b, nil
}
