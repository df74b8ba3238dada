#!/bin/sh
# Make (or remake) the streaming replica from the primary, on the replica host, as root
# (docs/deploy.md). Destroys the replica's data directory first.
#   PRIMARY=10.0.0.21 PGVERSION=15 sh make-replica.sh
# The primary needs, once:
#   sudo -u postgres psql -c "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '…'"
#   sudo -u postgres psql -c "SELECT pg_create_physical_replication_slot('werkbrug_replica')"
# and the password in ~postgres/.pgpass on the replica:
#   10.0.0.21:5432:replication:replicator:…   (mode 0600, owner postgres)
set -eu
: "${PRIMARY:?set PRIMARY to the primary's address}"
PGVERSION=${PGVERSION:-15}
DATA=/var/lib/postgresql/$PGVERSION/main

systemctl stop "postgresql@$PGVERSION-main"
rm -rf "$DATA"
# -R writes primary_conninfo (with the slot) into postgresql.auto.conf and creates standby.signal;
# -X stream copies the WAL written meanwhile, so the copy is consistent.
runuser -u postgres -- pg_basebackup -h "$PRIMARY" -U replicator -D "$DATA" \
    -R -X stream -S werkbrug_replica -c fast -P
systemctl start "postgresql@$PGVERSION-main"

# Streaming? On the replica: t and a recent time; on the primary: state = streaming.
runuser -u postgres -- psql -Atc "SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp()"
echo "on the primary: SELECT client_addr, state, replay_lag FROM pg_stat_replication;"
