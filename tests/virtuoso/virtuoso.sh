#!/usr/bin/env bash
# A throwaway Virtuoso 7 (Debian package virtuoso-opensource) on loopback ports, for newskg's
# tests and CI; also the recipe of the README's "Loading into Virtuoso". Adapted from
# ../shared/recipes/virtuoso-ci.sh (config moved to virtuoso.ini.in, smaller buffers, the
# default 10,000-row result cap kept, readiness checked on both HTTP and SQL).
#
# usage: virtuoso.sh install|start|stop|kill|status
#   install  apt-get install virtuoso-opensource (and curl) when virtuoso-t is missing (root)
#   start    render virtuoso.ini, start virtuoso-t, wait until HTTP answers and SQL is online;
#            on a fresh database set the dba password; with VIRT_ANON_UPDATE=1 grant SPARQL
#            Update to the anonymous "SPARQL" user (loopback CI only!)
#   stop     checkpointed shutdown (falls back to SIGTERM, then SIGKILL)
#   kill     SIGKILL, no checkpoint (the next start rolls the transaction log forward)
# env: VIRT_DIR (default /tmp/newskg-virtuoso), VIRT_HTTP_PORT (8890), VIRT_SQL_PORT (1111),
#      VIRT_DBA_PASSWORD (default dba; set at the first start when not "dba"),
#      VIRT_ANON_UPDATE (0), VIRT_BUFFERS (20000), VIRT_START_TIMEOUT (60 seconds)
#
# Endpoints then: http://127.0.0.1:$VIRT_HTTP_PORT/sparql (anonymous; update only after the
# grant), /sparql-auth (Digest, dba), Graph Store /sparql-graph-crud and
# /sparql-graph-crud-auth (Digest), ?graph= or ?graph-uri=.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VIRT_DIR=${VIRT_DIR:-/tmp/newskg-virtuoso}
HTTP_PORT=${VIRT_HTTP_PORT:-8890}
SQL_PORT=${VIRT_SQL_PORT:-1111}
DBA_PW=${VIRT_DBA_PASSWORD:-dba}
BUFFERS=${VIRT_BUFFERS:-20000}
START_TIMEOUT=${VIRT_START_TIMEOUT:-60}
PIDFILE="$VIRT_DIR/virtuoso.pid"
# The password goes into an SQL statement: allow only characters that need no quoting there.
if ! [[ "$DBA_PW" =~ ^[A-Za-z0-9_.-]+$ ]]; then
  echo "VIRT_DBA_PASSWORD: use letters, digits, '_', '.', '-' only" >&2; exit 2
fi
LOG="$VIRT_DIR/db/virtuoso.log"

# isql takes the password as an argument (visible in ps): acceptable for a throwaway loopback
# instance only. A failed isql login locks the client IP out for 60 s, so readiness is never
# probed with isql: only HTTP and the server log.
# isql-vt exits 0 even when a statement fails: look for its "*** Error" line, and show only
# that line (the lines after it echo the statement, which may hold the password).
isql() {
  local out
  out=$(isql-vt "127.0.0.1:$SQL_PORT" dba "$1" "exec=$2" 2>&1) || true
  if ! grep -q '^Connected to' <<<"$out" || grep -q '^\*\*\* Error' <<<"$out"; then
    echo "isql failed: $(grep -m1 '^\*\*\* Error' <<<"$out" || echo 'no connection')" >&2
    return 1
  fi
}

# A killed server can linger as a zombie when nothing reaps it (PID 1 in some containers):
# kill -0 would still succeed, so a zombie counts as stopped.
running() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid=$(cat "$PIDFILE")
  kill -0 "$pid" 2>/dev/null && ! grep -q '^[0-9]* (.*) Z' "/proc/$pid/stat" 2>/dev/null
}

online_count() { local n; n=$(grep -c 'Server online at' "$1" 2>/dev/null) || true; echo "${n:-0}"; }

case "${1:-}" in
install)
  if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null && command -v curl >/dev/null; then
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends virtuoso-opensource curl
  # Containers block the package's own service start (policy-rc.d); if it did start the system
  # instance (0.0.0.0:1111/8890, dba/dba), stop it: ours must own its ports.
  if [ -x /etc/init.d/virtuoso-opensource-7 ]; then
    /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true
  fi
  ;;
start)
  if running; then echo "virtuoso already running: pid $(cat "$PIDFILE")"; exit 0; fi
  mkdir -p "$VIRT_DIR/db" "$VIRT_DIR/load" "$VIRT_DIR/vad"
  sed -e "s|@VIRT_DIR@|$VIRT_DIR|g" -e "s|@SQL_PORT@|$SQL_PORT|g" -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
      -e "s|@BUFFERS@|$BUFFERS|g" -e "s|@DIRTY_BUFFERS@|$((BUFFERS * 3 / 4))|g" \
      "$HERE/virtuoso.ini.in" > "$VIRT_DIR/virtuoso.ini"
  fresh=0; [ -f "$VIRT_DIR/db/virtuoso.db" ] || fresh=1
  : > "$LOG.start"; [ -f "$LOG" ] && cp "$LOG" "$LOG.start"   # to find *this* start's "online"
  nohup virtuoso-t +foreground +configfile "$VIRT_DIR/virtuoso.ini" > "$VIRT_DIR/stdout.log" 2>&1 &
  echo $! > "$PIDFILE"
  deadline=$((SECONDS + START_TIMEOUT))
  before=$(online_count "$LOG.start")
  until curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D" \
        && [ "$(online_count "$LOG")" -gt "$before" ]; do
    if ! running; then
      echo "virtuoso died at start:" >&2; tail -20 "$LOG" "$VIRT_DIR/stdout.log" >&2 || true; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "virtuoso did not come up in ${START_TIMEOUT}s:" >&2; tail -20 "$LOG" >&2 || true; exit 1
    fi
    sleep 0.1
  done
  if [ $fresh = 1 ] && [ "$DBA_PW" != "dba" ]; then
    # The checkpoint matters: a SET PASSWORD only in the transaction log is lost on
    # roll-forward (SR005 at the next start).
    isql dba "SET PASSWORD \"dba\" \"$DBA_PW\"; checkpoint;"
  fi
  if [ "${VIRT_ANON_UPDATE:-0}" = 1 ]; then
    # U0013 "already have role": granted at an earlier start (the grant is checkpointed).
    err=$(isql "$DBA_PW" 'GRANT SPARQL_UPDATE TO "SPARQL"; checkpoint;' 2>&1) \
      || grep -q U0013 <<<"$err" || { echo "$err" >&2; exit 1; }
  fi
  echo "virtuoso up: pid $(cat "$PIDFILE"), http://127.0.0.1:$HTTP_PORT/sparql"
  ;;
stop)
  running || { rm -f "$PIDFILE"; exit 0; }
  pid=$(cat "$PIDFILE")
  # Checkpointed shutdown first; SIGTERM alone is a "quick shutdown" (roll-forward next start).
  timeout 30 isql-vt "127.0.0.1:$SQL_PORT" dba "$DBA_PW" -K >/dev/null 2>&1 \
    || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do running || break; sleep 0.1; done
  running && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDFILE"
  ;;
kill)
  running && kill -KILL "$(cat "$PIDFILE")" 2>/dev/null || true
  for _ in $(seq 1 50); do running || break; sleep 0.1; done
  rm -f "$PIDFILE"
  ;;
status)
  if running; then echo running; else echo stopped; exit 1; fi
  ;;
*) echo "usage: $0 install|start|stop|kill|status" >&2; exit 2;;
esac
