package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// signer mints the HS256 JWTs iopd accepts (docs/OPERATIONS.md, "Minting
// tokens"), written here from that page alone: the key is the signing
// secret's bytes as they are (the 32 raw bytes of <data dir>/signing-secret,
// or the UTF-8 bytes of IOPD_AUTH_SECRET), the header exactly HS256, the
// claims sub, alias, role, room, exp, jti and iat.
type signer struct {
	key    []byte
	header string // base64url of the header, computed once
}

// loadSigner reads the secret: IOPD_AUTH_SECRET when set, else secretFile.
func loadSigner(secretFile string) (*signer, error) {
	var key []byte
	if s := os.Getenv("IOPD_AUTH_SECRET"); s != "" {
		key = []byte(s)
	} else {
		b, err := os.ReadFile(filepath.Clean(secretFile))
		if err != nil {
			return nil, fmt.Errorf("signing secret: %v (pass -secret-file or set IOPD_AUTH_SECRET)", err)
		}
		key = b
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("signing secret is %d bytes; iopd needs at least 32", len(key))
	}
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	return &signer{key: key, header: h}, nil
}

type claims struct {
	Sub   string `json:"sub"`
	Alias string `json:"alias"`
	Role  string `json:"role"`
	Room  string `json:"room"`
	Exp   int64  `json:"exp"`
	Iat   int64  `json:"iat"`
	Jti   string `json:"jti"`
}

// sign returns header.payload.signature.
func (s *signer) sign(c claims) string {
	body, _ := json.Marshal(c) // plain strings and numbers: cannot fail
	unsigned := s.header + "." + base64.RawURLEncoding.EncodeToString(body)
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(unsigned))
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
