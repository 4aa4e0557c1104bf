"""Live ingest (issue 4, in progress): signed event batches and Zoom webhooks are verified
(`signing`), validated into canonical live events (`events`) and stored durably, each id once
(`store`); derive.sql turns them into attendance intervals. The HTTP routes, the live view,
check-in and the rehearsal command are not built yet."""
