#!/usr/bin/env bash
# Proves the feature gating of the umbrella crate: each area builds alone and without a
# warning (and so does `otel`, alone and with the areas it touches), a build with only `runs`
# has no other area crate in its dependency tree, OpenTelemetry is in the tree only with
# `otel`, the default TLS is ring (no aws-lc), and both TLS providers pass the TLS tests.
# Then, with throwaway crates that use the umbrella as a user would: without a transport
# feature `AgentOsClient::new` and a builder given no transport are compile errors with a
# helpful message (a builder given a transport compiles), and no extension trait can be
# implemented outside its crate.
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

# The areas come from one place: the umbrella's features of the form `X = ["dep:agentos-X"]`.
# Every other list of areas is checked against it here: the umbrella's default features, its
# modules, prelude and route table, the feature tables of the READMEs, the CLI's features, and
# the area crates under crates/.
mapfile -t areas < <(sed -nE 's/^([a-z-]+) = \["dep:agentos-\1"\]$/\1/p' crates/agentos/Cargo.toml)
[ ${#areas[@]} -ge 12 ] || { echo "only ${#areas[@]} areas found in crates/agentos/Cargo.toml" >&2; exit 1; }
python3 - "${areas[@]}" <<'PY'
import pathlib, re, sys
areas = sys.argv[1:]
text = lambda p: pathlib.Path(p).read_text()
umbrella_toml, lib = text("crates/agentos/Cargo.toml"), text("crates/agentos/src/lib.rs")
cli_toml = text("crates/cli/Cargo.toml")
default = re.search(r'(?m)^default = \[(.*)\]', umbrella_toml).group(1)
cli = re.search(r'(?m)^agentos = \{.*features = \[(.*)\]', cli_toml).group(1)
problems = []
for a in areas:
    m = a.replace("-", "_")
    checks = {
        "in the umbrella's default features": f'"{a}"' in default,
        "in the CLI's features": f'"{a}"' in cli,
        "a crate crates/" + a: pathlib.Path(f"crates/{a}/Cargo.toml").exists(),
        f"a module agentos::{m}": re.search(rf'#\[cfg\(feature = "{a}"\)\]\s*(#\[.*\]\s*)*pub mod {m} ', lib) is not None,
        "in routes()": f'#[cfg(feature = "{a}")]\n    all.extend_from_slice(agentos_{m}::ROUTES);' in lib,
        "in the prelude": re.search(rf'#\[cfg\(feature = "{a}"\)\]\s*pub use agentos_{m}::', lib) is not None,
        "in the feature table of README.md": f"| `{a}` | `agentos-rs-{a}` |" in text("README.md"),
    }
    problems += [f"area {a}: not {what}" for what, ok in checks.items() if not ok]
known = set(areas) | {"core", "agentos", "cli", "hostile", "bench"}
for d in pathlib.Path("crates").iterdir():
    if (d / "Cargo.toml").exists() and d.name not in known:
        problems.append(f"crates/{d.name} is not an area feature of the umbrella (nor core, cli, ...)")
if problems:
    sys.exit("the lists of areas disagree:\n  " + "\n  ".join(problems))
print(f"areas listed once: {len(areas)} areas agree across the umbrella, its README, the CLI and crates/")
PY
for area in "${areas[@]}"; do
    check -p agentos-rs --no-default-features --features "rustls,$area"
done
check -p agentos-rs --no-default-features
check -p agentos-rs --no-default-features --features reqwest
check -p agentos-rs --no-default-features --features rustls-aws-lc
# `otel` with the areas it touches (the request span in core, the run span, `joined_to`), and
# alone (core without a transport).
check -p agentos-rs --no-default-features --features rustls,runs,observability,otel
check -p agentos-rs --no-default-features --features otel

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
# OpenTelemetry only with `otel` (or the examples' `otel-example`): not in the default tree.
otel_crates="^(opentelemetry|opentelemetry_sdk|tracing-opentelemetry) "
if grep -Eq "$otel_crates" <<<"$(cargo tree -p agentos-rs -e normal --prefix none)"; then
    echo "OpenTelemetry is in the default tree: only the otel feature should bring it" >&2
    exit 1
fi
grep -Eq "$otel_crates" <<<"$(cargo tree -p agentos-rs --no-default-features --features otel -e normal --prefix none)" ||
    { echo "OpenTelemetry missing from --features otel" >&2; exit 1; }
if grep -Eq "^(openssl|openssl-sys|native-tls) " <<<"$(cargo tree -p agentos-rs --all-features -e normal --prefix none)"; then
    echo "OpenSSL found in the dependency tree" >&2
    exit 1
fi
echo "feature gating ok: each area builds alone without warnings; so does otel; --features runs pulls no other area; OpenTelemetry only with otel; ring by default; no OpenSSL"

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
