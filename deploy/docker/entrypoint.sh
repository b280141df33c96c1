#!/usr/bin/env bash
# Starts one service of the image, as bin/slm-router does from a checkout; every setting comes from
# the environment (see README.md, "Configuration").
#   entrypoint.sh router | slm-worker | gpt-worker | drift-monitor | tier0-worker
set -euo pipefail
service="${1:-router}"
case "$service" in
  router)
    exec java ${ROUTER_JAVA_OPTS:--Xmx512m -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=90} -cp "/app/router-stream/*" dev.slmrouter.router.RouterApp
    ;;
  slm-worker)
    exec java ${WORKER_JAVA_OPTS:--Xmx256m} -cp "/app/slm-worker/*" dev.slmrouter.slm.SlmWorkerApp
    ;;
  gpt-worker)
    exec java ${WORKER_JAVA_OPTS:--Xmx256m} -cp "/app/gpt-worker/*" dev.slmrouter.gpt.GptWorkerApp
    ;;
  drift-monitor)
    exec java ${WORKER_JAVA_OPTS:--Xmx256m} -cp "/app/insights/*" dev.slmrouter.insights.drift.DriftMonitorApp
    ;;
  tier0-worker)
    exec java ${WORKER_JAVA_OPTS:--Xmx256m} -Dorg.slf4j.simpleLogger.log.ai.djl=error -cp "/app/tier0/*" \
      dev.slmrouter.tier0.worker.Tier0WorkerApp
    ;;
  *)
    echo "usage: entrypoint.sh router | slm-worker | gpt-worker | drift-monitor | tier0-worker" >&2
    exit 2
    ;;
esac
