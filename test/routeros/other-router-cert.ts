// A second self-signed certificate, FOR TESTS ONLY (its key is public): the lab router "re-keyed",
// so a site pinned to the lab's certificate (src-main/lab/wire/lab-cert.ts) meets another one.
// Generated once with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 36500`.

export const OTHER_TLS_KEY = `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgmRXnnPQVVIParPHx
T4KdX/4rPWC08+eAyU9pUGJ5TZqhRANCAAQcyukdyTGoJWuV+Sacn17C3yp7JlzW
ZQeeVKusaRNHXBBym/TunMWldSxgRAqIcOUKJWMGOq/NRMy6mL4u+OOz
-----END PRIVATE KEY-----
`

export const OTHER_TLS_CERT = `
-----BEGIN CERTIFICATE-----
MIIBnTCCAUKgAwIBAgIUMgzHzthxq5zeHw1EGUG2CSQwYPQwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPcmUta2V5ZWQtcm91dGVyMCAXDTI2MTEyMjEwMTkxM1oYDzIx
MjYxMDI5MTAxOTEzWjAaMRgwFgYDVQQDDA9yZS1rZXllZC1yb3V0ZXIwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQcyukdyTGoJWuV+Sacn17C3yp7JlzWZQeeVKus
aRNHXBBym/TunMWldSxgRAqIcOUKJWMGOq/NRMy6mL4u+OOzo2QwYjAdBgNVHQ4E
FgQU3kpD7kmDUk3lm3F8iHbN2YSGx1gwHwYDVR0jBBgwFoAU3kpD7kmDUk3lm3F8
iHbN2YSGx1gwDwYDVR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqG
SM49BAMCA0kAMEYCIQDL+C8WkIEpKb3c8G84rszPD9eAMWRTqKvC5bAR4vCACAIh
APcuG/ypN+hWMWJC9NRcO1Z+OETHC3iBzYr2lNVu5Q7a
-----END CERTIFICATE-----
`
