#!/bin/sh
# Makes the certificate files of server/src/service/nginx/rules/certificates.cases/depth (and the two
# that depth-private-root copies from it): test-only keys and certificates, valid 2026-11-01 to 2046,
# dated by faketime so that the cases' clock (2026-12-01) falls inside them. Run from an empty folder,
# then copy the listed files into the case's certs/ folder. The CA keys (root, other, intermediate's
# issuer) stay here and are thrown away.
set -e
openssl() { faketime '2026-11-01 00:00:00' /usr/bin/openssl "$@"; }
D=7300
cat > ext.cnf <<'CNF'
[req]
distinguished_name = dn
[dn]
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[int_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:app.example.test, DNS:*.example.test
authorityInfoAccess = caIssuers;URI:http://ca.example.test/intermediate.crt, OCSP;URI:http://ocsp.example.test
[direct_leaf_ext]
basicConstraints = critical, CA:FALSE
extendedKeyUsage = serverAuth
subjectAltName = DNS:app.example.test, DNS:*.example.test
[staple_ext]
basicConstraints = critical, CA:FALSE
extendedKeyUsage = serverAuth
subjectAltName = DNS:app.example.test, DNS:*.example.test
authorityInfoAccess = caIssuers;URI:http://ca.example.test/intermediate.crt, OCSP;URI:http://ocsp.example.test
tlsfeature = status_request
[self_leaf_ext]
basicConstraints = critical, CA:FALSE
subjectAltName = DNS:app.example.test, DNS:*.example.test
[selfca_ext]
basicConstraints = critical, CA:TRUE
subjectKeyIdentifier = hash
subjectAltName = DNS:app.example.test, DNS:*.example.test
CNF
ec() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
self() { openssl req -new -x509 -key "$1" -out "$2" -subj "$3" -days $D "$4" -config ext.cnf -extensions "$5"; }
sign() { openssl x509 -req -in "$1" -out "$2" -CA "$3" -CAkey "$4" -CAcreateserial -days $D "$5" -extfile ext.cnf -extensions "$6"; }
ec root.key; self root.key root-ca.pem "/CN=nginx-ls Depth Root CA" -sha256 ca_ext
ec other.key; self other.key other-root.pem "/CN=nginx-ls Other Root CA" -sha256 ca_ext
ec intermediate.key
openssl req -new -key intermediate.key -out int.csr -subj "/CN=nginx-ls Depth Intermediate CA" -config ext.cnf
sign int.csr intermediate.pem root-ca.pem root.key -sha256 int_ext
ec leaf.key
openssl req -new -key leaf.key -out leaf.csr -subj "/CN=app.example.test" -config ext.cnf
sign leaf.csr leaf.pem intermediate.pem intermediate.key -sha256 leaf_ext
sign leaf.csr direct-leaf.pem root-ca.pem root.key -sha256 direct_leaf_ext
sign leaf.csr sha1-leaf.pem intermediate.pem intermediate.key -sha1 leaf_ext
sign leaf.csr staple-leaf.pem intermediate.pem intermediate.key -sha256 staple_ext
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out weak-rsa.key
self weak-rsa.key weak-rsa.pem "/CN=app.example.test" -sha256 self_leaf_ext
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.key
self rsa2048.key rsa2048.pem "/CN=app.example.test" -sha256 self_leaf_ext
ec sha1root.key; self sha1root.key sha1-root.pem "/CN=nginx-ls SHA-1 Root CA" -sha1 ca_ext
ec selfsigned-ca.key; self selfsigned-ca.key selfsigned-ca.pem "/CN=app.example.test" -sha256 selfca_ext
cat leaf.pem intermediate.pem > fullchain.pem
cat sha1-leaf.pem intermediate.pem > sha1-chain.pem
cat staple-leaf.pem intermediate.pem > must-staple-chain.pem
cat intermediate.pem root-ca.pem > intermediate-served.pem
cp leaf.pem leaf-only.pem
# The case uses: fullchain.pem leaf-only.pem leaf.key direct-leaf.pem root-ca.pem other-root.pem sha1-chain.pem sha1-root.pem
# weak-rsa.pem weak-rsa.key rsa2048.pem rsa2048.key intermediate-served.pem intermediate.key selfsigned-ca.pem
# selfsigned-ca.key must-staple-chain.pem
