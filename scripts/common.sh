# Shared set-up for the run, test and benchmark commands: Odoo source, virtualenv, PostgreSQL.
# Sourced, not executed.
set -euo pipefail

# --help (or -h) as the first argument of any command: its own header comment, and nothing run.
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
    sed -n '2,/^[^#]/{/^#/{s/^# \{0,1\}//;p}}' "$0"
    exit 0
fi

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The Odoo series to run on: ODOO_SERIES=18.0 or 19.0 (default: the newest, 19.0; scripts/test
# without ODOO_SERIES runs both, one after the other).
SUPPORTED_SERIES="18.0 19.0"
NEWEST_SERIES=19.0
ODOO_SERIES="${ODOO_SERIES:-$NEWEST_SERIES}"
case " $SUPPORTED_SERIES " in
    *" $ODOO_SERIES "*) ;;
    *) printf '\033[1;31m[herp_zoom]\033[0m ODOO_SERIES=%s is not a supported series (%s).\n' \
        "$ODOO_SERIES" "$SUPPORTED_SERIES" >&2; exit 1 ;;
esac
SERIES_MAJOR="${ODOO_SERIES%%.*}"
SERIES_KEY="${ODOO_SERIES/./_}"
# Odoo source tree of that series: ODOO_PATH when set; otherwise /opt/odoo18 or /opt/odoo19
# (ODOO_DEFAULT_PATH) when it holds Odoo; otherwise a shallow clone of Odoo's branch of that
# series in .odoo/<series>, made on first use from ODOO_GIT_URL (Odoo's public repository, or a
# mirror or local copy of it).
ODOO_BRANCH="$ODOO_SERIES"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
ODOO_CLONE_DIR="$REPO_DIR/.odoo/$ODOO_BRANCH"
if [ -z "${ODOO_PATH:-}" ]; then
    if [ -x "${ODOO_DEFAULT_PATH:-/opt/odoo$SERIES_MAJOR}/odoo-bin" ]; then
        ODOO_PATH="${ODOO_DEFAULT_PATH:-/opt/odoo$SERIES_MAJOR}"
    else
        ODOO_PATH="$ODOO_CLONE_DIR"
    fi
fi
# Virtualenv of that series: HERP_ZOOM_VENV_18_0 / HERP_ZOOM_VENV_19_0, else HERP_ZOOM_VENV, else
# .venv (18.0) or .venv-19.0 (19.0) in the repository.
VENV_OF_SERIES="HERP_ZOOM_VENV_$SERIES_KEY"
if [ "$ODOO_SERIES" = "18.0" ]; then DEFAULT_VENV="$REPO_DIR/.venv"; else DEFAULT_VENV="$REPO_DIR/.venv-$ODOO_SERIES"; fi
VENV="${!VENV_OF_SERIES:-${HERP_ZOOM_VENV:-$DEFAULT_VENV}}"
# Odoo's Python dependencies pinned for that series, then the project's own and the tools'.
REQUIREMENTS=(dev.txt "odoo$SERIES_MAJOR-py311.txt" project.txt)
# Version-specific data: the addons of series/<series> (see series/README.md).
SERIES_ADDONS="$REPO_DIR/series/$ODOO_SERIES"
STATE_DIR="$REPO_DIR/.state"
PY="$VENV/bin/python"
PGHOST="${PGHOST:-}"
mkdir -p "$STATE_DIR"
export ODOO_PATH ODOO_SERIES

say() { printf '\033[1m[herp_zoom]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[herp_zoom]\033[0m %s\n' "$*" >&2; exit 1; }

# Long steps say what they do and how long they should take (the last run's time on this
# machine, or a first-run guess), then report every 30 s while running: elapsed time, what
# remains and, when the step can count its work, how far it is. One line per report, so
# that CI logs stay readable; on a terminal the report line is rewritten in place.
PROGRESS_EVERY="${HERP_ZOOM_PROGRESS_EVERY:-30}"
human_duration() {
    local seconds="$1"
    if [ "$seconds" -ge 60 ]; then printf '%dm%02ds' $((seconds / 60)) $((seconds % 60)); else printf '%ds' "$seconds"; fi
}
# with_progress KEY "what it does" FIRST_RUN_SECONDS COUNTER_FUNCTION|- COMMAND...
with_progress() {
    local key="$1" label="$2" expected="$3" counter="$4" record pid status started=$SECONDS waited=0
    shift 4
    record="$STATE_DIR/durations/$key"
    mkdir -p "$STATE_DIR/durations"
    [ -s "$record" ] && expected=$(cat "$record")
    say "$label (about $(human_duration "$expected"))"
    "$@" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        waited=$((waited + 1))
        [ "$waited" -lt "$PROGRESS_EVERY" ] && continue
        waited=0
        local elapsed=$((SECONDS - started)) left done_part=""
        left=$((expected > elapsed ? expected - elapsed : 0))
        [ "$counter" != "-" ] && done_part=", $($counter)"
        local line="    ... $(human_duration "$elapsed") elapsed$done_part, about $(human_duration "$left") left"
        [ "$left" -eq 0 ] && line="    ... $(human_duration "$elapsed") elapsed$done_part, longer than the last run"
        if [ -t 2 ]; then printf '\r\033[K%s' "$line" >&2; else printf '%s\n' "$line" >&2; fi
    done
    wait "$pid"
    status=$?
    [ -t 2 ] && printf '\r\033[K' >&2
    if [ "$status" -eq 0 ]; then
        echo $((SECONDS - started)) >"$record"
        say "    done in $(human_duration $((SECONDS - started)))"
    fi
    return "$status"
}

git_clone_odoo() {
    GIT_TERMINAL_PROMPT=0 git -c http.lowSpeedLimit=1000 -c http.lowSpeedTime=60 clone --quiet \
        --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$1" >"$2" 2>&1
}

clone_progress() {
    echo "$(du -sm "$ODOO_CLONE_DIR.partial" 2>/dev/null | cut -f1) MB of about 1100 MB on disk"
}

# "19.0" for a tree whose odoo/release.py says version_info = (19, 0, ...).
odoo_series() {
    sed -n "s/^version_info = (\([0-9]*\), *\([0-9]*\).*/\1.\2/p" "$1/odoo/release.py" 2>/dev/null
}

# Shallow clone of ODOO_GIT_URL's branch of the series into .odoo/<series> (git-ignored). It is made
# in a temporary folder and moved into place only once it is known to be Odoo of that series, so an
# interrupted or refused clone never passes for an Odoo tree on the next run.
clone_odoo() {
    local target="$ODOO_CLONE_DIR" partial="$ODOO_CLONE_DIR.partial" log="$STATE_DIR/odoo-clone.log"
    local hint="Set ODOO_GIT_URL to a reachable mirror or local copy of Odoo's repository, or ODOO_PATH to an Odoo $ODOO_SERIES source tree."
    command -v git >/dev/null 2>&1 || die "git is needed to get Odoo $ODOO_SERIES: install git. $hint"
    mkdir -p "$(dirname "$target")" || die "Cannot create $(dirname "$target") for Odoo $ODOO_SERIES. $hint"
    local free_mb
    free_mb=$(df -Pm "$(dirname "$target")" | awk 'NR == 2 {print $4}')
    if [ -n "$free_mb" ] && [ "$free_mb" -lt 1500 ]; then
        die "Getting Odoo $ODOO_SERIES needs about 1.5 GB of free disk space in $(dirname "$target"); only $free_mb MB are free. Free some space, or set ODOO_PATH to an Odoo $ODOO_SERIES source tree."
    fi
    rm -rf "$partial"
    mkdir -p "$STATE_DIR"
    if ! with_progress odoo-clone "Getting Odoo $ODOO_BRANCH into $target: git clone --depth 1 --branch $ODOO_BRANCH $ODOO_GIT_URL (first run only; about 1 GB)" \
            600 clone_progress git_clone_odoo "$partial" "$log"; then
        rm -rf "$partial"
        local reason="git clone failed"
        if grep -qi "no space left on device" "$log"; then
            reason="the disk is full"
        elif grep -qiE "Remote branch .* not found" "$log"; then
            reason="that repository has no branch $ODOO_BRANCH"
        else
            reason="that repository cannot be reached"
        fi
        die "Could not get Odoo $ODOO_BRANCH from $ODOO_GIT_URL: $reason. git said:
$(grep -v "^warning: --depth is ignored" "$log" | tail -3)
$hint"
    fi
    local series
    series=$(odoo_series "$partial")
    local refusal=""
    if [ "$series" != "$ODOO_SERIES" ]; then
        refusal="holds Odoo ${series:-of no known version} (odoo/release.py), not $ODOO_SERIES"
    elif [ ! -f "$partial/odoo-bin" ]; then
        refusal="has no odoo-bin"
    fi
    if [ -n "$refusal" ]; then
        rm -rf "$partial"
        die "The branch $ODOO_BRANCH of $ODOO_GIT_URL $refusal; it was not kept. $hint"
    fi
    mv "$partial" "$target"
}

check_odoo() {
    if [ "$ODOO_PATH" = "$ODOO_CLONE_DIR" ] && [ ! -e "$ODOO_CLONE_DIR/odoo-bin" ]; then
        clone_odoo
    fi
    if [ ! -x "$ODOO_PATH/odoo-bin" ] || [ ! -d "$ODOO_PATH/addons/calendar" ]; then
        die "No Odoo $SERIES_MAJOR source tree at ODOO_PATH=$ODOO_PATH (odoo-bin and addons/calendar are missing).
Set ODOO_PATH to the folder of your Odoo $ODOO_SERIES checkout, e.g.  ODOO_SERIES=$ODOO_SERIES ODOO_PATH=/srv/odoo$SERIES_MAJOR $0"
    fi
    local series
    series=$(odoo_series "$ODOO_PATH")
    [ "$series" = "$ODOO_SERIES" ] || die "ODOO_PATH=$ODOO_PATH holds Odoo ${series:-of no known version}, not the series asked for (ODOO_SERIES=$ODOO_SERIES)."
}

# The virtualenv is rebuilt only when a requirements file changed since the last install.
ensure_venv() {
    local stamp="$VENV/.requirements.sha"
    local want
    want=$(cd "$REPO_DIR/requirements" && cat "${REQUIREMENTS[@]}" | sha256sum | cut -d' ' -f1)
    if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    [ -x "$PY" ] || python3 -m venv "$VENV" || die "python3 -m venv failed: install python3-venv (Python 3.11)."
    mkdir -p "$STATE_DIR"
    if ! with_progress venv "Installing Python dependencies into $VENV (about 290 MB on the first run)" 300 \
            pip_progress pip_install_requirements; then
        # A package without a wheel for this machine is built from source: when the log shows
        # which system headers or tools were missing, install them and try once more.
        local packages
        packages=$(build_packages_missing "$STATE_DIR/pip.log")
        if [ -z "$packages" ] || ! { install_system_packages \
                "Building Odoo's Python dependencies from source" $packages \
                && with_progress venv "Installing Python dependencies again" 300 pip_progress pip_install_requirements; }; then
            grep -v "is ignored: it is neither" "$STATE_DIR/pip.log" | tail -20 >&2
            die "pip install failed (full log: $STATE_DIR/pip.log)"
        fi
    fi
    echo "$want" >"$stamp"
}

pip_install_requirements() {
    "$VENV/bin/pip" install --progress-bar off --disable-pip-version-check \
        -r "$REPO_DIR/requirements/odoo$SERIES_MAJOR-py311.txt" -r "$REPO_DIR/requirements/dev.txt" \
        >"$STATE_DIR/pip.log" 2>&1
}

# How far pip is: the packages it looked at, out of the requirements listed (their own
# dependencies come on top, so the count may pass the total).
pip_progress() {
    local seen total
    seen=$(grep -cE '^(Collecting|Requirement already satisfied)' "$STATE_DIR/pip.log" 2>/dev/null)
    total=$(cat "$REPO_DIR/requirements/odoo$SERIES_MAJOR-py311.txt" "$REPO_DIR/requirements/dev.txt" | grep -cE '^[A-Za-z0-9]')
    echo "${seen:-0} packages looked at (${total} listed, with their dependencies on top)"
}

# The Debian/Ubuntu packages a failed source build in a pip log was missing.
build_packages_missing() {
    local log="$1" packages=""
    grep -qE "pg_config executable not found|libpq-fe\.h" "$log" && packages="$packages libpq-dev"
    grep -qE "(lber|ldap)\.h: No such file" "$log" && packages="$packages libldap2-dev"
    grep -qE "sasl\.h: No such file" "$log" && packages="$packages libsasl2-dev"
    grep -qE "Python\.h: No such file" "$log" && packages="$packages python3-dev"
    grep -qE "command '(x86_64-linux-gnu-)?gcc' failed|'?gcc'?: (command )?not found|No such file or directory: '(x86_64-linux-gnu-)?gcc'" "$log" \
        && packages="$packages build-essential"
    echo $packages
}

# Installs Debian packages with apt-get when running as root, or says which ones to install.
install_system_packages() {
    local purpose="$1"
    shift
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        say "$purpose needs $*: installing them with apt-get"
        with_progress "apt-$1" "apt-get install $*" 120 - apt_install "$@" \
            || die "apt-get install $* failed (log: $STATE_DIR/apt.log)"
        return
    fi
    die "$purpose needs the system package(s) $*: install them (e.g. sudo apt-get install $*) and run this command again."
}

apt_install() {
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; } >"$STATE_DIR/apt.log" 2>&1
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
addons_path = $ODOO_PATH/odoo/addons,$ODOO_PATH/addons,$REPO_DIR,$SERIES_ADDONS$extra_addons
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

# A TCP port of the loopback nobody listens on now (the kernel's choice).
free_port() {
    "$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
}

# Starts the Zoom sandbox on a port of its own choosing and waits until it answers: sets
# SANDBOX_PID and SANDBOX_URL. LOG receives its output (the first line names its address).
start_sandbox() {
    local log="$1" waited=0
    export ZOOM_OPENAPI_DIR="${ZOOM_OPENAPI_DIR:-$REPO_DIR/../shared/zoom-openapi}"
    (cd "$REPO_DIR" && exec "$PY" -m zoom_sandbox --host 127.0.0.1 --port "${ZOOM_SANDBOX_PORT:-0}") >"$log" 2>&1 &
    SANDBOX_PID=$!
    SANDBOX_URL=""
    while [ "$waited" -lt 300 ]; do
        kill -0 "$SANDBOX_PID" 2>/dev/null || die "The Zoom sandbox did not start (log: $log)"
        [ -z "$SANDBOX_URL" ] && SANDBOX_URL=$(sed -n 's/^Zoom sandbox on \(http:[^ ]*\) .*/\1/p' "$log" | head -1)
        if [ -n "$SANDBOX_URL" ] && "$PY" -c "import urllib.request; urllib.request.urlopen('$SANDBOX_URL/_sandbox/state', timeout=1)" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    die "The Zoom sandbox did not answer within 30 s (log: $log)"
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
    install_system_packages "Running the browser tests" chromium
}
