#!/usr/bin/env bash
# Makes a development CA and certificates for a TLS-secured ScaleSweep cluster with openssl:
#   ca.pem / ca.key          the cluster CA (keep ca.key off the cluster machines)
#   silo.pem / silo.key      a silo certificate (serverAuth + clientAuth: silos both accept and open connections)
#   client.pem / client.key  a client certificate (clientAuth) for submit/status/watch/cancel/list
# Any certificate signed by ca.key is a member of the cluster. Usage:
#   infra/make-dev-certs.sh [OUT_DIR] [DAYS]        (default: ./certs, 365 days)
# Existing files in OUT_DIR are kept unless FORCE=1; rotate by re-running with FORCE=1 (see docs/cluster.md).
set -euo pipefail

out="${1:-certs}"
days="${2:-365}"
if ! command -v openssl >/dev/null 2>&1; then
  echo "make-dev-certs: openssl is required (apt-get install openssl)" >&2
  exit 1
fi
mkdir -p "$out"
if [ -e "$out/ca.pem" ] && [ "${FORCE:-0}" != "1" ]; then
  echo "make-dev-certs: $out/ca.pem exists; set FORCE=1 to replace every file" >&2
  exit 1
fi
umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
  -subj "/CN=ScaleSweep dev CA" -keyout "$out/ca.key" -out "$out/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null

# issue NAME CN EKU
issue() {
  local name="$1" cn="$2" eku="$3"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
    -keyout "$out/$name.key" -out "$work/$name.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=DNS:%s\n' \
    "$eku" "$cn" >"$work/$name.ext"
  openssl x509 -req -in "$work/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial \
    -CAserial "$work/ca.srl" -days "$days" -extfile "$work/$name.ext" -out "$out/$name.pem" 2>/dev/null
}
issue silo scalesweep-silo serverAuth,clientAuth
issue client scalesweep-client clientAuth
chmod 644 "$out"/*.pem
echo "make-dev-certs: wrote $out/{ca,silo,client}.{pem,key} (valid $days days)"
