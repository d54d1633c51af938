#!/usr/bin/env bash
# Start or stop the real SPARQL engines the test suite compares against: the Oxigraph server (PyPI `oxigraph`)
# and Virtuoso (Debian `virtuoso-opensource`). Installs nothing; binds 127.0.0.1 only; data lives in DIR.
#
#   scripts/test-engines.sh start DIR   # start both, wait until they answer, write DIR/engines.env
#   scripts/test-engines.sh stop DIR    # stop both (whatever state they are in) and remove DIR
#   . DIR/engines.env                   # exports MCGRAPH_TEST_OXIGRAPH_URL, MCGRAPH_TEST_VIRTUOSO_URL, ...
#
# An engine whose program is missing is reported and left out (its tests then skip with that reason); set
# MCGRAPH_ENGINES_REQUIRED=1 to make a missing engine an error (CI does). Programs: $OXIGRAPH (default: the
# repository's .venv/bin/oxigraph, else `oxigraph` on PATH), $VIRTUOSO (default `virtuoso-t`), $ISQL (`isql-vt`).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
action="${1:-}"
dir="${2:-}"
if [ -z "$action" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi
PY="${PYTHON:-python3}"

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL SECONDS: until URL answers an HTTP request (any status below 500), or fail.
wait_http() {
  "$PY" - "$1" "$2" <<'EOF'
import sys, time, urllib.error, urllib.request
url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(url, timeout=2).close()
        sys.exit(0)
    except urllib.error.HTTPError as exc:
        if exc.code < 500:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.3)
sys.exit(f"no answer from {url} within {sys.argv[2]} s")
EOF
}

missing() {
  if [ "${MCGRAPH_ENGINES_REQUIRED:-0}" = "1" ]; then
    echo "test-engines: $1 not found ($2)" >&2
    exit 1
  fi
  echo "test-engines: $1 not found ($2); its tests will skip" >&2
}

start_oxigraph() {
  local bin="${OXIGRAPH:-}"
  if [ -z "$bin" ]; then
    if [ -x "$here/.venv/bin/oxigraph" ]; then bin="$here/.venv/bin/oxigraph"; else bin="$(command -v oxigraph || true)"; fi
  fi
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    missing "oxigraph" "pip install oxigraph"
    return
  fi
  local port; port="$(free_port)"
  mkdir -p "$dir/oxigraph"
  # The union default graph matches the embedded store (patterns outside GRAPH see every named graph).
  "$bin" serve --location "$dir/oxigraph/data" --bind "127.0.0.1:$port" --union-default-graph \
    > "$dir/oxigraph/server.log" 2>&1 &
  echo $! > "$dir/oxigraph/pid"
  wait_http "http://127.0.0.1:$port/query?query=ASK%7B%7D" 180
  {
    echo "export MCGRAPH_TEST_OXIGRAPH_URL=http://127.0.0.1:$port/query"
    echo "export MCGRAPH_TEST_OXIGRAPH_UPDATE_URL=http://127.0.0.1:$port/update"
  } >> "$dir/engines.env"
  echo "test-engines: Oxigraph $("$bin" --version | awk '{print $2}') at http://127.0.0.1:$port/query"
}

start_virtuoso() {
  local bin="${VIRTUOSO:-virtuoso-t}" isql="${ISQL:-isql-vt}"
  if ! command -v "$bin" > /dev/null || ! command -v "$isql" > /dev/null; then
    missing "virtuoso-t/isql-vt" "apt-get install virtuoso-opensource"
    return
  fi
  local sql_port http_port vdir password
  sql_port="$(free_port)"
  http_port="$(free_port)"
  vdir="$dir/virtuoso"
  mkdir -p "$vdir"
  password="$("$PY" -c 'import secrets; print(secrets.token_hex(12))')"
  # A throw-away database: loopback-only ports, files under $vdir, memory sized for a full ESCO load.
  cat > "$vdir/virtuoso.ini" <<EOF
[Database]
DatabaseFile       = $vdir/virtuoso.db
ErrorLogFile       = $vdir/virtuoso.log
LockFile           = $vdir/virtuoso.lck
TransactionFile    = $vdir/virtuoso.trx
xa_persistent_file = $vdir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $vdir/virtuoso-temp.db
TransactionFile    = $vdir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:$sql_port
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., $vdir
NumberOfBuffers      = 170000
MaxDirtyBuffers      = 130000
ThreadsPerQuery      = 2
MaxQueryMem          = 1G

[HTTPServer]
ServerPort           = 127.0.0.1:$http_port
ServerRoot           = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 16
ServerThreads        = 16
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 300
MaxQueryCostEstimationTime = 400
EOF
  (cd "$vdir" && exec "$bin" +configfile "$vdir/virtuoso.ini" +foreground > "$vdir/server.log" 2>&1) &
  echo $! > "$vdir/pid"
  wait_http "http://127.0.0.1:$http_port/sparql?query=ASK%7B%7D" 300
  # The anonymous /sparql endpoint stays read-only. A test user may update, through endpoints that ask for
  # HTTP basic authentication: /sparql-basic (queries, SPARQL Update) and /sparql-graph-crud-basic (Graph Store
  # Protocol). The dba password is changed so the well-known default does not open the database.
  cat > "$vdir/setup.sql" <<EOF
DB.DBA.USER_CREATE ('mcgraph', '$password');
GRANT SPARQL_SELECT TO "mcgraph";
GRANT SPARQL_UPDATE TO "mcgraph";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('mcgraph', 7);
DB.DBA.VHOST_DEFINE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-basic', ppath=>'/!sparql/', is_dav=>1, vsp_user=>'dba', auth_fn=>'DB.DBA.HP_AUTH_SQL_USER', realm=>'mcgraph', opts=>vector('noinherit', 1));
DB.DBA.VHOST_DEFINE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-graph-crud-basic', ppath=>'/!sparql-graph-crud/', is_dav=>1, vsp_user=>'dba', auth_fn=>'DB.DBA.HP_AUTH_SQL_USER', realm=>'mcgraph', opts=>vector('noinherit', 1));
SET PASSWORD dba $password;
EOF
  "$isql" "127.0.0.1:$sql_port" dba dba "$vdir/setup.sql" > "$vdir/setup.log" 2>&1 \
    || { cat "$vdir/setup.log" >&2; echo "test-engines: Virtuoso setup failed" >&2; exit 1; }
  {
    echo "export MCGRAPH_TEST_VIRTUOSO_URL=http://127.0.0.1:$http_port/sparql-basic"
    echo "export MCGRAPH_TEST_VIRTUOSO_GRAPH_STORE_URL=http://127.0.0.1:$http_port/sparql-graph-crud-basic"
    echo "export MCGRAPH_TEST_VIRTUOSO_READ_URL=http://127.0.0.1:$http_port/sparql"
    echo "export MCGRAPH_TEST_VIRTUOSO_USER=mcgraph"
    echo "export MCGRAPH_TEST_VIRTUOSO_PASSWORD=$password"
  } >> "$dir/engines.env"
  echo "test-engines: Virtuoso $("$bin" -? 2>&1 | grep -o 'Version [0-9.]*' | head -n 1) at http://127.0.0.1:$http_port/sparql"
}

stop_one() {
  local pidfile="$1"
  [ -f "$pidfile" ] || return 0
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2> /dev/null; then
    kill "$pid" 2> /dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2> /dev/null || true
  fi
  rm -f "$pidfile"
}

case "$action" in
  start)
    mkdir -p "$dir"
    : > "$dir/engines.env"
    chmod 600 "$dir/engines.env"
    start_oxigraph
    start_virtuoso
    ;;
  stop)
    stop_one "$dir/oxigraph/pid"
    stop_one "$dir/virtuoso/pid"
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
