#!/bin/bash
# One A/B measurement of a dataset run and a dd of the same size right after, on the same disk
# (benchmarks/RESULTS.md, "Rate networks and datasets"). Alternate binaries in a loop to compare them:
#   for r in 1 2 3; do dataset_ab.sh OLD/spikeweave old 1; dataset_ab.sh NEW/spikeweave new 1; done
# Usage: dataset_ab.sh SPIKEWEAVE LABEL RANKS [extra spikeweave options]
# Env: LARGE=1 for N=200, K=10, T=1000 (150 networks) instead of N=50, K=10, T=100 (5000);
#      MCA="--mca ..." extra mpirun options; WORK (default /tmp/io_ab) on the disk to measure.
# Prints: label, ranks, wall/write/simulate/CPU seconds, networks/s, networks per CPU second,
#   HDF5 GB/s in the write phase, dd GB/s (conv=fdatasync), and their ratio.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
BIN=$1; LABEL=$2; RANKS=$3; shift 3
A="--networks 5000 --neurons 50 --trials 10 --steps 100 --dt-ms 0.1 --tau-ms 1.0 --gain 1.5 --noise 0.316227766"
[ -n "$LARGE" ] && A="--networks 150 --neurons 200 --trials 10 --steps 1000 --dt-ms 0.1 --tau-ms 1.0 --gain 1.5 --noise 0.316227766"
W=${WORK:-/tmp/io_ab}; mkdir -p $W; rm -f $W/d.h5*
if [ $RANKS = 1 ]; then $BIN dataset rate $A --out $W/d.h5 --quiet --report $W/r.json "$@"; else mpirun -np $RANKS --oversubscribe --bind-to none $MCA $BIN dataset rate $A --out $W/d.h5 --quiet --report $W/r.json "$@"; fi
bytes=$(stat -c %s $W/d.h5); rm -f $W/d.h5
s=$(date +%s.%N); dd if=/dev/zero of=$W/dd.bin bs=1M count=$(((bytes + 1048575) / 1048576)) conv=fdatasync status=none; e=$(date +%s.%N); rm -f $W/dd.bin
/usr/bin/python3 -c "
import json,sys; r=json.load(open('$W/r.json')); dd=$e-$s
bw=r['bytes_written']/r['write_seconds']/1e9; ddbw=$bytes/dd/1e9
print('%s r%d wall %.2f write %.2f sim %.2f cpu %.2f nps %.0f npcs %.0f  hdf5 %.2f GB/s dd %.2f GB/s ratio %.2f' % ('$LABEL', r['ranks'], r['seconds'], r['write_seconds'], r['simulate_seconds'], r['cpu_seconds'], r['networks_per_second'], r['networks_per_cpu_second'], bw, ddbw, bw/ddbw))"
