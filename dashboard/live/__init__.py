"""Live ingest (issue 4, in progress): signed event batches and Zoom webhooks, validated into
canonical live events. The HTTP routes, the live view and check-in are not built yet."""
