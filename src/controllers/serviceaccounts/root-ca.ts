/**
 * The cluster's root CA certificate as the root-CA publisher hands it to every namespace
 * (kube-root-ca.crt) while kubemock serves plain HTTP (with TLS it publishes its own CA): a fixed, test-grade,
 * self-signed CA (CN=kubernetes, RSA 2048, valid until 2126) made once with openssl; its private
 * key was thrown away, so nothing can be signed with it: it only has to parse as a CA certificate.
 */
export const ROOT_CA_CERT_PEM = `\
-----BEGIN CERTIFICATE-----
MIIDHTCCAgWgAwIBAgIUKq3h0axV6o4D1LgFLbCRXNZYmTAwDQYJKoZIhvcNAQEL
BQAwFTETMBEGA1UEAwwKa3ViZXJuZXRlczAgFw0yNjEyMDMxOTIyMDNaGA8yMTI2
MTEwOTE5MjIwM1owFTETMBEGA1UEAwwKa3ViZXJuZXRlczCCASIwDQYJKoZIhvcN
AQEBBQADggEPADCCAQoCggEBAMey5IhroF9j0R3IV7injv9SNPzWL75gAuDxsilX
8ydtTnWqxQDxWPjVyb39qGe/lfhEuVHruxr47KRxW+pj4/fKLLBFAp7ZEHqWs0aJ
VRfPb1aY5PinIYxHbKu/E8IP0ZYFO5+JRmltK1w4B7QTeg0mMcOZBUqK2jSEks4d
6vUjL07Z2z1TRg6N/iCp0i6EajWJ4fOAOHCamUVTEBITocVSw7Dpk9EPoJ7R9apL
yc98h3IpA33vC4Kkgf0xRucgmZQTvYCBxbHf9WgrwItsAMehAE59WDzWvNuZV2Cm
dmiIenTh/1qcAUk02qw+CBLe8h0o22bUTXjy8tEUDGohyAkCAwEAAaNjMGEwHQYD
VR0OBBYEFGOUwSkKv3xuxppUb8MiVX0OinWXMB8GA1UdIwQYMBaAFGOUwSkKv3xu
xppUb8MiVX0OinWXMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgKkMA0G
CSqGSIb3DQEBCwUAA4IBAQCkgGyzub7thmiVX82dv0Vf/JhE8sHxKlufhttJ8hVj
1Wa4goJe1T6Mw4KS1xmj71j19RWPYya7BhCCUvYYR7Pg8+dQph4brWQQsZEYe91U
R6NEjHXKYtIwAqkwr3FTONEH/mAWRao12Z6OiAFWG379jO6e64gjnLZItJDC92TB
TlUIOiNVWA+TpeFagCbZmfTRb/DDLau6mWb8IvyKsGIGzRtoDqfgqKnb1LXeeDM4
4ccI9u/5I1rLvDcT7pWpFdQa9G1hYsYBlPjOED9G37WuUjagWVKI/hZaS5iyb/IP
r0aFGyGv8msHwHCa9x5Z8mFXQQniY3LUUrtD2qm205Sy
-----END CERTIFICATE-----
`;
