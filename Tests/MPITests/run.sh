#!/usr/bin/env bash
# Data-parallel tests under mpirun: the runs against one process and reruns (1, 2 and 4
# processes), the README's example on 4 processes against one, a rank killed mid-run, and
# two "machines" in network namespaces. Needs `make mpi` (build/mpi).
set -euo pipefail
tests_dir=$(cd "$(dirname "$0")" && pwd)
cd "$tests_dir/../.."

lib_dir=${GD_LIB_DIR:-.build/release}
mpi_dir=build/mpi
out=build/mpi-tests
mkdir -p "$out"
MPICC=${MPICC:-mpicc}
mpirun=(mpirun --allow-run-as-root --oversubscribe)
flags=(-std=c99 -O2 -Wall -Wextra -Werror -Iinclude)
link=(-L"$mpi_dir" -L"$lib_dir" -Wl,-rpath,"$PWD/$mpi_dir" -Wl,-rpath,"$PWD/$lib_dir"
      -lgradient_descent_mpi -lgradient_descent -lm)
for t in test_data_parallel test_rank_death; do
    "$MPICC" "${flags[@]}" "$tests_dir/$t.c" "${link[@]}" -o "$out/$t"
done

for p in 1 2 4; do
    echo "== mpirun -n $p: against one process, reruns, every rule"
    timeout 300 "${mpirun[@]}" -n "$p" "$out/test_data_parallel"
done

echo "== the example on 4 processes prints the theta of one process"
example=$mpi_dir/linear_regression_mpi
"${mpirun[@]}" -n 1 "$example" | tail -n +2 >"$out/example-1.txt"
"${mpirun[@]}" -n 4 "$example" | tail -n +2 >"$out/example-4.txt"
cat "$out/example-4.txt"
if ! cmp -s "$out/example-1.txt" "$out/example-4.txt" || [ "$(wc -l <"$out/example-1.txt")" -ne 2 ]; then
    echo "4 processes printed other digits than one:"; diff "$out/example-1.txt" "$out/example-4.txt"; exit 1
fi

echo "== a rank killed mid-run ends the job"
start=$(date +%s%N)
set +e
timeout 60 "${mpirun[@]}" -n 2 "$out/test_rank_death" >"$out/death.log" 2>&1
status=$?
set -e
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "mpirun exited with status $status after $((elapsed_ms / 1000)).$(printf %03d $((elapsed_ms % 1000))) s"
if [ "$status" -eq 0 ] || [ "$status" -eq 124 ] || [ "$elapsed_ms" -ge 30000 ]; then
    echo "expected a non-zero exit within 30 s"; cat "$out/death.log"; exit 1
fi

bash "$tests_dir/netns.sh" "$example" "$out/example-1.txt"
