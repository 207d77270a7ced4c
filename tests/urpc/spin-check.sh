#!/bin/sh
# spin-check.sh: model-check tests/urpc/urpc.pml with spin (Debian `spin`)
# and print TEST lines for tools/run-tests.py.
#
#   tests/urpc/spin-check.sh [workdir]     (default build/urpc/spin)
#
# The protocol as written must pass, in three configurations (one channel
# with 2 slots, credit every slot; one with 4 slots, credit every 2; two
# channels into one sleeping receiver, the waitset), and the fence-free
# mode (BARRIER) with one channel and with two (one message each: with two
# the state space grows past 35 M states): assertions and end
# states (nothing lost, duplicated or overwritten; nobody blocked at the
# end), and the LTL properties (all_delivered is left out for two channels,
# where it would double a run of about 40 s and 800 MB; no_lost_wakeup and
# the end states cover what it adds).  Then every mutant named in the model (a fence removed, a
# flag check removed or done in the wrong order, credit returned early)
# must be caught: a mutant that verifies clean means the model has become
# too weak to see that bug, and is a failure too.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
model=$root/tests/urpc/urpc.pml
work=${1:-$root/build/urpc/spin}
mkdir -p "$work" || exit 1
cd "$work" || exit 1
status=0

say() {         # say NAME PASS|FAIL [why]
	if [ "$2" = PASS ]; then
		echo "TEST urpc.spin.$1 PASS"
	else
		echo "TEST urpc.spin.$1 FAIL: $3"
		status=1
	fi
}

# build DIR ltl|noltl DEFINES...: spin -a in DIR, then pan_safe (no never
# claim) and, with ltl, pan_ltl.  Mutants stop at their first error, so an
# unoptimised pan (quicker to compile) is enough for them.
build() {
	dir=$1 ltl=$2
	shift 2
	opt="-O0 -DCOLLAPSE"
	[ "$ltl" = ltl ] && opt="-O2 -DCOLLAPSE"
	mkdir -p "$dir" && (cd "$dir" &&
		spin "$@" -a "$model" >spin.log 2>&1 &&
		gcc $opt -DNOCLAIM -o pan_safe pan.c 2>>spin.log &&
		{ [ "$ltl" != ltl ] || gcc $opt -o pan_ltl pan.c 2>>spin.log; })
}

# verdict LOG: "ok", or the first error pan reported
verdict() {
	if grep -q 'errors: [1-9]' "$1"; then
		grep -m1 -E 'violated|invalid end state|acceptance cycle|error' "$1" |
			sed 's/^[ pan:0-9]*//'
	elif grep -q 'Search not completed' "$1"; then
		echo "search incomplete"
	elif grep -q 'errors: 0$' "$1"; then
		echo ok
	else
		echo "pan did not run"
	fi
}

if ! command -v spin >/dev/null 2>&1; then
	say model FAIL "spin not installed (apt-get install -y spin)"
	exit 1
fi

safe=PASS lost=PASS delivered=PASS why_s="" why_l="" why_d=""
for cfg in "NSLOTS=2 NMSG=4 BATCH=1" "NSLOTS=4 NMSG=6 BATCH=2" \
	   "NCHAN=2 NSLOTS=2 NMSG=2 BATCH=1 SBUF=2" \
	   "NSLOTS=2 NMSG=4 BATCH=1 BARRIER=1" \
	   "NCHAN=2 NSLOTS=2 NMSG=1 BATCH=1 SBUF=2 BARRIER=1"; do
	dir=ok_$(echo "$cfg" | tr -d ' =')
	defs=$(for d in $cfg; do printf -- '-D%s ' "$d"; done)
	# shellcheck disable=SC2086
	if ! build "$dir" ltl $defs; then
		say model FAIL "spin/gcc failed, see $work/$dir/spin.log"
		exit 1
	fi
	(cd "$dir" && ./pan_safe -m100000 >safe.log 2>&1 &&
	 ./pan_ltl -m100000 -a -N no_lost_wakeup >lost.log 2>&1 &&
	 case $cfg in
	 NCHAN=2*) echo "errors: 0" >delivered.log ;;
	 *) ./pan_ltl -m100000 -a -N all_delivered >delivered.log 2>&1 ;;
	 esac)
	v=$(verdict "$dir/safe.log")
	[ "$v" = ok ] || { safe=FAIL; why_s="$cfg: $v"; }
	v=$(verdict "$dir/lost.log")
	[ "$v" = ok ] || { lost=FAIL; why_l="$cfg: $v"; }
	v=$(verdict "$dir/delivered.log")
	[ "$v" = ok ] || { delivered=FAIL; why_d="$cfg: $v"; }
done
say no_lost_message $safe "$why_s"
say no_lost_wakeup $lost "$why_l"
say all_delivered $delivered "$why_d"

# Each mutant must produce an error in the safety run (a blocked receiver
# is an invalid end state; an early credit trips the payload assertion).
# The waitset's mutants need two channels.
for m in NO_TX_CHECK TX_CHECK_FIRST NO_TX_FENCE NO_RECHECK RX_CHECK_FIRST \
	 NO_RX_FENCE EARLY_CREDIT ANNOUNCE_ONE RECHECK_ONE \
	 BARRIER:NO_RX_BARRIER BARRIER:BARRIER_FIRST BARRIER:BARRIER_ONE \
	 BARRIER:TX_CHECK_FIRST; do
	mode= name=
	case $m in
	BARRIER:*) mode="-DBARRIER" m=${m#BARRIER:}
		   name=mutant_barrier_$(echo "$m" | tr 'A-Z' 'a-z')_caught ;;
	*) name=mutant_$(echo "$m" | tr 'A-Z' 'a-z')_caught ;;
	esac
	dir=mut_${mode:+B_}$m
	extra=
	case $m in
	ANNOUNCE_ONE|RECHECK_ONE|BARRIER_ONE)
		extra="-DNCHAN=2 -DNSLOTS=2 -DNMSG=2 -DSBUF=2" ;;
	esac
	# shellcheck disable=SC2086
	if ! build "$dir" noltl $mode "-D$m" $extra; then
		say "$name" FAIL "spin/gcc failed, see $work/$dir/spin.log"
		continue
	fi
	(cd "$dir" && ./pan_safe -m100000 >safe.log 2>&1)
	v=$(verdict "$dir/safe.log")
	case $v in
	ok) say "$name" FAIL "the model does not catch $mode -D$m" ;;
	*incomplete*|*"did not run"*) say "$name" FAIL "$v" ;;
	*) say "$name" PASS ;;
	esac
done
exit $status
