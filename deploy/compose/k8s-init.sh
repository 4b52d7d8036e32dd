#!/bin/sh
# docker-compose init step (runs in the k3s image, which has sh and kubectl): waits for the k3s API,
# installs the project CRDs, registers k3s as its own managed cluster (SveltosCluster + kubeconfig Secret,
# as Sveltos stores them), writes the managed cluster's projectsveltos/sveltos-nats Secret, applies the
# user's config directory, and leaves a kubeconfig for the services in $KUBE_DIR. Idempotent (apply).
# Also run by e2e/test/deploy-compose.test.ts against the kube emulator with the real kubectl.
set -eu

: "${K3S_KUBECONFIG:=/k3s-output/kubeconfig.yaml}" # written by the k3s server
: "${KUBE_DIR:=/kube}"                             # shared read-only with the services
: "${K3S_SERVER=https://k3s:6443}"                 # how containers reach k3s; empty keeps the file's server
: "${CRD_DIR:=/deploy/crds}"
: "${CONFIG_DIR:=/config}"
: "${CLUSTER_NAMESPACE:=default}"
: "${CLUSTER_NAME:=k3s}"
: "${CLUSTER_LABELS:=env=production}"              # comma-separated k=v, for EventTriggers' clusterSelector
: "${SVELTOS_NATS_URL:=nats://nats:4222}"
: "${SVELTOS_NATS_SUBJECTS:=user-login,user-logout,user-operation}"
: "${SVELTOS_NATS_USER:=sveltos}"
: "${SVELTOS_NATS_PASSWORD:?set SVELTOS_NATS_PASSWORD}"
: "${WAIT_SECONDS:=180}"

log() { echo "k8s-init: $*"; }

waited=0
until [ -s "$K3S_KUBECONFIG" ]; do
  [ "$waited" -ge "$WAIT_SECONDS" ] && { log "no kubeconfig at $K3S_KUBECONFIG after ${WAIT_SECONDS}s"; exit 1; }
  waited=$((waited + 1)); sleep 1
done

mkdir -p "$KUBE_DIR"
out="$KUBE_DIR/management.kubeconfig"
if [ -n "$K3S_SERVER" ]; then
  sed -E "s#^( *server: ).*#\1$K3S_SERVER#" "$K3S_KUBECONFIG" > "$out.tmp"
else
  cp "$K3S_KUBECONFIG" "$out.tmp"
fi
chmod 0644 "$out.tmp" # the services run as uid 1000; this is a local development stack
mv "$out.tmp" "$out"
export KUBECONFIG="$out"

until kubectl get --raw /readyz >/dev/null 2>&1; do
  [ "$waited" -ge "$WAIT_SECONDS" ] && { log "k3s API not ready after ${WAIT_SECONDS}s"; exit 1; }
  waited=$((waited + 1)); sleep 1
done

log "applying CRDs from $CRD_DIR"
kubectl apply -f "$CRD_DIR"
kubectl wait --for=condition=Established --timeout=60s -f "$CRD_DIR"

log "registering SveltosCluster $CLUSTER_NAMESPACE/$CLUSTER_NAME"
kubectl create secret generic "$CLUSTER_NAME-sveltos-kubeconfig" -n "$CLUSTER_NAMESPACE" \
  --from-file=kubeconfig="$out" --dry-run=client -o yaml | kubectl apply -f -
labels=""
for kv in $(echo "$CLUSTER_LABELS" | tr ',' ' '); do
  labels="$labels
    ${kv%%=*}: \"${kv#*=}\""
done
kubectl apply -f - <<YAML
apiVersion: lib.projectsveltos.io/v1beta1
kind: SveltosCluster
metadata:
  name: $CLUSTER_NAME
  namespace: $CLUSTER_NAMESPACE
  labels:$labels
spec: {}
YAML

log "writing projectsveltos/sveltos-nats (url $SVELTOS_NATS_URL)"
subjects=$(echo "$SVELTOS_NATS_SUBJECTS" | sed -E 's/ //g; s/([^,]+)/"\1"/g')
natsjson=$(mktemp)
cat > "$natsjson" <<JSON
{
  "nats": {
    "configuration": {
      "url": "$SVELTOS_NATS_URL",
      "subjects": [$subjects],
      "authorization": { "user": { "user": "$SVELTOS_NATS_USER", "password": "$SVELTOS_NATS_PASSWORD" } }
    }
  }
}
JSON
kubectl create namespace projectsveltos --dry-run=client -o yaml | kubectl apply -f -
kubectl create secret generic sveltos-nats -n projectsveltos \
  --from-file=sveltos-nats="$natsjson" --dry-run=client -o yaml | kubectl apply -f -
rm -f "$natsjson"

if ls "$CONFIG_DIR"/*.yaml >/dev/null 2>&1 || ls "$CONFIG_DIR"/*.yml >/dev/null 2>&1; then
  log "applying the config directory $CONFIG_DIR"
  kubectl apply -f "$CONFIG_DIR"
fi
log "done"
