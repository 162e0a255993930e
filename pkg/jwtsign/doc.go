// Package jwtsign signs JSON Web Tokens with ES256 (ECDSA on P-256 with
// SHA-256, RFC 7518 §3.4) and publishes the public keys as a JSON Web Key
// Set (RFC 7517). It knows nothing of sessions: the core (pkg/login)
// builds the claims, Keys signs them.
//
// A Signer is one P-256 key. Two are here: LocalSigner holds the private
// key in memory (the dev server, tests); KMSSigner asks AWS KMS to sign
// with an asymmetric ECC_NIST_P256 key that never leaves KMS. KMSSigner
// makes no network call when it is built: the public key is fetched at
// first use and cached for the life of the process.
//
// # Key ids
//
// A key's kid is its RFC 7638 JWK thumbprint (base64url of the SHA-256 of
// {"crv","kty","x","y"}), not a KMS key id: it is derived from the key
// itself, so it is the same wherever the key lives (memory or KMS, an id
// or an alias naming it), it changes whenever the key does, and the
// public key set names no AWS account, region or key. The cost is one
// KMS GetPublicKey per key per process before the first signature.
//
// # Rotation
//
// Keys holds every configured key (KMS key ids from JWT_KEY_IDS,
// comma-separated); the first one signs and all are listed in the JWKS.
// Tokens live at most 5 minutes and the JWKS may be cached 5 minutes, so
// a rotation is three deployments:
//
//  1. append the new key: JWT_KEY_IDS=old,new (published, not signing);
//  2. at least 5 minutes later, put it first: JWT_KEY_IDS=new,old;
//  3. at least 5 minutes later (the old key's last tokens have expired),
//     drop the old one: JWT_KEY_IDS=new.
package jwtsign
