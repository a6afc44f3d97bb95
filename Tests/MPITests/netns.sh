#!/usr/bin/env bash
# Two "machines": rank 0 in one network namespace, rank 1 in another, joined by a veth pair,
# Open MPI's TCP transport restricted to those two addresses (no shared memory between the
# ranks' transports). Runs the example program there and compares its output with the
# one-process output given. Needs root and iproute2; says why when it cannot run.
set -euo pipefail
program=$1
expected_output=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
    echo "== two network namespaces: SKIPPED (needs root and iproute2)"; exit 0
fi
a=gdmpiA$$; b=gdmpiB$$
agent=""
cleanup() {
    ip netns del "$a" 2>/dev/null || true; ip netns del "$b" 2>/dev/null || true
    if [ -n "$agent" ]; then rm -f "$agent" "$agent.out"; fi
}
trap cleanup EXIT
ip netns add "$a"; ip netns add "$b"
ip link add "va$$" type veth peer name "vb$$"
ip link set "va$$" netns "$a"; ip link set "vb$$" netns "$b"
ip -n "$a" addr add 10.213.77.1/24 dev "va$$"; ip -n "$b" addr add 10.213.77.2/24 dev "vb$$"
for ns in "$a" "$b"; do ip -n "$ns" link set lo up; done
ip -n "$a" link set "va$$" up; ip -n "$b" link set "vb$$" up
# The launcher Open MPI uses instead of ssh: the "host" names the namespace to enter.
agent=$(mktemp)
cat > "$agent" <<AGENT
#!/usr/bin/env bash
host=\$1; shift
case "\$host" in 10.213.77.1) ns=$a ;; 10.213.77.2) ns=$b ;; *) echo "unknown host \$host" >&2; exit 1 ;; esac
exec ip netns exec "\$ns" /bin/sh -c "\$*"
AGENT
chmod +x "$agent"
echo "== two network namespaces joined by a veth pair (10.213.77.1, 10.213.77.2), TCP only"
# Each "host" has its own daemon, which sees both cores as free and would bind its rank to
# core 0: two ranks busy-polling on one core exchange a message per time slice. The ranks
# are left unbound, as on two real machines.
launch=(timeout 120 ip netns exec "$a" mpirun --allow-run-as-root -n 2 --bind-to none
        --host 10.213.77.1:1,10.213.77.2:1 --mca plm_rsh_agent "$agent"
        --mca btl tcp,self --mca btl_tcp_if_include 10.213.77.0/24
        --mca oob_tcp_if_include 10.213.77.0/24)
# The two ranks run in two different network namespaces, ours.
namespaces=$("${launch[@]}" readlink /proc/self/ns/net | sort -u)
expected=$(for ns in "$a" "$b"; do ip netns exec "$ns" readlink /proc/self/ns/net; done | sort -u)
if [ "$(echo "$namespaces" | wc -l)" -ne 2 ] || [ "$namespaces" != "$expected" ]; then
    echo "the ranks' network namespaces are not the two made here:"; echo "$namespaces"; exit 1
fi
echo "ranks in the namespaces $(echo $namespaces)"
"${launch[@]}" "$program" | tail -n +2 >"$agent.out"
cat "$agent.out"
if ! cmp -s "$agent.out" "$expected_output"; then
    echo "two namespaces printed other digits than one process:"; diff "$expected_output" "$agent.out"
    rm -f "$agent.out"; exit 1
fi
rm -f "$agent" "$agent.out"
