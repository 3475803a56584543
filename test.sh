#!/usr/bin/env bash
# The one test command: installs what Hangar and its tests use, builds everything, runs every test project,
# and ends with one line "N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

./scripts/install-deps.sh --test
dotnet build Hangar.slnx -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
# The functional tests drive the real CLI binary, built exactly as ./hangar builds it (a new build directory behind
# the .build/hangar link, so a daemon still running from an earlier build keeps its files).
./scripts/build-cli.sh --force
export HANGAR_BIN="$root/.build/hangar/hangar"

passed=0 failed=0 skipped=0 status=0
results="$(mktemp -d)"
for project in test/*/; do
  name="$(basename "$project")"
  # test/Shared holds source files linked into test projects, not a project.
  [ -e "$project$name.csproj" ] || continue
  log="$results/$name.log"
  started=$SECONDS
  if dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" >"$log" 2>&1; then :; else status=1; fi
  # Failed tests with their messages; passing ones only as a count.
  grep -E "^\s+Failed |Error Message|^\s{3}[A-Z][A-Za-z.]+(Exception|Failure)|^\s+Assert" -A2 "$log" | head -200 || true
  # vstest's closing block: "Total tests: N" then "Passed: N", "Failed: N", "Skipped: N" (zero counts omitted).
  if ! grep -qE "^Total tests: [0-9]+" "$log"; then
    echo "$name: no test summary (build or host failure):"; tail -30 "$log"; status=1; failed=$((failed + 1)); continue
  fi
  count() { grep -E "^\s+$1: [0-9]+" "$log" | tail -1 | grep -oE "[0-9]+" || echo 0; }
  p=$(count Passed) f=$(count Failed) s=$(count Skipped)
  printf '%-28s %4d passed %3d failed %3d skipped  %4ds\n' "$name" "$p" "$f" "$s" $((SECONDS - started))
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
