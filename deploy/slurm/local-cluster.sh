#!/usr/bin/env bash
# Stand up (or tear down) a throw-away one-node Slurm cluster on localhost,
# for end-to-end tests. Everything (config, munge key and socket, pid files,
# logs, spool/state dirs) lives under STATE_DIR; nothing in /etc is touched.
#
#   local-cluster.sh start STATE_DIR   # start munged, slurmctld, slurmd; wait until usable
#   local-cluster.sh stop  STATE_DIR   # stop them again (idempotent)
#
# After `start`, point clients at the cluster with the line it prints:
#   export SLURM_CONF=STATE_DIR/slurm.conf      (also written to STATE_DIR/env.sh)
#
# Environment knobs:
#   LOCAL_SLURM_START_TIMEOUT  seconds to wait for readiness (default 60)
#   LOCAL_SLURM_CTLD_PORT      preferred slurmctld port (default 6817)
#   LOCAL_SLURM_SLURMD_PORT    preferred slurmd port (default 6818)
#   LOCAL_SLURM_MIN_JOB_AGE    MinJobAge: seconds finished jobs stay visible to
#                              squeue/scontrol (default 4; slurm's default 300
#                              makes sbatch --wait poll only every 32 s)
#
# `start` on a STATE_DIR that already has a cluster first stops it and then
# starts a fresh one (job/node state is wiped, so each start is clean).
set -euo pipefail

PROG=$(basename "$0")
# munged, mungekey, slurmctld and slurmd live in /usr/sbin (not in a user's PATH on Debian).
PATH=$PATH:/usr/sbin:/sbin

die() { echo "$PROG: error: $*" >&2; exit 1; }
log() { echo "$PROG: $*" >&2; }

usage() {
  echo "usage: $PROG {start|stop} STATE_DIR" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
CMD=$1
# Absolute path (the dir may not exist yet); daemons chdir, so relative paths break.
S=$(realpath -m -- "$2")

# Marker put into the daemons' environment so `stop` can find them even when pid
# files are missing or stale (slurmstepd is found by SLURM_CONF=$CONF instead).
MARKER="LOCAL_SLURM_CLUSTER_DIR=$S"

MUNGE_DIR=$S/munge
MUNGE_SOCKET=$MUNGE_DIR/munge.socket
MUNGE_KEY=$MUNGE_DIR/munge.key
MUNGE_PID=$MUNGE_DIR/munged.pid
RUN_DIR=$S/run
LOG_DIR=$S/log
CTLD_PID=$RUN_DIR/slurmctld.pid
SLURMD_PID=$RUN_DIR/slurmd.pid
CONF=$S/slurm.conf

# ---------------------------------------------------------------- helpers

# Is process $1 alive (exists and is not a zombie)?
pid_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) } # drop "pid (comm) "; the state letter comes next
  [[ ${stat:0:1} != Z ]]
}

# Is process $1 alive with /proc/PID/comm equal to $2 (guards against pid reuse)?
pid_is() {
  local pid=$1 name=$2 comm
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [[ $comm == "$name" ]] && pid_alive "$pid"
}

# Send SIGTERM to the given pids, wait up to ~10 s, then SIGKILL survivors.
kill_pids() {
  local pid i alive
  [[ $# -gt 0 ]] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    alive=()
    for pid in "$@"; do
      pid_alive "$pid" && alive+=("$pid")
    done
    [[ ${#alive[@]} -eq 0 ]] && return 0
    sleep 0.1
  done
  log "sending SIGKILL to ${alive[*]}"
  kill -KILL "${alive[@]}" 2>/dev/null || true
}

# Pids of processes named $1 that carry our environment marker (daemons), or
# SLURM_CONF=$CONF (slurmstepd: slurmd gives it a fresh environment).
marked_pids() {
  local name=$1 p pid
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    pid_is "$pid" "$name" || continue
    if { tr '\0' '\n' <"$p/environ"; } 2>/dev/null |
      grep -Fxq -e "$MARKER" -e "SLURM_CONF=$CONF"; then
      echo "$pid"
    fi
  done
}

# All descendants of the given pids (e.g. job processes under slurmstepd).
descendants() {
  local pid child
  for pid in "$@"; do
    for child in $(pgrep -P "$pid" || true); do
      echo "$child"
      descendants "$child"
    done
  done
}

# Stop daemon $1 using pid file $2 (may be empty), plus any marked leftovers with that name.
stop_daemon() {
  local name=$1 pidfile=$2 pid pids=()
  if [[ -n $pidfile && -f $pidfile ]]; then
    pid=$(tr -dc '0-9' <"$pidfile" || true)
    if pid_is "$pid" "$name"; then
      pids+=("$pid")
    fi
  fi
  while read -r pid; do
    [[ -n $pid && " ${pids[*]} " != *" $pid "* ]] && pids+=("$pid")
  done < <(marked_pids "$name")
  if [[ ${#pids[@]} -gt 0 ]]; then
    log "stopping $name (pid ${pids[*]})"
    if [[ $name == slurmstepd ]]; then
      # Orphaned job steps (slurmctld was gone, so scancel could not run).
      # slurmstepd ignores SIGTERM: SIGKILL it, then stop its job processes.
      local jobs
      mapfile -t jobs < <(descendants "${pids[@]}")
      kill -KILL "${pids[@]}" 2>/dev/null || true
      pids=("${jobs[@]}")
    fi
    [[ ${#pids[@]} -eq 0 ]] || kill_pids "${pids[@]}"
  fi
  if [[ -n $pidfile ]]; then rm -f -- "$pidfile"; fi
}

# Is TCP port $1 free to bind on all addresses?
port_free() {
  local port=$1
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$port" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as slurm does
try:
    s.bind(("", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
  else
    # Fallback: free if nothing accepts a connection on it.
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# Print the preferred port $1 if free, else the first free one upwards from a
# random start in 20000-39999 (skipping $2, the port already handed out).
pick_port() {
  local want=$1 taken=${2:-} p
  if [[ $want != "$taken" ]] && port_free "$want"; then
    echo "$want"
    return
  fi
  for ((p = 20000 + RANDOM % 20000; p < 65000; p++)); do
    if [[ $p != "$taken" ]] && port_free "$p"; then
      echo "$p"
      return
    fi
  done
  die "no free TCP port found"
}

show_logs() {
  local f
  for f in "$MUNGE_DIR/munged.log" "$LOG_DIR/slurmctld.log" "$LOG_DIR/slurmd.log" \
           "$LOG_DIR/slurmctld.out" "$LOG_DIR/slurmd.out"; do
    [[ -s $f ]] || continue
    echo "----- tail of $f -----" >&2
    tail -n 25 -- "$f" >&2 || true
  done
}

# -------------------------------------------------------------- commands

do_stop() {
  # Cancel jobs first so slurmstepd can clean up their processes.
  if [[ -f $CONF && -f $CTLD_PID ]] && pid_is "$(tr -dc '0-9' <"$CTLD_PID")" slurmctld; then
    SLURM_CONF=$CONF timeout 5 scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
  fi
  stop_daemon slurmd "$SLURMD_PID"
  stop_daemon slurmstepd "" # leftover job step daemons (found via marker)
  stop_daemon slurmctld "$CTLD_PID"
  stop_daemon munged "$MUNGE_PID"
  rm -f -- "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock"
}

write_conf() {
  local node=$1 ctld_port=$2 slurmd_port=$3 user cpus mem hw topo=""
  local min_job_age=${LOCAL_SLURM_MIN_JOB_AGE:-4}
  user=$(id -un)
  cpus=$(nproc)
  mem=1000
  # Take the socket/core/thread layout from slurmd -C if it agrees with nproc
  # (avoids "configuration differs from hardware" drains), and the memory, so that
  # jobs asking for some (sweep.sbatch's --mem-per-cpu) fit; memory is not a
  # consumable resource here (CR_Core), so it does not limit how many tasks run.
  hw=$(slurmd -C 2>/dev/null | head -n 1 || true)
  if [[ $hw =~ CPUs=([0-9]+)\ Boards=([0-9]+)\ SocketsPerBoard=([0-9]+)\ CoresPerSocket=([0-9]+)\ ThreadsPerCore=([0-9]+) ]] &&
     [[ ${BASH_REMATCH[1]} == "$cpus" ]]; then
    topo=" Boards=${BASH_REMATCH[2]} SocketsPerBoard=${BASH_REMATCH[3]} CoresPerSocket=${BASH_REMATCH[4]} ThreadsPerCore=${BASH_REMATCH[5]}"
  fi
  if [[ $hw =~ RealMemory=([0-9]+) ]] && ((BASH_REMATCH[1] > mem)); then
    mem=${BASH_REMATCH[1]}
  fi

  : >"$S/plugstack.conf" # keep /etc/slurm/plugstack.conf (if any) out of it
  cat >"$CONF" <<EOF
# Generated by $PROG for a local one-node test cluster. Do not edit.
ClusterName=localtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user

AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET

StateSaveLocation=$S/spool/slurmctld
SlurmdSpoolDir=$S/spool/slurmd
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$S/plugstack.conf
TmpFS=$S/tmp

# No cgroups (containers): plain process tracking, no task containment.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
# Containers often cannot raise rlimits; don't try to copy the submitter's.
PropagateResourceLimits=NONE

SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdParameters=config_overrides
InactiveLimit=0
KillWait=5
# Finished jobs are forgotten after MinJobAge s (no accounting, so no sacct).
# Below 5 s, sbatch --wait polls every 2 s instead of backing off to 32 s.
MinJobAge=$min_job_age
SlurmdTimeout=60
SlurmctldTimeout=30

NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus$topo RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
}

do_start() {
  local timeout=${LOCAL_SLURM_START_TIMEOUT:-60} node ctld_port slurmd_port deadline state=""
  local t0=$SECONDS bin
  for bin in munged munge unmunge slurmctld slurmd sinfo srun scancel; do
    command -v "$bin" >/dev/null 2>&1 || die "$bin not found in PATH (install munge and slurm-wlm)"
  done
  [[ $S != *[[:space:]]* ]] || die "STATE_DIR must not contain whitespace (slurm.conf paths): $S"
  # Unix socket paths (munge socket, slurmd step sockets) are limited to 108 bytes.
  ((${#S} <= 70)) || die "STATE_DIR path too long for unix sockets (${#S} > 70 chars): $S"

  do_stop # clean up a previous (possibly crashed) run in this dir

  node=$(hostname -s)
  [[ -n $node ]] || die "empty hostname"

  # Fresh state every time; config/logs are regenerated.
  rm -rf -- "$S/spool" "$LOG_DIR" "$RUN_DIR" "$MUNGE_DIR" "$S/tmp"
  mkdir -p -- "$S/spool/slurmctld" "$S/spool/slurmd" "$LOG_DIR" "$RUN_DIR" "$S/tmp"
  mkdir -p -m 0755 -- "$MUNGE_DIR" # not group/world-writable (munged checks); key itself is 0400

  ctld_port=$(pick_port "${LOCAL_SLURM_CTLD_PORT:-6817}")
  slurmd_port=$(pick_port "${LOCAL_SLURM_SLURMD_PORT:-6818}" "$ctld_port")
  write_conf "$node" "$ctld_port" "$slurmd_port"

  export SLURM_CONF=$CONF
  export LOCAL_SLURM_CLUSTER_DIR=$S # = $MARKER

  # --- munged, with its own key, socket, pid/log/seed files.
  if ! mungekey --create --keyfile="$MUNGE_KEY" >/dev/null 2>&1; then
    dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none
  fi
  chmod 0400 -- "$MUNGE_KEY"
  # --force: only warn (not exit) about loose permissions on parent dirs of the
  # key/socket/log (e.g. a group-writable test tmp dir) and about a stale socket.
  munged --force --socket="$MUNGE_SOCKET" --key-file="$MUNGE_KEY" \
    --pid-file="$MUNGE_PID" --log-file="$MUNGE_DIR/munged.log" \
    --seed-file="$MUNGE_DIR/munged.seed" >>"$MUNGE_DIR/munged.log" 2>&1 ||
    { show_logs; do_stop; die "munged failed to start"; }

  deadline=$((SECONDS + timeout))
  until munge -n -S "$MUNGE_SOCKET" 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { show_logs; do_stop; die "munged not answering on $MUNGE_SOCKET"; }
    sleep 0.2
  done

  # --- slurmctld and slurmd (they daemonise and write their pid files).
  slurmctld -f "$CONF" >>"$LOG_DIR/slurmctld.out" 2>&1 ||
    { show_logs; do_stop; die "slurmctld failed to start"; }
  slurmd -f "$CONF" -N "$node" >>"$LOG_DIR/slurmd.out" 2>&1 ||
    { show_logs; do_stop; die "slurmd failed to start"; }

  # --- wait for the node to register as idle ...
  until [[ $state == idle ]]; do
    if ((SECONDS >= deadline)); then
      show_logs
      do_stop
      die "node $node not idle after ${timeout}s (last state: '${state:-none}')"
    fi
    sleep 0.5
    state=$(timeout 5 sinfo -h -n "$node" -o %T 2>/dev/null | head -n 1 || true)
  done
  # ... and for a job step to actually run on it.
  until timeout 15 srun -N1 -n1 --quiet hostname >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      show_logs
      do_stop
      die "srun does not work after ${timeout}s"
    fi
    sleep 1
  done

  echo "export SLURM_CONF=$CONF" >"$S/env.sh"
  log "ready in $((SECONDS - t0))s: node=$node partition=debug cpus=$(nproc)" \
    "slurmctld port=$ctld_port slurmd port=$slurmd_port logs=$LOG_DIR"
  echo "export SLURM_CONF=$CONF"
}

case $CMD in
  start) do_start ;;
  stop)
    do_stop
    log "stopped (state in $S)"
    ;;
  *) usage ;;
esac
