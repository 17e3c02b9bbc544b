# Shared setup for the measurement scripts (scripts/peers/run.sh, scripts/rss/run.sh).
# Source it with `set -eu` on, after setting HERE to the calling script's folder:
#
#   HERE=$(cd "$(dirname "$0")" && pwd)
#   . "$HERE/../lib/setup.sh"
#
# It sets ROOT (the crate's folder), requires COMMENTGUARD_DATA and exports it, and defines:
#   pinned_venv VENV PIN...       a virtualenv at VENV (made on first use) with these pip pins
#   build_cli                     builds the release `commentguard` binary
#   private_copy DIR BINARY...    copies target/release/BINARY... into DIR (made if missing):
#                                 target/ is shared, and a rebuild by anyone else mid-run
#                                 would change what is measured
#   export_splits REUSE DEFAULT   sets SPLITS to REUSE when it is not empty, else to DEFAULT,
#                                 emptied and filled with our splits (the ignored test
#                                 export_for_baseline); then checks that *.train.csv are there
ROOT=$(cd "$HERE/../.." && pwd)
: "${COMMENTGUARD_DATA:?set COMMENTGUARD_DATA to the corpora folder (see datasets/README.md)}"
export COMMENTGUARD_DATA

pinned_venv() {
    _venv=$1
    shift
    if [ ! -x "$_venv/bin/python" ]; then
        python3 -m venv "$_venv"
    fi
    "$_venv/bin/pip" install -q "$@"
}

build_cli() {
    (cd "$ROOT" && cargo build --quiet --release --bin commentguard)
}

private_copy() {
    _dir=$1
    shift
    mkdir -p "$_dir"
    for _bin in "$@"; do
        cp "$ROOT/target/release/$_bin" "$_dir/"
    done
}

export_splits() {
    if [ -n "$1" ]; then
        SPLITS=$1
    else
        SPLITS=$2
        rm -rf "$SPLITS" && mkdir -p "$SPLITS"
        # The test also checks the number of files; the CSVs are what matters here.
        (cd "$ROOT" && COMMENTGUARD_EXPORT_DIR="$SPLITS" \
            cargo test --quiet --test datasets export_for_baseline -- --ignored --exact) ||
            echo "warning: export_for_baseline failed; using the CSVs it wrote" >&2
    fi
    ls "$SPLITS"/*.train.csv >/dev/null
}
