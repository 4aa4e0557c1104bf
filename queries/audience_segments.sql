-- Question: when was each selected person connected to each selected webinar?
-- Feeds the peak concurrent audience under person filters (reach.peaks_from_segments):
-- the running count of these segments over time, at one-second resolution, is exact because
-- times are kept to the second, and a leave at t comes before a join at t (half-open
-- intervals). Counting runs in numpy over a dense per-second array: on 2 cores it is about
-- three times faster than grouping by second and a window in DuckDB (see BENCHMARKS.md).
-- Without person filters the stored peaks (webinar_peaks.sql) are used instead.
-- Grain: one row per merged audience segment (a person's overlapping rejoins are already
-- one segment, so persons are distinct at any instant).
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double (an attendance shorter than this, or of unknown minutes, does not count),
--   $rehearsals boolean (count rehearsal persons).
-- Columns: slot (webinar slot), start_offset_s, end_offset_s (seconds from the webinar's
--   start; the segment is [start, end)).
select slot, start_offset_s, end_offset_s
from selected_segments($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
