#!/usr/bin/env bash
# Proves the workspace can be released (RELEASING.md): called by scripts/test.sh, runnable alone.
#
#   names     every publishable package's name is free on crates.io, or already ours (its
#             `repository` is this repository's); a registry that cannot be reached only warns
#   package   `cargo package` of every publishable crate (all together: cargo packages the
#             local dependencies first and resolves them from a local overlay of the registry)
#   docs.rs   the docs as docs.rs builds them: all features, `--cfg docsrs` (nightly features
#             through RUSTC_BOOTSTRAP=1), every warning an error
#   semver    cargo-semver-checks of every library crate against its last release tag
#             (`<package>-v<version>`), else against the previous commit (HEAD~1)
#   msrv      the library crates (core, every area, the umbrella with every library feature, no
#             dev-dependencies) and the CLI build with the declared `rust-version`, using Debian's
#             rustc-web/cargo-web 1.85 and a fresh lockfile resolved for that Rust version
#
# Usage: scripts/release-check.sh [STEP...]   (default: all steps, in the order above)
# Environment:
#   RELEASE_CHECK_VERIFY=0     package with --no-verify (skips building each packaged crate)
#   SEMVER_BASELINE_REV=REV    compare against REV instead of the last tag / HEAD~1
#   MSRV_CARGO=PATH            a cargo of the MSRV (with MSRV_RUSTC=PATH); default: Debian's
#                              cargo-web 1.85 in /usr/bin, installed with apt-get when missing
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\n==> release-check: %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
timed() { # timed NAME CMD...: runs CMD and reports how long it took
    local name=$1 t=$SECONDS
    shift
    "$@"
    printf 'release-check: %s took %d s\n' "$name" $((SECONDS - t)) >&2
}

# The packages that are published (publish is not false), one per line, with their manifest
# directory, whether they have a library, and the repository they declare.
packages_json=$(cargo metadata --format-version 1 --no-deps)
publishable() {
    python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p.get("publish") == []:
        continue
    lib = any("lib" in t["kind"] for t in p["targets"])
    print(p["name"], "lib" if lib else "bin", p.get("repository") or "")
' <<<"$packages_json"
}
mapfile -t pkgs < <(publishable | cut -d' ' -f1)
mapfile -t libs < <(publishable | awk '$2 == "lib" {print $1}')
our_repo=$(publishable | awk 'NR == 1 {print $3}')
[ ${#pkgs[@]} -gt 0 ] || die "no publishable package found"

names() {
    # `cargo info` outside the workspace, or it describes our own local package.
    local outside out name repo taken=0
    outside=$(mktemp -d)
    for name in "${pkgs[@]}"; do
        out=$(cd "$outside" && timeout 120 cargo info "$name" --registry crates-io 2>&1) && true
        if grep -q "could not find \`$name\` in registry" <<<"$out"; then
            printf '  %-30s free on crates.io\n' "$name" >&2
        elif repo=$(grep -m1 '^repository: ' <<<"$out"); then
            repo=${repo#repository: }
            if [ "${repo%/}" = "${our_repo%/}" ]; then
                printf '  %-30s ours on crates.io (%s)\n' "$name" "$repo" >&2
            else
                printf 'error: the name %s is taken on crates.io by another project (repository: %s);\n' \
                    "$name" "$repo" >&2
                printf '       publishing it would fail and `cargo add %s` fetches their code: rename the package\n' \
                    "$name" >&2
                taken=1
            fi
        elif grep -q '^version: ' <<<"$out"; then
            printf 'error: the name %s is taken on crates.io by a crate without a repository: rename the package\n' \
                "$name" >&2
            taken=1
        else
            warn "could not ask crates.io about $name (offline?); its name is not checked:"
            sed 's/^/    /' <<<"$out" | tail -n 3 >&2
        fi
    done
    rmdir "$outside"
    [ "$taken" = 0 ] || die "package names taken on crates.io"
}

forget_unpacked_local_packages() {
    # cargo unpacks each .crate of the temporary local registry into
    # $CARGO_HOME/registry/src/<hash of the registry's path>/<name>-<version> and, when that
    # directory is already there, builds what it holds without looking at the new .crate. The
    # path of a checkout is the same from one run to the next (CI checks out to one place) and
    # our version stays 0.1.0 until a release, so the next run would verify each area against
    # the core of an earlier commit ("no `Extra` in the root"). The local registries' directories
    # have no name ("-<hash>"); crates.io's ("index.crates.io-<hash>") are left alone.
    local cargo_home=${CARGO_HOME:-$HOME/.cargo} dir name names
    mapfile -t names < <(python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    print(p["name"] + "-" + p["version"])
' <<<"$packages_json")
    for dir in "$cargo_home"/registry/src/-*/; do
        [ -d "$dir" ] || continue
        for name in "${names[@]}"; do
            rm -rf -- "$dir$name"
        done
    done
}

package() {
    # All publishable crates in one command: cargo 1.95 packages the workspace members in
    # dependency order and resolves the unpublished local ones (agentos-rs-core for the areas,
    # ...) from a temporary local registry (target/package/tmp-registry), so this works before
    # anything is on crates.io. `--allow-dirty` lets it run on a working tree with changes (CI
    # has a clean checkout). With verification each packaged crate is built from its .crate
    # file, as `cargo publish` does.
    local args=(--allow-dirty) p
    [ "${RELEASE_CHECK_VERIFY:-1}" = 0 ] && args+=(--no-verify)
    forget_unpacked_local_packages
    for p in "${pkgs[@]}"; do args+=(-p "$p"); done
    local out
    if ! out=$(cargo package "${args[@]}" 2>&1); then
        echo "$out" >&2
        die "cargo package failed"
    fi
    # The umbrella's examples and integration tests live outside its directory and are left
    # out of its package on purpose: cargo's notes about them are not shown.
    grep -E '^(warning|error)' <<<"$out" | grep -v "^warning: ignoring \(example\|test\) " >&2 || true
    printf '  packaged: %s\n' "${pkgs[*]}" >&2
}

feature_table() { # the first table whose header starts with "| feature |" in a markdown file
    awk '/^\| feature \|/ {on = 1} on && !/^\|/ {exit} on' "$1"
}

docsrs() {
    # The umbrella's crate docs (and crates.io page) are crates/agentos/README.md; its feature
    # table is the repository README's.
    if ! diff <(feature_table README.md) <(feature_table crates/agentos/README.md) >&2; then
        die "the feature tables of README.md and crates/agentos/README.md differ"
    fi
    [ -n "$(feature_table README.md)" ] || die "no feature table in README.md"
    # A target dir of its own: RUSTC_BOOTSTRAP=1 changes how cargo fingerprints the dependencies,
    # and sharing target/debug would rebuild them here and again in the next plain build.
    RUSTC_BOOTSTRAP=1 RUSTDOCFLAGS="--cfg docsrs -D warnings" CARGO_TARGET_DIR="$root/target/docsrs" \
        cargo doc --workspace --all-features --no-deps --quiet
}

ensure_semver_checks() {
    command -v cargo-semver-checks >/dev/null 2>&1 && return
    step "installing cargo-semver-checks"
    # A tool, not a product: no LTO and parallel codegen compile it far faster on 2 cores.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        cargo install cargo-semver-checks --locked
}

# rustdoc JSON of the given library packages, for cargo-semver-checks: built in the docs.rs
# step's target dir (same flags for the dependencies, so they are checked once for the docs, the
# current tree and the baseline) and copied to DEST as <lib name>.json.
rustdoc_json() { # rustdoc_json SOURCE-DIR DEST PACKAGE...
    local src=$1 dest=$2
    shift 2
    local args=() p
    for p in "$@"; do args+=(-p "$p"); done
    mkdir -p "$dest"
    rm -f "$root/target/docsrs/doc/"*.json
    (cd "$src" && RUSTC_BOOTSTRAP=1 RUSTDOCFLAGS="--cfg docsrs -Z unstable-options --output-format json" \
        CARGO_TARGET_DIR="$root/target/docsrs" cargo doc --all-features --no-deps --quiet "${args[@]}")
    cp "$root/target/docsrs/doc/"*.json "$dest/"
}

lib_names() { # "package lib_name" for every library package of the workspace in dir $1
    cargo metadata --format-version 1 --no-deps --manifest-path "$1/Cargo.toml" | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    for t in p["targets"]:
        if "lib" in t["kind"]:
            print(p["name"], t["name"].replace("-", "_"))
'
}

semver() {
    ensure_semver_checks
    # cargo-semver-checks compares rustdoc JSON. Left to build it, it builds every crate with all
    # its dependencies in a target dir of its own (14 crates: ~25 min and ~7 GB here), so the JSON
    # is built here, once for the current tree and once for each baseline, sharing one target dir.
    local work=$root/target/semver
    rm -rf "$work"
    rustdoc_json "$root" "$work/current" "${libs[@]}"
    local -A current_lib=() base_lib=()
    local pkg name
    while read -r pkg name; do current_lib[$pkg]=$name; done < <(lib_names "$root")
    # Each library's baseline: its newest release tag, else the previous commit.
    local -A by_rev=()
    local lib tag rev
    for lib in "${libs[@]}"; do
        rev=${SEMVER_BASELINE_REV:-}
        if [ -z "$rev" ]; then
            tag=$(git tag --list "$lib-v*" --sort=-v:refname | head -n 1)
            rev=${tag:-HEAD~1}
        fi
        by_rev[$rev]+=" $lib"
    done
    local failed=() unreleased=()
    for rev in "${!by_rev[@]}"; do
        if ! git rev-parse --verify --quiet "$rev^{commit}" >/dev/null; then
            # A shallow clone: deepen it by the commits the baseline needs.
            if [ -f "$(git rev-parse --git-dir)/shallow" ] && git remote get-url origin >/dev/null 2>&1; then
                git fetch --quiet --deepen=1 origin || true
            fi
        fi
        if ! git rev-parse --verify --quiet "$rev^{commit}" >/dev/null; then
            warn "semver: the baseline $rev is not in this clone (a shallow or single-commit clone); \
the semver check of${by_rev[$rev]} is skipped. Clone with history (fetch-depth: 0) to run it."
            continue
        fi
        # Only the packages that exist in the baseline can be compared (a new or renamed
        # package has no previous version).
        local base_names present=() new=() src=$work/src-$(git rev-parse --short "$rev")
        base_names=$(git grep -h -E '^name = "' "$rev" -- 'Cargo.toml' 'crates/*/Cargo.toml' 2>/dev/null |
            sed -E 's/^name = "([^"]+)".*/\1/')
        for lib in ${by_rev[$rev]}; do
            if grep -qx "$lib" <<<"$base_names"; then present+=("$lib"); else new+=("$lib"); fi
        done
        [ ${#new[@]} -eq 0 ] || printf '  not in the baseline %s (new packages, nothing to compare): %s\n' \
            "$rev" "${new[*]}" >&2
        [ ${#present[@]} -gt 0 ] || continue
        printf '  baseline %s (%s)\n' "$rev" "$(git rev-parse --short "$rev")" >&2
        mkdir -p "$src"
        git archive "$rev" | tar -x -C "$src"
        rustdoc_json "$src" "$work/baseline-$rev" "${present[@]}"
        base_lib=()
        while read -r pkg name; do base_lib[$pkg]=$name; done < <(lib_names "$src")
        for lib in "${present[@]}"; do
            local name=${current_lib[$lib]} base_name=${base_lib[$lib]}
            printf '  %s\n' "$lib" >&2
            cargo semver-checks --color never \
                --baseline-rustdoc "$work/baseline-$rev/$base_name.json" \
                --current-rustdoc "$work/current/$name.json" 2>&1 |
                sed 's/<unknown>/'"$lib"'/' >&2 ||
                if [ -n "$(git tag --list "$lib-v*")" ] || [ -n "${SEMVER_BASELINE_REV:-}" ]; then
                    failed+=("$lib")
                else
                    unreleased+=("$lib")
                fi
        done
        rm -rf "$src"
    done
    # Before its first release a crate promises no API: its breaking changes since the previous
    # commit are reported, not fatal (they go into its CHANGELOG and its first version).
    [ ${#unreleased[@]} -eq 0 ] || warn "semver: breaking changes since the previous commit in \
${unreleased[*]} (not released yet: reported, not an error)"
    [ ${#failed[@]} -eq 0 ] || die "semver: breaking changes without a major version bump in: ${failed[*]}"
}

msrv_version=$(grep -m1 -E '^rust-version = "' Cargo.toml | sed -E 's/.*"([^"]+)".*/\1/')
debian_msrv_pkg_version="1.85.0+dfsg3-1~deb12u3"

ensure_msrv_toolchain() {
    msrv_cargo=${MSRV_CARGO:-/usr/bin/cargo}
    msrv_rustc=${MSRV_RUSTC:-/usr/bin/rustc}
    if [ -z "${MSRV_CARGO:-}" ] && [ "$(dpkg-query -W -f='${Version}' cargo-web 2>/dev/null)" != "$debian_msrv_pkg_version" ]; then
        command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] ||
            die "msrv: no Rust $msrv_version: install Debian's rustc-web and cargo-web $debian_msrv_pkg_version, or set MSRV_CARGO and MSRV_RUSTC"
        step "installing Rust $msrv_version (Debian's rustc-web and cargo-web $debian_msrv_pkg_version)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "rustc-web=$debian_msrv_pkg_version" "cargo-web=$debian_msrv_pkg_version" \
            "libstd-rust-web-dev=$debian_msrv_pkg_version" "libstd-rust-web-1.85=$debian_msrv_pkg_version" >/dev/null
    fi
    local have
    have=$("$msrv_rustc" --version) || die "msrv: $msrv_rustc does not run"
    [[ $have == "rustc $msrv_version."* ]] || die "msrv: $msrv_rustc is $have, not $msrv_version"
}

msrv() {
    ensure_msrv_toolchain
    # A copy of the working tree (target/msrv/ws) without dev-dependencies, benches, examples and
    # tests: only what a user of the crates builds. File times are kept so a second run is warm.
    local ws=$root/target/msrv/ws
    rm -rf "$ws"
    mkdir -p "$ws"
    git ls-files -z --cached --others --exclude-standard -- Cargo.toml crates |
        tar --null -T - -cf - | tar -xf - -C "$ws"
    rm -rf "$ws/crates/bench" "$ws/crates/hostile" "$ws/crates/core/fuzz"
    python3 - "$ws" <<'EOF'
import pathlib, re, sys
ws = pathlib.Path(sys.argv[1])
for manifest in ws.glob("crates/*/Cargo.toml"):
    text = manifest.read_text()
    # Drop the tables a user's build never reads: dev-dependencies, benches, examples, tests.
    sections = re.split(r"(?m)^(?=\[)", text)
    keep = [s for s in sections
            if not re.match(r"\[(dev-dependencies|\[bench\]|\[example\]|\[test\])", s)]
    manifest.write_text("".join(keep))
EOF
    # A fresh lockfile that prefers, for each dependency, the newest version whose declared
    # rust-version is at most ours (falling back to the newest when none declares one).
    rm -f "$ws/Cargo.lock"
    local env=(env RUSTC="$msrv_rustc" RUSTDOC="${MSRV_RUSTDOC:-/usr/bin/rustdoc}"
        CARGO_TARGET_DIR="$root/target/msrv/target"
        CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback)
    (cd "$ws" && "${env[@]}" "$msrv_cargo" generate-lockfile --quiet)
    local lib_features
    lib_features=$(sed -nE 's/^default = \[(.*)\]/\1/p' crates/agentos/Cargo.toml | tr -d ' "')
    lib_features+=",rustls-aws-lc,reqwest,mock,blocking,otel"
    (cd "$ws" && "${env[@]}" "$msrv_cargo" check --quiet --locked -p agentos-rs --lib --features "$lib_features")
    (cd "$ws" && "${env[@]}" "$msrv_cargo" check --quiet --locked -p agentos-rs-cli)
    printf '  Rust %s builds the libraries (umbrella features: %s) and the CLI\n' "$msrv_version" "$lib_features" >&2
}

all_steps=(names package docsrs semver msrv)
for s in "${@:-${all_steps[@]}}"; do
    case $s in
    names) step "names on crates.io (${#pkgs[@]} packages)"; timed names names ;;
    package) step "cargo package of every publishable crate"; timed package package ;;
    docsrs) step "docs as docs.rs builds them (--cfg docsrs, -D warnings)"; timed docsrs docsrs ;;
    semver) step "cargo-semver-checks of the libraries"; timed semver semver ;;
    msrv) step "MSRV: Rust $msrv_version builds the libraries"; timed msrv msrv ;;
    *) die "unknown step $s (steps: ${all_steps[*]})" ;;
    esac
done
echo "release-check: ok (${*:-${all_steps[*]}})" >&2
