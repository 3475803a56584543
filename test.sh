#!/usr/bin/env bash
# The one test command: installs what Hangar and its tests use, builds everything, runs every test project,
# and ends with one line "N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

./scripts/install-deps.sh --test
dotnet build Hangar.slnx -c Release -nologo -v quiet -clp:ErrorsOnly
# The functional tests drive the real CLI binary, built exactly as ./hangar builds it.
dotnet build src/Hangar.Cli/Hangar.Cli.csproj -c Release -o .build/hangar -nologo -v quiet -clp:ErrorsOnly
touch .build/hangar/.built
export HANGAR_BIN="$root/.build/hangar/hangar"

passed=0 failed=0 skipped=0 status=0
results="$(mktemp -d)"
for project in test/*/; do
  name="$(basename "$project")"
  log="$results/$name.log"
  echo "== $name"
  if dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" >"$log" 2>&1; then :; else status=1; fi
  grep -E "^\s+(Passed|Failed|Skipped) |Error Message|^\s+at |Total tests|Passed!|Failed!" "$log" | grep -vE "^\s+Passed " | head -200 || true
  summary="$(grep -E "(Passed|Failed)!\s+-" "$log" | tail -1 || true)"
  if [[ -z "$summary" ]]; then
    echo "   no test summary for $name (build or host failure):"; tail -30 "$log"; status=1; failed=$((failed + 1)); continue
  fi
  p=$(sed -E 's/.*Passed:\s+([0-9]+).*/\1/' <<<"$summary"); f=$(sed -E 's/.*Failed:\s+([0-9]+).*/\1/' <<<"$summary"); s=$(sed -E 's/.*Skipped:\s+([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
