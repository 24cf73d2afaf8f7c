#!/usr/bin/env bash
# Proves the feature gating of the umbrella crate: each area builds alone and without a
# warning, a build with only `runs` has no other area crate in its dependency tree, the default
# TLS is ring (no aws-lc), and both TLS providers pass the TLS tests. Then, with throwaway
# crates that use the umbrella as a user would: without a transport feature
# `AgentOsClient::new` and a builder given no transport are compile errors with a helpful
# message (a builder given a transport compiles), and no extension trait can be implemented
# outside its crate.
set -euo pipefail
cd "$(dirname "$0")/.."

# cargo check, failing on any warning (cargo replays the warnings of crates already checked).
check() {
    local out
    out=$(cargo check --message-format short "$@" 2>&1) || { echo "$out" >&2; return 1; }
    if grep -Eq "(^|: )(warning|error)(\[[a-zA-Z0-9_]+\])?:" <<<"$out"; then
        echo "warnings with: cargo check $*" >&2
        echo "$out" >&2
        return 1
    fi
}

areas=(runs memory sessions knowledge observability evals learnings schedules approvals components service-accounts filesystem)
for area in "${areas[@]}"; do
    check -p agentos-rs --no-default-features --features "rustls,$area"
done
check -p agentos-rs --no-default-features
check -p agentos-rs --no-default-features --features reqwest
check -p agentos-rs --no-default-features --features rustls-aws-lc

# Both TLS providers against a real rustls server (crates/core/tests/tls.rs).
cargo test -p agentos-rs-core --no-default-features --features rustls --test tls --quiet
cargo test -p agentos-rs-core --no-default-features --features rustls-aws-lc --test tls --quiet
if grep -Eq "^aws-lc-(rs|sys) " <<<"$(cargo tree -p agentos-rs -e normal --prefix none)"; then
    echo "aws-lc is in the default tree: the default TLS provider should be ring" >&2
    exit 1
fi

tree=$(cargo tree -p agentos-rs --no-default-features --features rustls,runs -e normal --prefix none)
for other in "${areas[@]:1}"; do
    if grep -q "^agentos-rs-$other " <<<"$tree"; then
        echo "feature gating broken: agentos-rs-$other is in the tree of --features runs" >&2
        exit 1
    fi
done
grep -q "^agentos-rs-runs " <<<"$tree" || { echo "agentos-rs-runs missing from --features runs" >&2; exit 1; }
if grep -Eq "^(openssl|openssl-sys|native-tls) " <<<"$(cargo tree -p agentos-rs --all-features -e normal --prefix none)"; then
    echo "OpenSSL found in the dependency tree" >&2
    exit 1
fi
echo "feature gating ok: each area builds alone without warnings; --features runs pulls no other area; ring by default; no OpenSSL"

# probe NAME DEPENDENCY-OPTIONS SOURCE: `cargo check`s a throwaway crate in target/probes/NAME
# whose src/main.rs is SOURCE and which depends on the umbrella as a user would
# (`agentos = { path, DEPENDENCY-OPTIONS }`); prints cargo's output, returns cargo's status.
# It shares the workspace's target dir and lock file, so it rebuilds little.
root=$(pwd)
umbrella=$(sed -n 's/^name = "\(.*\)"$/\1/p' crates/agentos/Cargo.toml | head -n 1)
probe() {
    local dir="$root/target/probes/$1"
    mkdir -p "$dir/src"
    printf '%s\n' \
        '[package]' \
        "name = \"probe-$1\"" \
        'version = "0.0.0"' \
        'edition = "2024"' \
        'publish = false' \
        '' \
        '[dependencies]' \
        "agentos = { path = \"$root/crates/agentos\", package = \"$umbrella\", $2 }" \
        'async-trait = "0.1"' \
        '' \
        '[workspace]' >"$dir/Cargo.toml"
    printf '%s\n' "$3" >"$dir/src/main.rs"
    cp Cargo.lock "$dir/Cargo.lock"
    (cd "$dir" && CARGO_TARGET_DIR="$root/target" cargo check --offline --quiet \
        --message-format short 2>&1)
}

# expect_error NAME DEPENDENCY-OPTIONS SOURCE MESSAGE: the probe must fail with MESSAGE.
expect_error() {
    local out
    if out=$(probe "$1" "$2" "$3"); then
        echo "probe $1 compiled, but it must not: $3" >&2
        return 1
    fi
    grep -qF -- "$4" <<<"$out" || {
        echo "probe $1 failed without the message: $4" >&2
        echo "$out" >&2
        return 1
    }
}

# Without a transport feature, what needs the default transport does not compile...
no_transport='default-features = false, features = ["runs"]'
expect_error no-transport-new "$no_transport" \
    'fn main() { let _ = agentos::AgentOsClient::new("http://localhost:7777"); }' \
    '`AgentOsClient::new` needs the default transport, and no transport feature is enabled'
expect_error no-transport-build "$no_transport" \
    'fn main() { let _ = agentos::AgentOsClient::builder().base_url("http://localhost:7777").build(); }' \
    '`ClientBuilder::build` without `.transport(..)` needs the default transport, and no transport feature is enabled'
expect_error no-transport-blocking 'default-features = false, features = ["runs", "blocking"]' \
    'fn main() { let _ = agentos::blocking::AgentOsClient::new("http://localhost:7777"); }' \
    '`AgentOsClient::new` needs the default transport, and no transport feature is enabled'
# ...while a builder given a transport compiles.
custom='
use agentos::runs::RunsExt;
use agentos::{AgentOsClient, HttpRequest, Result, Transport, TransportResponse};

struct Canned;

#[async_trait::async_trait]
impl Transport for Canned {
    async fn send(&self, _: HttpRequest) -> Result<TransportResponse> {
        let ok = agentos::http::StatusCode::OK;
        Ok(TransportResponse::buffered(ok, Default::default(), "{}"))
    }
}

fn main() -> Result<()> {
    let client = AgentOsClient::builder()
        .base_url("http://localhost:7777")
        .transport(Canned)
        .build()?;
    let _run = client.run_agent("echo-agent", "Hello");
    Ok(())
}'
out=$(probe custom-transport "$no_transport" "$custom") || {
    echo "a builder given a transport must compile without a transport feature:" >&2
    echo "$out" >&2
    exit 1
}

# Sealed extension traits: an `impl` of any of them outside its crate is refused (one `impl`
# a line, and every line must have the seal's error), and the seal itself cannot be named.
ext_traits=(runs::RunsExt memory::MemoryExt sessions::SessionsExt knowledge::KnowledgeExt
    observability::ObservabilityExt evals::EvalsExt learnings::LearningsExt
    schedules::SchedulesExt schedules::QueueExt approvals::ApprovalsExt
    components::ComponentsExt service_accounts::ServiceAccountsExt filesystem::FilesystemExt)
src='struct NotAClient;'
for t in "${ext_traits[@]}"; do
    src+=$'\n'"impl agentos::$t for NotAClient {}"
done
src+=$'\nimpl agentos::runs::sealed::Sealed for NotAClient {}\nfn main() {}'
if out=$(probe sealed 'features = ["blocking"]' "$src"); then
    echo "the extension traits can be implemented outside their crates" >&2
    exit 1
fi
for i in "${!ext_traits[@]}"; do
    grep -q "^src/main.rs:$((i + 2)):.*the AgentOS extension traits are sealed" <<<"$out" || {
        echo "${ext_traits[$i]} is not sealed (no seal error on line $((i + 2))):" >&2
        echo "$out" >&2
        exit 1
    }
done
grep -Eq "^src/main.rs:$((${#ext_traits[@]} + 2)):.*(module \`sealed\` is private|cannot find \`sealed\`)" <<<"$out" || {
    echo "the seal of the runs crate can be named from outside it:" >&2
    echo "$out" >&2
    exit 1
}
echo "compile-time checks ok: without a transport feature new/build/blocking new fail with their message; a builder given a transport compiles; ${#ext_traits[@]} extension traits are sealed"
