#!/usr/bin/env bash
# Cost of each sandbox layer on a process start, as a ratio against the bare interpreter in the same run (alternated
# rounds, so every variant sees the same load). Run as root (the uid drop needs it):
#   bench/scripts/sandbox-layers.sh [runs] [interpreter args...]      e.g. bench/scripts/sandbox-layers.sh 30 node -e 0
set -euo pipefail
runs="${1:-30}"; shift || true
[ "$#" -gt 0 ] || set -- node -e 0
exe="$(command -v "$1")"; shift
uid=64999
filter="$(mktemp)"; trap 'rm -f "$filter"' EXIT
# The same program the server builds (Sandbox/SeccompFilter.cs) is not reachable from bash: any valid filter has the
# same cost (the kernel runs it per system call); this one allows everything, so only the mechanism is measured.
printf '\x06\x00\x00\x00\x00\x00\xff\x7f' > "$filter"

base=(--die-with-parent --new-session --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64
      --ro-bind /etc /etc --proc /proc --dev /dev --tmpfs /tmp)
[ -d /root/.pyenv ] && base+=(--perms 0755 --dir /root --ro-bind /root/.pyenv /root/.pyenv)
priv=(--unshare-ipc --unshare-pid --unshare-uts --unshare-cgroup-try --cap-drop ALL --cap-add CAP_SETUID --cap-add CAP_SETGID --cap-add CAP_SETPCAP)
drop=(setpriv --reuid=$uid --regid=$uid --clear-groups --inh-caps=-all --bounding-set=-all --)

declare -A variant=(
  [1-bare]=""
  [2-bwrap-userns-as-before]="bwrap ${base[*]} --unshare-all --share-net --cap-drop ALL --"
  [3-bwrap-root-setpriv]="bwrap ${base[*]} ${priv[*]} -- ${drop[*]}"
  [4-plus-seccomp]="bwrap ${base[*]} ${priv[*]} --seccomp 9 -- ${drop[*]}"
  [5-plus-private-net]="bwrap ${base[*]} ${priv[*]} --unshare-net --seccomp 9 -- ${drop[*]}"
)
declare -A total
for name in "${!variant[@]}"; do total[$name]=0; done
for ((i = 0; i < runs; i++)); do
  for name in "${!variant[@]}"; do
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    ${variant[$name]} "$exe" "$@" 9<"$filter" >/dev/null
    total[$name]=$(( total[$name] + $(date +%s%N) - start ))
  done
done
bare=${total[1-bare]}
for name in $(printf '%s\n' "${!variant[@]}" | sort); do
  awk -v n="$name" -v t="${total[$name]}" -v b="$bare" -v r="$runs" \
    'BEGIN { printf "%-28s %7.1f ms  x%.2f  (+%.1f ms)\n", n, t / r / 1e6, t / b, (t - b) / r / 1e6 }'
done
