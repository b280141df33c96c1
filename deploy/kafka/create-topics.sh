#!/usr/bin/env bash
# Creates every topic of the system, idempotently (existing topics are left as they are). Run by the
# one-shot 'topics' service of docker-compose.yml inside the apache/kafka image; works against any
# cluster: BOOTSTRAP_SERVERS=broker:9092 PARTITIONS=12 REPLICATION_FACTOR=3 bash create-topics.sh
# Topic names are the services' own settings (TOPIC_REQUESTS, ...; see README.md) with their defaults.
set -euo pipefail

BOOTSTRAP_SERVERS="${BOOTSTRAP_SERVERS:-kafka:9092}"
PARTITIONS="${PARTITIONS:-6}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-1}"
TOPICS_TOOL="${TOPICS_TOOL:-/opt/kafka/bin/kafka-topics.sh}"

# create <name> <partitions> <cleanup.policy>
create() {
  "$TOPICS_TOOL" --bootstrap-server "$BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$1" --partitions "$2" --replication-factor "$REPLICATION_FACTOR" --config "cleanup.policy=$3"
}

create "${TOPIC_REQUESTS:-llm.requests}" "$PARTITIONS" delete
create "${TOPIC_REQUESTS_SLM:-llm.requests.slm}" "$PARTITIONS" delete
create "${TOPIC_REQUESTS_GPT:-llm.requests.gpt}" "$PARTITIONS" delete
create "${TOPIC_REQUESTS_TIER0:-llm.requests.tier0}" "$PARTITIONS" delete
create "${TOPIC_ESCALATIONS:-llm.escalations}" "$PARTITIONS" delete
create "${TOPIC_DLQ:-llm.dlq}" "$PARTITIONS" delete
create "${TOPIC_ALERTS:-llm.alerts}" "$PARTITIONS" delete
# Shadow mode: requests handed to the GPT worker for shadowing, and the comparisons (calibration and the
# migration report read their retained history: keep it for weeks).
create "${TOPIC_SHADOW_REQUESTS:-llm.shadow.requests}" "$PARTITIONS" delete
create "${TOPIC_SHADOW:-llm.shadow}" "$PARTITIONS" delete
# Read as tables: the latest value per key is what matters.
create "${TOPIC_RESULTS:-llm.results}" "$PARTITIONS" compact
create "${TOPIC_VOLUME:-llm.volume}" 1 compact

"$TOPICS_TOOL" --bootstrap-server "$BOOTSTRAP_SERVERS" --list
