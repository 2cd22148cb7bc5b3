#!/usr/bin/env bash
# Start a local PostgreSQL server for the ledger's PostgreSQL tests (tests/test_ledger_pg.py)
# and export PEIXUN_TEST_PG. Installs the server from the system package manager when it is
# missing. Never fatal: without a server those tests skip.
# Sourced by .ci/run; also usable by hand: `. .ci/postgres.sh`.
_peixun_pg() {
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
            >/dev/null 2>&1 || return 0
    fi
    local version
    version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)
    [ -n "$version" ] || return 0
    if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
        pg_createcluster "$version" main >/dev/null 2>&1 || return 0
    fi
    pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do
        pg_isready -q -h 127.0.0.1 && break
        sleep 0.5
    done
    pg_isready -q -h 127.0.0.1 || return 0
    su postgres -c "psql -q -c \"CREATE ROLE peixun LOGIN PASSWORD 'peixun'\"" >/dev/null 2>&1 || true
    su postgres -c "createdb -O peixun peixun_test" >/dev/null 2>&1 || true
    export PEIXUN_TEST_PG="postgresql://peixun:peixun@127.0.0.1:5432/peixun_test"
}
_peixun_pg
