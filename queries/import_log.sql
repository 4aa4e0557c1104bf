-- Question: which files were imported, when, and what did each bring?
-- Grain: one row per imported file, newest first.
-- Parameters: none.
-- Columns: import_id, imported_at (UTC), file_name, format, encoding, time_zone, rows_read, records,
--   persons (distinct persons in the file), new_persons, events, skipped_rows, seconds,
--   content_sha256.
select import_id, imported_at, file_name, format, encoding, time_zone, rows_read, records, persons, new_persons,
    events, skipped_rows, seconds, content_sha256
from imports
order by import_id desc
