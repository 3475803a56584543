#!/usr/bin/env bash
# Builds the hangar CLI when its sources changed (or always with --force), for ./hangar and ./test.sh.
#
# Daemons, proxies (`hangar __proxy`) and S3 servers (`hangar __s3-server`) run from the build for as long as they
# live, so a build never writes over one: each goes into a new directory .build/hangar-STAMP, and .build/hangar is
# a symbolic link switched to it with rename(2), so .build/hangar/hangar is always a whole build. An old build
# directory is removed only once no process runs from it (its mapped files or its command line).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builds="$root/.build"
link="$builds/hangar"
force=0
[[ "${1:-}" == "--force" ]] && force=1

# Only what the compiler reads: bin/ and obj/ hold build outputs, which are newer than any build's stamp.
stale() {
  [[ ! -x "$link/hangar" || ! -e "$link/.built" ]] && return 0
  [[ -n "$(find "$root/src" \( -name bin -o -name obj \) -prune -o -type f \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.resx' -o -name '*.json' \) \
      -newer "$link/.built" -print -quit)" ]] && return 0
  [[ -n "$(find "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/global.json" "$root/.editorconfig" \
      -newer "$link/.built" -print -quit 2>/dev/null)" ]]
}

in_use() {
  # maps holds the executable and every assembly the runtime mapped from the directory; cmdline is readable for
  # every process even where another user's maps is not. The pattern comes from a file, or grep would find it in
  # its own command line.
  grep -qsFf <(printf '%s/\n' "$1") /proc/[0-9]*/maps /proc/[0-9]*/cmdline 2>/dev/null
}

old_builds() {
  local current dir
  current="$(readlink -f "$link" 2>/dev/null || true)"
  for dir in "$builds"/hangar-*/; do
    dir="${dir%/}"
    [[ -d "$dir" && "$dir" != "$current" ]] && printf '%s\n' "$dir"
  done
  return 0
}

if [[ $force -eq 0 ]] && ! stale && [[ -z "$(old_builds)" ]]; then
  exit 0
fi

mkdir -p "$builds"
# One build (or clean-up) at a time: a second `hangar` started meanwhile waits instead of building next to it.
exec 9>"$builds/.build.lock"
flock 9
if [[ $force -eq 1 ]] || stale; then
  echo "hangar: building..." >&2
  new="$builds/hangar-$(date -u +%Y%m%d%H%M%S)-$$"
  dotnet build "$root/src/Hangar.Cli/Hangar.Cli.csproj" -c Release -o "$new" -nologo -v quiet "-clp:ErrorsOnly;NoSummary" >&2
  touch "$new/.built"

  # A directory left by an older launcher (built in place) cannot be renamed over; it is set aside, and removed
  # below like any old build once nothing runs from it.
  if [[ -d "$link" && ! -L "$link" ]]; then
    mv -T "$link" "$builds/hangar-$(date -u +%Y%m%d%H%M%S)-legacy"
  fi
  ln -sfn "$(basename "$new")" "$builds/.hangar.next.$$"
  mv -T "$builds/.hangar.next.$$" "$link"
fi

old_builds | while read -r dir; do
  in_use "$dir" || rm -rf -- "$dir"
done
