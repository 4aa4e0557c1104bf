-- Question: what was the peak concurrent audience of each selected webinar, over all persons?
-- Stored at load time (facts/event_peaks.sql); used when Filters.stored_peaks says so: no
-- person filter, no minimum of minutes, no rehearsals.
-- Grain: one row per selected webinar, in order of start.
-- Parameters (null = all): $events varchar[], $series varchar[], $date_from date, $date_to date,
--   $rehearsals boolean (list rehearsal webinars too; the stored peaks never count rehearsal persons).
-- Columns: event_key, peak_concurrent (persons connected at one instant, at most).
select e.event_key, p.peak_concurrent
from selected_events($events, $series, $date_from, $date_to, $rehearsals) e
join event_peaks p using (event_id)
order by e.slot
