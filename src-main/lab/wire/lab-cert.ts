// A fixed self-signed certificate for the lab's api-ssl listener. FOR THE LAB ONLY: the private key
// is public (it is in this repository), so nothing may ever trust this certificate outside tests.
// Generated once with OpenSSL 3.0 (`openssl ca -selfsign`, EC P-256, valid 2000-01-01..2100-01-01,
// subjectAltName IP:127.0.0.1, DNS:localhost) so no test depends on the clock or on openssl at run time.

export const LAB_TLS_KEY = `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgurNn/Xczqx7NxSDw
anUM3AoYSpEVShuvCcgKRJxvbTChRANCAATwNQUsN5DekZU7W+7E7lUOimBvn7pF
PsiexZN4GKe1FX7lNGw4Wt/WjkTfmW+RgnVxlg5c7Ho1BOjF+ZnkP7dj
-----END PRIVATE KEY-----
`

export const LAB_TLS_CERT = `
-----BEGIN CERTIFICATE-----
MIIBvzCCAWWgAwIBAgIBATAKBggqhkjOPQQDAjBDMR0wGwYDVQQDDBRmaWVsZGpv
YnMtbGFiLXJvdXRlcjEiMCAGA1UECgwZRmllbGRqb2JzIGxhYiAodGVzdCBvbmx5
KTAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFowQzEdMBsGA1UEAwwU
ZmllbGRqb2JzLWxhYi1yb3V0ZXIxIjAgBgNVBAoMGUZpZWxkam9icyBsYWIgKHRl
c3Qgb25seSkwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATwNQUsN5DekZU7W+7E
7lUOimBvn7pFPsiexZN4GKe1FX7lNGw4Wt/WjkTfmW+RgnVxlg5c7Ho1BOjF+Znk
P7djo0gwRjAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCQYDVR0TBAIwADAd
BgNVHQ4EFgQUYk/ClHhH6exzf/v2MtAucTxCi18wCgYIKoZIzj0EAwIDSAAwRQIg
WaHspF2LxWLO7CypLD9gKLq6qTzFD05Iqm7QdyOGJqsCIQCoE6VSDgA1BaovArnf
nGsATR1EVxpvXWWzrmIAY9tYoA==
-----END CERTIFICATE-----
`
