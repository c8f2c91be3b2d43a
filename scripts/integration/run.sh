#!/usr/bin/env bash
# make integration: install (once) and start Label Studio and doccano on 127.0.0.1, run the
# gold round trips through their HTTP APIs (scripts/integration/roundtrip.py), stop them.
# Usage: bash scripts/integration/run.sh [PYTHON-with-jixiao]   Log: .integration/integration.log
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$ROOT/.integration"
PY="${1:-python3}"
LS_PORT="${LS_PORT:-8089}"
DOCCANO_PORT="${DOCCANO_PORT:-8090}"
mkdir -p "$DIR"
LOG="$DIR/integration.log"
exec > >(tee "$LOG") 2>&1
echo "== jixiao integration, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"

bash "$ROOT/scripts/integration/install.sh" || { echo "install failed"; exit 1; }

PIDS=()
stop() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    sleep 2
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done
    echo "== servers stopped"
}
trap stop EXIT

TOKEN_A="jixiao-integration-a-$(date +%s)"
TOKEN_B="jixiao-integration-b-$(date +%s)"
PASSWORD="jixiao-$(date +%s)"

# ---------------------------------------------------------------- Label Studio (fresh data)
LS_DATA="$DIR/labelstudio-data"
rm -rf "$LS_DATA" && mkdir -p "$LS_DATA"
export LABEL_STUDIO_BASE_DATA_DIR="$LS_DATA"
"$DIR/labelstudio/bin/label-studio" start --no-browser --internal-host 127.0.0.1 -p "$LS_PORT" \
    --data-dir "$LS_DATA" --username a@jixiao.test --password "$PASSWORD" --user-token "$TOKEN_A" \
    --enable-legacy-api-token > "$DIR/labelstudio.log" 2>&1 &
PIDS+=($!)
echo "== label-studio $(head -1 "$DIR/labelstudio/.installed") starting on 127.0.0.1:$LS_PORT (pid $!)"
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$LS_PORT/health" >/dev/null && break; sleep 1; done
# a second annotator in the same organization, with its own token
"$DIR/labelstudio/bin/label-studio" shell > "$DIR/labelstudio-user.log" 2>&1 <<EOF
from users.models import User
from organizations.models import Organization
from rest_framework.authtoken.models import Token
org = Organization.objects.first()
u = User.objects.create_user(email="b@jixiao.test", password="$PASSWORD", username="b@jixiao.test")
u.active_organization = org
u.save()
org.add_user(u)
Token.objects.filter(user=u).delete()
Token.objects.create(user=u, key="$TOKEN_B")
print("second user", u.id)
EOF
grep -q "second user" "$DIR/labelstudio-user.log" && echo "== second Label Studio user created" \
    || { echo "== no second Label Studio user:"; tail -5 "$DIR/labelstudio-user.log"; TOKEN_B=""; }

# ---------------------------------------------------------------- doccano (fresh data)
export DOCCANO_HOME="$DIR/doccano-data"
rm -rf "$DOCCANO_HOME" && mkdir -p "$DOCCANO_HOME"
export DATABASE_URL="sqlite:///$DOCCANO_HOME/db.sqlite3" MEDIA_ROOT="$DOCCANO_HOME/media"
"$DIR/doccano/bin/doccano" init > "$DIR/doccano.log" 2>&1
"$DIR/doccano/bin/doccano" createuser --username admin --password "$PASSWORD" >> "$DIR/doccano.log" 2>&1
BACKEND="$("$DIR/doccano/bin/python" -c 'import backend, os; print(os.path.dirname(backend.__file__))')"
# `doccano webserver` binds 0.0.0.0; its gunicorn is started here on the loopback address instead
( cd "$BACKEND" && DJANGO_SETTINGS_MODULE=config.settings.production STANDALONE=True PYTHONPATH="$BACKEND" \
    exec "$DIR/doccano/bin/gunicorn" --bind "127.0.0.1:$DOCCANO_PORT" --workers 1 config.wsgi ) >> "$DIR/doccano.log" 2>&1 &
PIDS+=($!)
"$DIR/doccano/bin/doccano" task --concurrency 1 >> "$DIR/doccano-task.log" 2>&1 &
PIDS+=($!)
echo "== doccano $(head -1 "$DIR/doccano/.installed") starting on 127.0.0.1:$DOCCANO_PORT, task queue pid $!"

# ---------------------------------------------------------------- round trips
"$PY" "$ROOT/scripts/integration/roundtrip.py" \
    --label-studio "http://127.0.0.1:$LS_PORT" --ls-token "$TOKEN_A" ${TOKEN_B:+--ls-token-b "$TOKEN_B"} \
    --doccano "http://127.0.0.1:$DOCCANO_PORT" --doccano-user admin --doccano-password "$PASSWORD"
STATUS=$?
echo "== round trips exit status $STATUS"
exit $STATUS
