# Shared set-up for the run, test and benchmark commands: Odoo source, virtualenv, PostgreSQL.
# Sourced, not executed.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_PATH="${ODOO_PATH:-/opt/odoo18}"
VENV="${HERP_ZOOM_VENV:-$REPO_DIR/.venv}"
STATE_DIR="$REPO_DIR/.state"
PY="$VENV/bin/python"
PGHOST="${PGHOST:-}"
mkdir -p "$STATE_DIR"
export ODOO_PATH

say() { printf '\033[1m[herp_zoom]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[herp_zoom]\033[0m %s\n' "$*" >&2; exit 1; }

check_odoo() {
    if [ ! -x "$ODOO_PATH/odoo-bin" ] || [ ! -d "$ODOO_PATH/addons/calendar" ]; then
        die "No Odoo 18 source tree at ODOO_PATH=$ODOO_PATH (odoo-bin and addons/calendar are missing).
Set ODOO_PATH to the folder of your Odoo 18.0 checkout, e.g.  ODOO_PATH=/srv/odoo18 $0"
    fi
    local version
    version=$(sed -n "s/^version_info = (\([0-9]*\).*/\1/p" "$ODOO_PATH/odoo/release.py")
    [ "$version" = "18" ] || die "ODOO_PATH=$ODOO_PATH holds Odoo $version, herp_zoom needs Odoo 18.0."
}

# The virtualenv is rebuilt only when a requirements file changed since the last install.
ensure_venv() {
    local stamp="$VENV/.requirements.sha"
    local want
    want=$(cat "$REPO_DIR"/requirements/*.txt | sha256sum | cut -d' ' -f1)
    if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    say "Installing Python dependencies into $VENV (first run takes a few minutes)"
    [ -x "$PY" ] || python3 -m venv "$VENV" || die "python3 -m venv failed: install python3-venv (Python 3.11)."
    mkdir -p "$STATE_DIR"
    if ! "$VENV/bin/pip" install -q --disable-pip-version-check \
            -r "$REPO_DIR/requirements/odoo18-py311.txt" -r "$REPO_DIR/requirements/dev.txt" \
            >"$STATE_DIR/pip.log" 2>&1; then
        grep -v "is ignored: it is neither" "$STATE_DIR/pip.log" | tail -20 >&2
        die "pip install failed (full log: $STATE_DIR/pip.log)"
    fi
    echo "$want" >"$stamp"
}

# PostgreSQL must answer; start the local cluster when it is installed but down.
ensure_postgres() {
    if pg_isready -q 2>/dev/null; then
        return
    fi
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        local version
        version=$(ls /etc/postgresql | sort -n | tail -1)
        say "Starting the local PostgreSQL $version cluster"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        for _ in $(seq 1 30); do
            pg_isready -q 2>/dev/null && return
            sleep 1
        done
    fi
    die "PostgreSQL is not answering and no local cluster could be started.
Start your PostgreSQL server, or point PGHOST/PGPORT/PGUSER at one."
}

# Odoo configuration file for a database; addons path = Odoo's addons + this repository.
# A fourth argument adds a folder of addons (the test-only ones).
write_odoo_conf() {
    local conf="$1" db="$2" port="${3:-8069}" extra_addons="${4:+,$4}"
    mkdir -p "$(dirname "$conf")" "$STATE_DIR/data"
    cat >"$conf" <<CONF
[options]
addons_path = $ODOO_PATH/odoo/addons,$ODOO_PATH/addons,$REPO_DIR$extra_addons
data_dir = $STATE_DIR/data
db_name = $db
dbfilter = ^$db\$
http_port = $port
http_interface = 127.0.0.1
list_db = False
without_demo = False
log_level = warn
CONF
    [ -n "$PGHOST" ] && echo "db_host = $PGHOST" >>"$conf"
    [ -n "${PGPORT:-}" ] && echo "db_port = $PGPORT" >>"$conf"
    [ -n "${PGUSER:-}" ] && echo "db_user = $PGUSER" >>"$conf"
    return 0
}

odoo_bin() {
    PYTHONPATH="$ODOO_PATH${PYTHONPATH:+:$PYTHONPATH}" "$PY" "$ODOO_PATH/odoo-bin" "$@"
}

drop_db() {
    dropdb --if-exists "$1" >/dev/null 2>&1 || true
    rm -rf "$STATE_DIR/data/filestore/$1"
}

# Odoo's browser tests (tours) run in Debian's Chromium.
ensure_chromium() {
    if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
        return
    fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing Chromium for the browser tests"
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
            >"$STATE_DIR/apt.log" 2>&1 || die "apt-get install chromium failed (log: $STATE_DIR/apt.log)"
        return
    fi
    die "Chromium is needed for the browser tests: install the 'chromium' package."
}
